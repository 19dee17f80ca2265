"""The audit's statistics against the reference implementations in statsmodels and SciPy."""

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
        n_resamples=20_000,
        method="percentile",
        random_state=2,
        vectorized=True,
    )
    estimate = stats.median_difference(list(slow), list(quick))
    assert estimate.value == pytest.approx(np.median(slow) - np.median(quick))
    half_width = (estimate.high - estimate.low) / 2
    assert estimate.low == pytest.approx(boot.confidence_interval.low, abs=0.1 * half_width)
    assert estimate.high == pytest.approx(boot.confidence_interval.high, abs=0.1 * half_width)


@pytest.mark.parametrize("n", [11, 40, 501])
def test_its_exact_resampled_medians_follow_those_of_real_resamples(n: int) -> None:
    values = np.sort(np.random.default_rng(n).integers(0, 12, n).astype(float))
    drawn = stats.bootstrap_medians(values, 20_000, np.random.default_rng(3))
    resamples = np.random.default_rng(4).choice(values, size=(20_000, n))
    brute = np.median(resamples, axis=1)
    for level in (0.025, 0.25, 0.5, 0.75, 0.975):
        assert np.quantile(drawn, level) == pytest.approx(np.quantile(brute, level), abs=0.5)
    assert drawn.mean() == pytest.approx(brute.mean(), abs=0.05)


def test_its_median_interval_covers_the_truth_about_95_percent_of_the_time() -> None:
    rng = random.Random(5)
    covered = 0
    for _ in range(400):
        a = sorted(rng.expovariate(1 / 20) for _ in range(40))
        b = sorted(rng.expovariate(1 / 20) for _ in range(60))
        covered += not stats.median_difference(a, b).excludes_zero
    assert 0.92 <= covered / 400 <= 0.98


def test_it_stays_honest_when_waits_are_tied_on_a_few_values() -> None:
    """Waits recorded in whole days, two groups from the same distribution with its median
    on a jump between values: a gap is flagged about as rarely as it should be, and no
    interval shrinks to nothing."""
    rng = np.random.default_rng(8)
    days = np.array([1, 2, 3, 5])
    chances = [0.3, 0.2, 0.3, 0.2]  # half the waits are 2 days or less
    flagged = zero_width = 0
    for _ in range(300):
        group = np.sort(rng.choice(days, 60, p=chances)).astype(float)
        rest = np.sort(rng.choice(days, 600, p=chances)).astype(float)
        estimate = stats.median_difference(group, rest)
        flagged += estimate.excludes_zero
        zero_width += estimate.high == estimate.low
    assert flagged / 300 <= 0.07
    assert zero_width == 0


def test_it_gives_the_same_interval_for_the_same_waits() -> None:
    a, b = sorted(range(0, 90, 3)), sorted(range(5, 200, 4))
    assert stats.median_difference(a, b) == stats.median_difference(a, b)


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
