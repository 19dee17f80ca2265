import numpy as np
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.metrics import adjusted_rand_score, silhouette_score

from compassion.bridging.groups import (
    OpinionGroups,
    first_distinct_points,
    most_distal_start,
    silhouette,
    weighted_kmeans,
)


def blobs(sizes, seed=0):
    rng = np.random.default_rng(seed)
    centres = np.array([[0, 0], [6, 0], [0, 6], [6, 6]], dtype=float)
    points = np.concatenate([rng.normal(centres[i], 0.5, (n, 2)) for i, n in enumerate(sizes)])
    truth = np.repeat(np.arange(len(sizes)), sizes)
    return points, truth


def test_it_starts_kmeans_from_the_first_distinct_points():
    points = np.array([[1.0, 1], [1, 1], [2, 2], [3, 3]])
    assert_array_equal(first_distinct_points(points, 2), [[1, 1], [2, 2]])


def test_it_starts_from_the_centre_and_splits_off_the_most_distal_points():
    points = np.array([[0.0, 0], [1, 0], [-1, 0], [0, 5], [0, -3]])
    start = most_distal_start(points, 3, np.ones(len(points)))
    assert_allclose(start, [[0, 0], [0, 5], [0, -3]])


def test_the_start_does_not_depend_on_the_order_of_the_points():
    points, _ = blobs((30, 20, 10))
    weights = np.arange(1.0, len(points) + 1)
    order = np.random.default_rng(1).permutation(len(points))
    assert_allclose(
        most_distal_start(points, 4, weights), most_distal_start(points[order], 4, weights[order])
    )


def test_the_start_stops_when_every_point_sits_on_a_centre():
    points = np.array([[0.0, 0], [0, 0], [2, 2]])
    start = most_distal_start(points, 5, np.ones(3))
    assert len(start) == 2
    assert_array_equal(np.unique(start, axis=0), [[0, 0], [2, 2]])


def test_it_finds_well_separated_groups():
    points, truth = blobs((60, 40, 30))
    groups = OpinionGroups().fit(points)
    assert groups.n_groups_ == 3
    assert adjusted_rand_score(truth, groups.labels_) == 1.0
    assert_array_equal(np.bincount(groups.labels_), [60, 40, 30])


def test_it_never_makes_a_group_of_one():
    points, _ = blobs((80,))
    points = np.vstack([points, [[40.0, 40.0]]])
    groups = OpinionGroups().fit(points)
    assert np.bincount(groups.labels_).min() >= 2


def test_it_drops_empty_clusters_in_kmeans():
    points = np.array([[0.0, 0], [0, 0.1], [10, 10], [10, 10.1]])
    centres, labels = weighted_kmeans(points, 3)
    assert len(centres) == len(np.unique(labels))


def test_it_computes_the_silhouette_as_scikit_learn_does():
    points, truth = blobs((20, 15, 1), seed=2)
    assert_allclose(silhouette(points, truth), silhouette_score(points, truth))


def test_it_keeps_the_best_silhouette_among_restarts():
    points, _ = blobs((50, 50, 50, 50), seed=3)
    single = OpinionGroups(n_restarts=0).fit(points)
    restarted = OpinionGroups(n_restarts=10).fit(points)
    assert restarted.n_groups_ == single.n_groups_
    assert restarted.silhouette_ >= single.silhouette_
