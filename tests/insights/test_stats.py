"""The audit's statistics against the reference implementations in statsmodels and SciPy."""

import math
import random

import numpy as np
import pytest
from scipy import stats as scipy_stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from compassion.insights import stats


@pytest.mark.parametrize("successes,n", [(0, 12), (3, 10), (81, 90), (500, 1000), (19, 19)])
def test_it_matches_the_wilson_interval_of_statsmodels(successes: int, n: int) -> None:
    low, high = proportion_confint(successes, n, alpha=0.05, method="wilson")
    estimate = stats.wilson_interval(successes, n)
    assert estimate.value == pytest.approx(successes / n)
    assert estimate.low == pytest.approx(low, abs=1e-9)
    assert estimate.high == pytest.approx(high, abs=1e-9)


@pytest.mark.parametrize(
    "s1,n1,s2,n2", [(56, 70, 48, 80), (9, 10, 3, 10), (0, 15, 4, 25), (700, 1000, 790, 1000)]
)
def test_it_matches_newcombes_interval_of_statsmodels(s1: int, n1: int, s2: int, n2: int) -> None:
    low, high = confint_proportions_2indep(s1, n1, s2, n2, method="newcomb", compare="diff")
    estimate = stats.newcombe_difference(s1, n1, s2, n2)
    assert estimate.value == pytest.approx(s1 / n1 - s2 / n2)
    assert estimate.low == pytest.approx(low, abs=1e-9)
    assert estimate.high == pytest.approx(high, abs=1e-9)


def test_it_matches_a_scipy_bootstrap_for_the_difference_of_medians() -> None:
    rng = np.random.default_rng(1)
    slow = np.sort(rng.exponential(30, 300))
    quick = np.sort(rng.exponential(20, 400))
    boot = scipy_stats.bootstrap(
        (slow, quick),
        lambda x, y, axis: np.median(x, axis=axis) - np.median(y, axis=axis),
        n_resamples=4000,
        random_state=2,
        vectorized=True,
    )
    estimate = stats.median_difference(list(slow), list(quick))
    assert estimate.value == pytest.approx(np.median(slow) - np.median(quick))
    half_width = (estimate.high - estimate.low) / 2
    assert half_width / 1.96 == pytest.approx(boot.standard_error, rel=0.15)
    assert estimate.low == pytest.approx(boot.confidence_interval.low, abs=0.3 * half_width)
    assert estimate.high == pytest.approx(boot.confidence_interval.high, abs=0.3 * half_width)


def test_its_median_interval_covers_the_truth_about_95_percent_of_the_time() -> None:
    rng = random.Random(5)
    covered = 0
    for _ in range(400):
        a = sorted(rng.expovariate(1 / 20) for _ in range(40))
        b = sorted(rng.expovariate(1 / 20) for _ in range(60))
        covered += not stats.median_difference(a, b).excludes_zero
    assert 0.92 <= covered / 400 <= 0.98


def test_it_gives_the_median_of_sorted_values() -> None:
    assert stats.median([1, 2, 3]) == 2
    assert stats.median([1, 2, 3, 10]) == 2.5
    with pytest.raises(ValueError):
        stats.median([])


def test_it_refuses_impossible_proportions() -> None:
    with pytest.raises(ValueError):
        stats.wilson_interval(3, 0)
    with pytest.raises(ValueError):
        stats.wilson_interval(5, 4)


def test_its_binomial_tail_agrees_with_scipy() -> None:
    for n, k in [(10, 2), (40, 13), (999, 470), (5000, 2420)]:
        assert stats.binomial_half_cdf(k, n) == pytest.approx(
            scipy_stats.binom.cdf(k, n, 0.5), abs=2e-3
        )
    assert math.isclose(stats.binomial_half_cdf(-1, 10), 0)
