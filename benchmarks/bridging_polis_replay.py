"""Replay a Pol.is export through Pol.is's 2017 update loop: its groups depend on history.

    .venv/bin/python benchmarks/bridging_polis_replay.py [FOLDER] [--every S ...] [--seeds N]
                                                           [--everyone]

Pol.is never grouped a conversation in one go. Its math worker updated the
groups whenever new votes arrived, and every update started from the last
one: the power iteration from the last axes (a new statement's entry set to
1), 10 iterations; each k-means from the last clusters (recentred on their
members, then the most distal point split off for each missing cluster); and
a new number of groups was adopted only after it had the best silhouette in 4
updates in a row. This follows pol-is/polisMath as of 2016-2017 (AGPL):
missing votes count as 0, 50 base clusters, groups of 2 to 5 over the base
clusters, participants grouped from min(7, statements) votes (`--everyone`
groups every voter, as the scoop-hivemind.ubi export shows).

The export records neither when the updates ran nor the random start of the
first power iteration. So this replays the votes in time order in batches of
S seconds, for several S and random starts, and prints the number of groups
each history ends with, their sizes and the adjusted Rand index against the
export's `group-id`. The default folder is scoop-hivemind.ubi, where Pol.is
shows 4 groups; the default run takes a few minutes.

Pol.is open data, CC BY 4.0: "Data was gathered using the Polis software
(compdemocracy.org/polis) and is sub-licensed under CC BY 4.0 with
Attribution to The Computational Democracy Project."
https://compdemocracy.org/case-studies/2017-scoop-hivemind-ubi
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

from compassion.bridging import read_polis_export

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "polis"
BASE_K, MAX_K, K_BUFFER, PCA_ITERS, KMEANS_ITERS = 50, 5, 4, 10, 20


@dataclass
class Cluster:
    id: int
    members: list[int]
    center: np.ndarray


@dataclass
class State:
    """What one update hands to the next."""

    comps: np.ndarray | None = None
    in_conv: set[int] = field(default_factory=set)
    base: list[Cluster] = field(default_factory=list)
    groups: dict[int, list[Cluster]] = field(default_factory=dict)
    last_k: int | None = None
    last_k_count: int = 0
    smoothed_k: int | None = None


def axes(filled: np.ndarray, start: np.ndarray | None, rng) -> tuple[np.ndarray, np.ndarray]:
    """Two components by deflated power iteration, as `powerit-pca`."""
    center = filled.mean(axis=0)
    data = filled - center
    comps = []
    for i in range(2):
        vector = start[i] if start is not None and start[i].any() else rng.random(data.shape[1])
        last_value = 0.0
        for _ in range(PCA_ITERS + 1):
            product = data.T @ (data @ vector)
            value = np.linalg.norm(product)
            vector = product / value if value else product
            if value == last_value:
                break
            last_value = value
        comps.append(vector)
        if vector @ vector:
            data = data - np.outer(data @ vector, vector) / (vector @ vector)
    return center, np.array(comps)


def kmeans(points: dict, k: int, last: list[Cluster], weights: dict | None = None) -> list:
    """Pol.is's k-means: from `last` via `clean-start-clusters`, else the first k points."""
    names = list(points)

    def mean_of(members):
        w = np.array([1.0 if weights is None else weights[m] for m in members])
        return w @ np.array([points[m] for m in members]) / w.sum()

    if last:
        clusters = [Cluster(c.id, [m for m in c.members if m in points], c.center) for c in last]
        clusters = [Cluster(c.id, c.members, mean_of(c.members)) for c in clusters if c.members]
        clusters = clusters or [Cluster(0, names, mean_of(names))]
        clusters = _merge_identical(clusters, mean_of)
        possible = min(k, len({tuple(p) for p in points.values()}))
        while len(clusters) < possible:
            distance, name = max(
                (min(np.linalg.norm(points[n] - c.center) for c in clusters), n) for n in names
            )
            if distance <= 0:
                break
            for c in clusters:
                c.members = [m for m in c.members if m != name]
            new_id = max(c.id for c in clusters) + 1
            clusters = [Cluster(c.id, c.members, mean_of(c.members)) for c in clusters if c.members]
            clusters.append(Cluster(new_id, [name], points[name].copy()))
    else:
        starts = list(dict.fromkeys(tuple(points[n]) for n in names))[:k]
        clusters = [Cluster(i, [], np.array(p)) for i, p in enumerate(starts)]
    for _ in range(KMEANS_ITERS + 1):
        centers = np.array([c.center for c in clusters])
        members: dict[int, list] = {c.id: [] for c in clusters}
        for n in names:
            distances = np.linalg.norm(centers - points[n], axis=1)
            members[clusters[len(distances) - 1 - np.argmin(distances[::-1])].id].append(n)
        moved = [
            Cluster(c.id, members[c.id], mean_of(members[c.id])) for c in clusters if members[c.id]
        ]
        same = len(moved) == len(clusters) and all(
            np.linalg.norm(np.subtract(a, b)) < 0.01
            for a, b in zip(
                sorted(tuple(c.center) for c in clusters),
                sorted(tuple(c.center) for c in moved),
                strict=True,
            )
        )
        clusters = moved
        if same:
            break
    return sorted(clusters, key=lambda c: c.id)


def _merge_identical(clusters: list[Cluster], mean_of) -> list[Cluster]:
    merged: list[Cluster] = []
    for c in clusters:
        twin = next((m for m in merged if np.array_equal(m.center, c.center)), None)
        if twin is None:
            merged.append(c)
        else:
            twin.members = twin.members + c.members
            twin.center = mean_of(twin.members)
    return merged


def silhouette(points: dict, clusters: list[Cluster]) -> float:
    """Unweighted mean silhouette over the base clusters, as Pol.is's."""
    names = [m for c in clusters for m in c.members]
    labels = np.array([i for i, c in enumerate(clusters) for _ in c.members])
    xy = np.array([points[n] for n in names])
    distances = np.linalg.norm(xy[:, None] - xy[None], axis=2)
    scores = []
    for i, label in enumerate(labels):
        own = labels == label
        own[i] = False
        if not own.any():
            scores.append(0.0)
            continue
        a = distances[i, own].mean()
        b = min(distances[i, labels == j].mean() for j in set(labels) - {label})
        scores.append((b - a) / max(a, b))
    return float(np.mean(scores))


def update(state: State, ratings: np.ndarray, everyone: bool, rng) -> None:
    """One Pol.is update on the ratings seen so far (rows and columns in arrival order)."""
    n_rows, n_cols = ratings.shape
    start = None
    if state.comps is not None:
        start = np.hstack([state.comps, np.ones((2, n_cols - state.comps.shape[1]))])
    voted = ~np.isnan(ratings)
    center, state.comps = axes(np.where(voted, ratings, 0.0), start, rng)
    centred = np.where(voted, ratings - center, 0.0)
    counts = voted.sum(axis=1)
    positions = centred @ state.comps.T * np.sqrt(n_cols / np.maximum(counts, 1))[:, None]
    in_conv = state.in_conv | set(np.flatnonzero(counts >= min(7, n_cols)).tolist())
    if everyone:
        in_conv = set(range(n_rows))
    if len(in_conv) < 15:
        by_votes = [int(r) for r in np.argsort(-counts, kind="stable") if r not in in_conv]
        in_conv |= set(by_votes[: 15 - len(in_conv)])
    state.in_conv = in_conv
    state.base = kmeans({r: positions[r] for r in sorted(in_conv)}, BASE_K, state.base)
    centres = {c.id: c.center for c in state.base}
    sizes = {c.id: len(c.members) for c in state.base}
    top_k = min(MAX_K, 2 + len(state.base) // 12)
    state.groups = {
        k: kmeans(centres, k, state.groups.get(k, []), sizes) for k in range(2, top_k + 1)
    }
    scores = {k: silhouette(centres, g) if len(g) > 1 else -1.0 for k, g in state.groups.items()}
    this_k = max(reversed(list(scores)), key=scores.get)
    state.last_k_count = state.last_k_count + 1 if this_k == state.last_k else 1
    state.last_k = this_k
    if state.last_k_count >= K_BUFFER or state.smoothed_k is None:
        state.smoothed_k = this_k


def replay(conversation, every: float, seed: int, everyone: bool) -> tuple[int, list, float]:
    """(groups at the end, their sizes, adjusted Rand index against Pol.is)."""
    votes = sorted(conversation.votes, key=lambda v: v.timestamp)
    people = list(dict.fromkeys(v.participant for v in votes))
    statements = list(dict.fromkeys(v.statement for v in votes))
    row = {p: i for i, p in enumerate(people)}
    col = {s: j for j, s in enumerate(statements)}
    ratings = np.full((len(people), len(statements)), np.nan)
    state, rng = State(), np.random.default_rng(seed)
    batches = [int((v.timestamp - votes[0].timestamp) // (every * 1000)) for v in votes]
    seen_rows = seen_cols = 0
    for i, vote in enumerate(votes):
        r, c = row[vote.participant], col[vote.statement]
        ratings[r, c] = vote.value
        seen_rows, seen_cols = max(seen_rows, r + 1), max(seen_cols, c + 1)
        if i + 1 == len(votes) or batches[i + 1] != batches[i]:
            update(state, ratings[:seen_rows, :seen_cols], everyone, rng)
    final = state.groups[state.smoothed_k]
    members = {c.id: c.members for c in state.base}
    ours = {people[r]: g for g, c in enumerate(final) for b in c.members for r in members[b]}
    polis = conversation.polis_groups
    both = [p for p in ours if polis.get(p) is not None]
    ari = adjusted_rand_score([polis[p] for p in both], [ours[p] for p in both])
    sizes = sorted((sum(len(members[b]) for b in c.members) for c in final), reverse=True)
    return len(final), sizes, ari


def main(folder: Path, every: list[float], seeds: int, everyone: bool) -> None:
    conversation = read_polis_export(folder)
    polis = [g for g in conversation.polis_groups.values() if g is not None]
    print(f"{folder.name}: Pol.is {len(set(polis))} groups, sizes", np.bincount(polis).tolist())
    print("{:>9} {:>5} {:>7}  {:24} {:>5}".format("batch s", "seed", "groups", "sizes", "ARI"))
    for seconds in every:
        for seed in range(seeds):
            k, sizes, ari = replay(conversation, seconds, seed, everyone)
            print(f"{seconds:9.0f} {seed:5} {k:7}  {sizes!s:24} {ari:5.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DATA / "scoop-hivemind.ubi")
    parser.add_argument("--every", type=float, nargs="+", default=[600, 3600, 21600])
    parser.add_argument("--seeds", type=int, default=3, help="random starts of the first PCA")
    parser.add_argument("--everyone", action="store_true", help="group every voter")
    args = parser.parse_args()
    main(args.folder, args.every, args.seeds, args.everyone)
