"""The statistics of the equity audit, in plain Python and NumPy (no Django), tested against SciPy.

Proportions: Wilson score intervals, and Newcombe's hybrid score interval for the difference
of two independent proportions (Newcombe 1998, method 10). Medians: the percentile
bootstrap interval for the difference of two medians, which Wilcox (2006, "Comparing
medians", Computational Statistics & Data Analysis 51) found reliable when many values are
tied. Intervals built from an estimated standard error of the median (McKean-Schrader,
Bonett-Price) are not: when waits are recorded in whole hours or days, the order statistics
they rest on are often equal and the interval shrinks to nothing. Each resample's median is
drawn exactly from Beta-distributed order statistics, so the bootstrap stays fast at any size.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

CONFIDENCE = 0.95
BOOTSTRAP_DRAWS = 20_000
BOOTSTRAP_SEED = 2006


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its confidence interval."""

    value: float
    low: float
    high: float

    @property
    def excludes_zero(self) -> bool:
        return self.low > 0 or self.high < 0


def z_for(confidence: float) -> float:
    return NormalDist().inv_cdf(1 - (1 - confidence) / 2)


def wilson_interval(successes: int, n: int, confidence: float = CONFIDENCE) -> Estimate:
    """The Wilson score interval for a proportion: well-behaved near 0 and 1 and for small n."""
    if n <= 0:
        raise ValueError("A proportion needs at least one observation.")
    if not 0 <= successes <= n:
        raise ValueError("Successes must be between 0 and the number of observations.")
    z = z_for(confidence)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return Estimate(p, max(0.0, centre - half), min(1.0, centre + half))


def newcombe_difference(
    successes1: int, n1: int, successes2: int, n2: int, confidence: float = CONFIDENCE
) -> Estimate:
    """Difference p1 - p2 of two independent proportions, with Newcombe's hybrid score interval."""
    first = wilson_interval(successes1, n1, confidence)
    second = wilson_interval(successes2, n2, confidence)
    p1, p2 = first.value, second.value
    difference = p1 - p2
    low = difference - math.sqrt((p1 - first.low) ** 2 + (second.high - p2) ** 2)
    high = difference + math.sqrt((first.high - p1) ** 2 + (p2 - second.low) ** 2)
    return Estimate(difference, low, high)


def median(values: Sequence[float]) -> float:
    """The median of values already sorted in ascending order."""
    n = len(values)
    if n == 0:
        raise ValueError("A median needs at least one value.")
    middle = n // 2
    if n % 2:
        return float(values[middle])
    return (values[middle - 1] + values[middle]) / 2


def bootstrap_medians(values: Sequence[float], draws: int, rng: np.random.Generator) -> np.ndarray:
    """The medians of `draws` bootstrap resamples of `values` (sorted ascending).

    Drawn exactly without building the resamples: the k-th smallest of n uniform draws
    follows Beta(k, n + 1 - k), and the resample's k-th smallest value is the value at
    that position, so each median costs one or two Beta draws whatever n is.
    """
    n = len(values)
    if n == 0:
        raise ValueError("A median needs at least one value.")
    ordered = np.asarray(values, dtype=float)
    middle = (n + 1) // 2  # the median is the middle-th smallest (and the next, for even n)
    lower = rng.beta(middle, n + 1 - middle, draws)
    low_values = ordered[np.minimum((lower * n).astype(int), n - 1)]
    if n % 2:
        return low_values
    upper = lower + (1 - lower) * rng.beta(1, n - middle, draws)
    return (low_values + ordered[np.minimum((upper * n).astype(int), n - 1)]) / 2


def median_difference(
    first: Sequence[float], second: Sequence[float], confidence: float = CONFIDENCE
) -> Estimate:
    """Difference of the medians of two independent samples (each sorted ascending), with
    a percentile bootstrap interval (seeded, so the same data always give the same interval)."""
    difference = median(first) - median(second)
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    resampled = bootstrap_medians(first, BOOTSTRAP_DRAWS, rng) - bootstrap_medians(
        second, BOOTSTRAP_DRAWS, rng
    )
    tail = (1 - confidence) / 2
    low, high = np.quantile(resampled, [tail, 1 - tail])
    return Estimate(difference, float(low), float(high))
