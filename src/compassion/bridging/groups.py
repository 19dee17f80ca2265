"""Opinion groups: Pol.is's k-means on base clusters, k chosen by silhouette."""

from __future__ import annotations

import numpy as np


def first_distinct_points(points: np.ndarray, k: int) -> np.ndarray:
    """The first k distinct rows, in order: Pol.is's deterministic k-means start."""
    _, first_index = np.unique(points, axis=0, return_index=True)
    return points[np.sort(first_index)[:k]]


def weighted_kmeans(
    points: np.ndarray, k: int, weights: np.ndarray | None = None, max_iter: int = 100
) -> tuple[np.ndarray, np.ndarray]:
    """Lloyd's k-means started from the first k distinct points.

    Clusters that lose all their points are dropped, as in Pol.is, so fewer
    than k centres may come back. Returns (centres, labels).
    """
    weights = np.ones(len(points)) if weights is None else weights
    centres = first_distinct_points(points, k)
    labels = np.full(len(points), -1)
    for _ in range(max_iter):
        # Squared distance minus the point's own squared norm: same nearest centre.
        shifted_distances = (centres**2).sum(axis=1) - 2 * points @ centres.T
        new_labels = np.argmin(shifted_distances, axis=1)
        if np.array_equal(new_labels, labels):
            break
        occupied = np.bincount(new_labels, minlength=len(centres)) > 0
        if not occupied.all():
            new_labels = (np.cumsum(occupied) - 1)[new_labels]
        labels = new_labels
        n_centres = int(occupied.sum())
        totals = np.bincount(labels, weights=weights, minlength=n_centres)
        sums = [
            np.bincount(labels, weights=weights * points[:, d], minlength=n_centres)
            for d in range(points.shape[1])
        ]
        centres = np.stack(sums, axis=1) / np.maximum(totals, 1e-12)[:, None]
    return centres, labels


def silhouette(points: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette (as scikit-learn's) for the few points of base clusters.

    Points alone in their cluster score 0.
    """
    distances = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
    n_clusters = labels.max() + 1
    one_hot = np.eye(n_clusters)[labels]
    sizes = one_hot.sum(axis=0)
    totals = distances @ one_hot
    own = sizes[labels] - 1
    within = np.divide(
        totals[np.arange(len(points)), labels], own, out=np.zeros(len(points)), where=own > 0
    )
    mean_to = totals / sizes
    mean_to[np.arange(len(points)), labels] = np.inf
    nearest = mean_to.min(axis=1)
    scores = np.where(own > 0, (nearest - within) / np.maximum(nearest, within), 0.0)
    return float(scores.mean())


def max_groups_for(n_base_clusters: int, max_groups: int) -> int:
    """Pol.is tries fewer groups when there are few base clusters."""
    return min(max_groups, 2 + n_base_clusters // 12)


class OpinionGroups:
    """Group participants the Pol.is way, then settle the partition.

    Participants are first cut into up to `base_clusters` base clusters; the
    base-cluster centres, weighted by how many participants each holds, are
    then grouped by k-means for k = 2 .. `max_groups`, each started from the
    first k distinct centres, and the k with the best silhouette (over the
    base clusters) wins, as in Pol.is. A grouping in which any group is
    smaller than max(2, `min_group_fraction` of the participants) is never
    chosen; when none qualifies everybody is put in one group.

    Pol.is's k-means depends on the order participants arrived in, and on
    real conversations different starts give quite different groups. So, for
    the chosen k, `n_restarts` more runs from shuffled starts are made and
    the partition with the best silhouette is kept: the same criterion Pol.is
    uses to pick k, now also used to pick among starts. This agrees better
    with Pol.is's own groups than a single start does.

    Attributes
    ----------
    labels_ : ndarray of shape (n_participants,)
        Group of each participant, 0 for the largest group.
    centers_ : ndarray of shape (n_groups, 2)
    n_groups_ : int
    silhouettes_ : dict of int to float
        Silhouette of each k tried from the first start (NaN when rejected).
    silhouette_ : float
        Silhouette of the partition kept (NaN with one group).
    base_labels_ : ndarray of shape (n_participants,)
    """

    def __init__(
        self,
        base_clusters: int = 100,
        max_groups: int = 5,
        min_group_fraction: float = 0.03,
        max_iter: int = 100,
        n_restarts: int = 10,
        random_state: int = 0,
    ):
        self.base_clusters = base_clusters
        self.max_groups = max_groups
        self.min_group_fraction = min_group_fraction
        self.max_iter = max_iter
        self.n_restarts = n_restarts
        self.random_state = random_state

    def fit(self, positions: np.ndarray) -> OpinionGroups:
        positions = np.asarray(positions, dtype=float)
        centres, self.base_labels_ = weighted_kmeans(
            positions, self.base_clusters, max_iter=self.max_iter
        )
        weights = np.bincount(self.base_labels_, minlength=len(centres)).astype(float)
        min_size = max(2, self.min_group_fraction * len(positions))
        self.silhouettes_ = {}
        best_labels, best_score = np.zeros(len(centres), dtype=int), -np.inf
        for k in range(2, max_groups_for(len(centres), self.max_groups) + 1):
            labels = _acceptable_grouping(centres, weights, k, min_size)
            self.silhouettes_[k] = float("nan") if labels is None else silhouette(centres, labels)
            if labels is not None and self.silhouettes_[k] > best_score:
                best_labels, best_score = labels, self.silhouettes_[k]
        self.silhouette_ = float("nan")
        if best_labels.max() > 0:
            best_labels, self.silhouette_ = self._best_restart(
                centres, weights, best_labels, min_size
            )
        self.labels_ = _largest_first(best_labels[self.base_labels_])
        self.n_groups_ = int(self.labels_.max()) + 1 if len(self.labels_) else 0
        self.centers_ = np.array(
            [positions[self.labels_ == g].mean(axis=0) for g in range(self.n_groups_)]
        ).reshape(-1, 2)
        return self

    def _best_restart(
        self, centres: np.ndarray, weights: np.ndarray, labels: np.ndarray, min_size: float
    ) -> tuple[np.ndarray, float]:
        """The best-silhouette partition into as many groups, over shuffled starts."""
        k = int(labels.max()) + 1
        best_labels, best_score = labels, silhouette(centres, labels)
        rng = np.random.default_rng(self.random_state)
        for _ in range(self.n_restarts):
            order = rng.permutation(len(centres))
            shuffled = _acceptable_grouping(centres[order], weights[order], k, min_size)
            if shuffled is None or shuffled.max() + 1 != k:
                continue
            restarted = np.empty_like(shuffled)
            restarted[order] = shuffled
            score = silhouette(centres, restarted)
            if score > best_score:
                best_labels, best_score = restarted, score
        return best_labels, best_score


def _acceptable_grouping(
    centres: np.ndarray, weights: np.ndarray, k: int, min_size: float
) -> np.ndarray | None:
    """Weighted k-means labels of the base clusters, or None when a group is
    too small, fewer than two groups form, or every base cluster is alone."""
    _, labels = weighted_kmeans(centres, k, weights)
    sizes = np.bincount(labels, weights=weights)
    if len(sizes) < 2 or sizes.min() < min_size or len(sizes) >= len(centres):
        return None
    return labels


def _largest_first(labels: np.ndarray) -> np.ndarray:
    """Renumber groups so that 0 is the largest (ties: first seen)."""
    if not len(labels):
        return labels
    sizes = np.bincount(labels)
    order = np.lexsort((np.arange(len(sizes)), -sizes))
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[labels]
