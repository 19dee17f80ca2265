"""The psychometrics, checked by hand and against pingouin on the same data."""

import math
import random

import numpy as np
import pandas as pd
import pingouin
import pytest
from scipy import stats

from compassion.pulse import instruments, scoring
from compassion.pulse.instruments import (
    BURNOUT,
    COMPASSIONATE_LEADERSHIP,
    INSTRUMENTS,
    PSYCHOLOGICAL_SAFETY,
)


def messy_answers(seed: int, n: int) -> list[dict[str, int]]:
    """Correlated answers with some skipped questions, like a real small team."""
    rng = random.Random(seed)
    result = []
    for _ in range(n):
        mood = rng.gauss(0, 1)
        answers = {}
        for _, item in instruments.all_items():
            if rng.random() < 0.08:
                continue
            size = len(item.options)
            lean = -mood if item.reverse else mood
            position = (size + 1) / 2 + lean * size / 4 + rng.gauss(0, 0.8)
            answers[item.code] = min(size, max(1, round(position)))
        result.append(answers)
    return result


def test_it_scores_nhs_items_0_to_10_and_takes_the_mean_of_answered_items() -> None:
    answers = {"q9f": 5, "q9g": 4, "q9h": 2}  # q9i skipped
    assert scoring.item_scores(COMPASSIONATE_LEADERSHIP, answers) == [10.0, 7.5, 2.5, None]
    assert scoring.person_score(COMPASSIONATE_LEADERSHIP, answers) == pytest.approx(20 / 3)


def test_it_reverses_edmondson_items_1_3_5() -> None:
    # Very accurate (7) that mistakes are held against you is the worst answer: scores 1.
    answers = {f"ps{i}": 7 for i in range(1, 8)}
    scores = scoring.item_scores(PSYCHOLOGICAL_SAFETY, answers)
    assert scores == [1.0, 7.0, 1.0, 7.0, 1.0, 7.0, 7.0]
    assert scoring.person_score(PSYCHOLOGICAL_SAFETY, answers) == pytest.approx(31 / 7)


def test_it_scores_the_cbi_100_to_0_with_the_last_item_reversed() -> None:
    answers = {f"cbi{i}": 2 for i in range(1, 8)}  # "To a high degree" / "Often"
    scores = scoring.item_scores(BURNOUT, answers)
    assert scores == [75.0] * 6 + [25.0]
    assert scoring.person_score(BURNOUT, answers) == pytest.approx((75 * 6 + 25) / 7)
    # Fewer than half the items answered: no score, as Kristensen et al. prescribe.
    assert scoring.person_score(BURNOUT, {"cbi1": 1, "cbi2": 1, "cbi3": 1}) is None
    assert scoring.person_score(BURNOUT, {"cbi1": 1, "cbi2": 1, "cbi3": 1, "cbi4": 3}) == 87.5


def test_it_counts_burnout_at_50_and_over() -> None:
    burnt = {f"cbi{i}": 3 for i in range(1, 7)} | {"cbi7": 3}  # all "somewhat": exactly 50
    fine = {f"cbi{i}": 5 for i in range(1, 7)} | {"cbi7": 1}
    summary = scoring.summarise(BURNOUT, [burnt, fine, fine, fine])
    assert summary.case_share == 25.0


def test_it_refuses_answers_that_are_not_options() -> None:
    with pytest.raises(ValueError, match="not one of the options"):
        instruments.clean_answers({"q9f": "6"})
    with pytest.raises(ValueError):
        instruments.clean_answers({"ps1": "a lot"})
    assert instruments.clean_answers({"q9f": "4", "ps1": "", "unknown": "3"}) == {"q9f": 4}


def test_it_computes_percent_positive_per_nhs_item() -> None:
    answers = [{"q9h": code} for code in (1, 2, 3, 4, 5, 5, 4, 4)]
    item = scoring.summarise(COMPASSIONATE_LEADERSHIP, answers).items[2]
    assert item.n == 8
    assert item.percent_positive == pytest.approx(5 / 8 * 100)
    assert item.counts == [1, 1, 1, 3, 2]


@pytest.mark.parametrize("instrument", [i for i in INSTRUMENTS if len(i.items) > 1])
def test_it_matches_pingouin_cronbach_alpha(instrument: instruments.Instrument) -> None:
    answers = messy_answers(seed=11, n=40)
    rows = [scoring.item_scores(instrument, a) for a in answers]
    frame = pd.DataFrame(rows, columns=instrument.item_codes, dtype=float)

    alpha, interval, used = scoring.cronbach_alpha(rows)
    expected, _ = pingouin.cronbach_alpha(data=frame, nan_policy="listwise")
    assert used == len(frame.dropna())
    assert alpha == pytest.approx(expected, abs=1e-12)

    complete = frame.dropna()
    expected_alpha, expected_ci = pingouin.cronbach_alpha(data=complete)
    assert alpha == pytest.approx(expected_alpha, abs=1e-12)
    assert [interval.low, interval.high] == pytest.approx(list(expected_ci), abs=1e-3)
    assert 0.7 < alpha < 1  # the simulated team answers consistently


def test_it_warns_when_alpha_is_below_0_7() -> None:
    rng = random.Random(3)
    noise = [{f"ps{i}": rng.randint(1, 7) for i in range(1, 8)} for _ in range(30)]
    summary = scoring.summarise(PSYCHOLOGICAL_SAFETY, noise)
    assert summary.alpha is not None and summary.alpha_is_low


def test_it_gives_no_alpha_without_variance_or_rows() -> None:
    same = [{f"ps{i}": 4 for i in range(1, 8)}] * 6
    assert (
        scoring.cronbach_alpha([scoring.item_scores(PSYCHOLOGICAL_SAFETY, a) for a in same])[0]
        is None
    )
    assert scoring.cronbach_alpha([[1.0, 2.0]])[0] is None


@pytest.mark.parametrize("instrument", INSTRUMENTS)
def test_it_matches_pingouin_and_scipy_for_scale_means_and_intervals(
    instrument: instruments.Instrument,
) -> None:
    answers = messy_answers(seed=5, n=12)
    summary = scoring.summarise(instrument, answers)
    persons = [scoring.person_score(instrument, a) for a in answers]
    values = np.array([p for p in persons if p is not None])

    # The same scale scores computed by pandas from the item matrix (mean of answered items).
    frame = pd.DataFrame([scoring.item_scores(instrument, a) for a in answers], dtype=float)
    enough = frame.notna().sum(axis=1) >= instrument.min_answered_share * frame.shape[1]
    assert values == pytest.approx(frame[enough].mean(axis=1).to_numpy())

    assert summary.n == len(values)
    assert summary.mean == pytest.approx(values.mean())
    test = pingouin.ttest(values, 0)  # pingouin's t-test reports the 95% CI of the mean
    low, high = test["CI95%"].iloc[0] if "CI95%" in test else test["CI95"].iloc[0]
    assert summary.ci.low == pytest.approx(max(instrument.low, low), abs=0.01)
    assert summary.ci.high == pytest.approx(min(instrument.high, high), abs=0.01)
    expected = stats.t.interval(0.95, len(values) - 1, values.mean(), stats.sem(values))
    assert summary.ci.low == pytest.approx(max(instrument.low, expected[0]))


def test_it_gives_wilson_intervals_that_stay_within_0_and_100() -> None:
    interval = scoring.wilson_interval(5, 5)
    assert interval.high == pytest.approx(100)
    assert 50 < interval.low < 60  # 56.6% for 5 of 5
    assert scoring.wilson_interval(0, 0) is None
    mid = scoring.wilson_interval(3, 6)
    assert mid.low == pytest.approx(100 - mid.high)


def test_it_pools_consecutive_cycles_into_fixed_blocks() -> None:
    counts = [
        ("jan", 3, people("abc"), True),
        ("feb", 2, people("de"), True),
        ("mar", 4, people("abcd"), True),
        ("apr", 3, people("aef"), True),
        ("may", 2, people("ab"), False),
    ]
    blocks = scoring.pool_consecutive(counts, 5)
    assert [(b.keys, b.n, len(b.people), b.complete) for b in blocks] == [
        (["jan", "feb"], 5, 5, True),
        (["mar", "apr"], 7, 6, True),
        (["may"], 2, 2, False),
    ]
    # A later cycle never changes an earlier block: adding June leaves Jan-Feb as it was.
    later = scoring.pool_consecutive(
        [*counts[:4], ("may", 2, people("ab"), True), ("jun", 3, people("cde"), True)], 5
    )
    assert [b.keys for b in later] == [["jan", "feb"], ["mar", "apr"], ["may", "jun"]]


def test_a_block_needs_k_different_people_not_only_k_answers() -> None:
    """Two people answering every month reach k answers, never k people."""
    counts = [(month, 2, people("ab"), True) for month in ("jan", "feb", "mar")]
    assert [(b.n, b.complete) for b in scoring.pool_consecutive(counts, 5)] == [(6, False)]
    more = [*counts, ("apr", 3, people("cde"), True)]
    assert [(b.n, len(b.people), b.complete) for b in scoring.pool_consecutive(more, 5)] == [
        (9, 5, True)
    ]


def test_it_never_pools_past_an_open_cycle() -> None:
    counts = [
        ("jan", 2, people("ab"), True),
        ("feb", 9, people("cdefghijk"), False),
        ("mar", 4, people("lmno"), True),
    ]
    blocks = scoring.pool_consecutive(counts, 5)
    assert [(b.keys, b.complete) for b in blocks] == [(["jan", "feb"], False)]


def people(letters: str) -> frozenset[str]:
    """The people who answered a month, one letter each."""
    return frozenset(letters)


def test_it_shows_the_gap_between_self_view_and_team_view() -> None:
    team = scoring.summarise(
        COMPASSIONATE_LEADERSHIP,
        [{"q9f": 4, "q9g": 5, "q9h": 4, "q9i": 2}, {"q9f": 4, "q9g": 4, "q9h": 3, "q9i": 2}],
    )
    gaps = {g.behaviour: g for g in scoring.behaviour_gaps(team, {"q9f": 4, "q9g": 5, "q9i": 5})}
    assert gaps["helping"].gap == pytest.approx(2.5 - 10)
    assert gaps["attending"].gap == pytest.approx(8.75 - 10)
    assert gaps["empathizing"].gap is None  # the leader skipped it
    assert math.isclose(gaps["understanding"].self_score, 7.5)


def test_it_suppresses_items_and_scales_with_fewer_than_k_answers() -> None:
    answers = [{"q9f": 4, "q9g": 4}] * 3 + [{"q9f": 2}] * 2
    summary = scoring.summarise(COMPASSIONATE_LEADERSHIP, answers, min_n=5)
    assert summary.items[0].mean == pytest.approx((3 * 7.5 + 2 * 2.5) / 5)
    skipped = summary.items[1]
    assert skipped.suppressed and skipped.mean is None and skipped.counts == [0] * 5
    assert summary.alpha is None  # only three complete rows
    too_few = scoring.summarise(COMPASSIONATE_LEADERSHIP, answers[:4], min_n=5)
    assert too_few.mean is None and too_few.bands[0][2] == 0
    assert all(item.suppressed for item in too_few.items)


@pytest.mark.parametrize("lone_answer", [1, 5])
def test_a_suppressed_items_answers_cannot_be_worked_out_from_the_scale(lone_answer: int) -> None:
    """Five people agree with Q9F-Q9H; only one answers Q9I, so Q9I is "not shown". The
    scale's "% positive (all items)" took that one answer in: 15 of 16 positive (94%) said
    they disagreed, 16 of 16 (100%) that they agreed. Nothing about the scale may move with
    an answer that is not shown."""
    everyone = [{"q9f": 4, "q9g": 4, "q9h": 4}] * 4
    lone = {"q9f": 4, "q9g": 4, "q9h": 4, "q9i": lone_answer}
    shown = scoring.summarise(COMPASSIONATE_LEADERSHIP, [*everyone, lone], min_n=5)
    assert shown.items[3].suppressed and shown.items[3].n == 1
    assert shown.percent_positive == 100
    assert shown.mean == pytest.approx(7.5)
    assert shown.bands == scoring.bands([7.5] * 5, 0, 10)
