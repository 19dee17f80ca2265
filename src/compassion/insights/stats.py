"""The statistics of the equity audit, in plain Python (no Django), tested against SciPy.

Proportions: Wilson score intervals, and Newcombe's hybrid score interval for the difference
of two independent proportions (Newcombe 1998, method 10). Medians: the Bonett-Price
distribution-free interval for the difference of two medians (Bonett & Price 2002), which
needs only a few order statistics of each sorted sample, so it stays fast at any size.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

CONFIDENCE = 0.95


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


def binomial_half_cdf(k: int, n: int) -> float:
    """P(X <= k) for X ~ Binomial(n, 1/2); exact for small n, normal approximation beyond."""
    if k < 0:
        return 0.0
    if n <= 1000:
        return sum(math.comb(n, i) for i in range(k + 1)) / 2**n
    return NormalDist(n / 2, math.sqrt(n) / 2).cdf(k + 0.5)


def median_variance(values: Sequence[float]) -> float:
    """Bonett-Price variance of the sample median, from two order statistics (sorted input)."""
    n = len(values)
    if n < 4:
        raise ValueError("A median's interval needs at least four values.")
    c = max(1, round((n + 1) / 2 - math.sqrt(n)))
    coverage_outside = 2 * binomial_half_cdf(c - 1, n)
    z = NormalDist().inv_cdf(1 - coverage_outside / 2)
    spread = values[n - c] - values[c - 1]
    return (spread / (2 * z)) ** 2


def median_difference(
    first: Sequence[float], second: Sequence[float], confidence: float = CONFIDENCE
) -> Estimate:
    """Difference of the medians of two independent samples (each sorted ascending)."""
    difference = median(first) - median(second)
    error = math.sqrt(median_variance(first) + median_variance(second))
    half = z_for(confidence) * error
    return Estimate(difference, difference - half, difference + half)
