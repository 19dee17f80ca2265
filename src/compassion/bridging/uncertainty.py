"""How far staff can trust the groups and the scores: bootstrap resamples."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from compassion.bridging.model import Interval, Stability


def adjusted_rand_index(first: np.ndarray, second: np.ndarray) -> float:
    """Adjusted Rand index of two labelings (as scikit-learn's, without its overhead)."""
    _, a = np.unique(first, return_inverse=True)
    _, b = np.unique(second, return_inverse=True)
    table = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(table, (a, b), 1)

    def pairs(counts: np.ndarray) -> float:
        return float((counts * (counts - 1)).sum() / 2)

    both, rows, cols = pairs(table), pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = rows * cols / pairs(np.array([len(a)]))
    maximum = (rows + cols) / 2
    if maximum == expected:
        return 1.0
    return (both - expected) / (maximum - expected)


def group_stability(
    labels: np.ndarray,
    regroup: Callable[[np.ndarray], np.ndarray],
    rounds: int,
    rng: np.random.Generator,
) -> Stability:
    """Resample the grouped participants with replacement, group them again
    with `regroup(indices) -> labels`, and measure agreement with the groups
    found on all the data (adjusted Rand index over the resampled people).
    """
    if rounds <= 0 or len(labels) < 2 or labels.max() < 1:
        return Stability(agreement=None, same_group_count=None, rounds=0)
    n_groups = labels.max() + 1
    agreements, same_count = [], []
    for _ in range(rounds):
        sample = rng.integers(0, len(labels), len(labels))
        new_labels = regroup(sample)
        agreements.append(adjusted_rand_index(labels[sample], new_labels))
        same_count.append(new_labels.max() + 1 == n_groups)
    return Stability(
        agreement=float(np.mean(agreements)),
        same_group_count=float(np.mean(same_count)),
        rounds=rounds,
    )


def bootstrap_intervals(
    statistic: Callable[[np.ndarray], np.ndarray],
    n_rows: int,
    rounds: int,
    rng: np.random.Generator,
    coverage: float = 0.90,
) -> list[Interval] | None:
    """Percentile intervals of a per-statement statistic over resampled rows."""
    if rounds <= 0 or n_rows == 0:
        return None
    samples = np.stack([statistic(rng.integers(0, n_rows, n_rows)) for _ in range(rounds)])
    tail = (1 - coverage) / 2
    low, high = np.quantile(samples, [tail, 1 - tail], axis=0)
    return [Interval(float(lo), float(hi)) for lo, hi in zip(low, high, strict=True)]
