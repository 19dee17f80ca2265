"""Scores, confidence intervals, reliability and pooling for pulse results. Plain Python.

A response is a dict of item code to answer code (1 = first option). Everything here works on
lists of such dicts and never knows who answered. Checked against pingouin in the tests.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from compassion.pulse.instruments import BEHAVIOURS, Instrument, Item

Answers = dict[str, int]
ALPHA_WARNING_BELOW = 0.7
CONFIDENCE = 0.95


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


@dataclass
class ItemSummary:
    item: Item
    n: int
    mean: float | None
    ci: Interval | None
    percent_positive: float | None
    positive_ci: Interval | None
    # How many chose each option, in the order the options are shown.
    counts: list[int]
    reference: float | None = None
    # Fewer answers to this item than the anonymity threshold: nothing about it is shown.
    suppressed: bool = False


@dataclass
class ScaleSummary:
    instrument: Instrument
    n: int
    mean: float | None
    sd: float | None
    ci: Interval | None
    percent_positive: float | None
    items: list[ItemSummary]
    alpha: float | None
    alpha_ci: Interval | None
    alpha_n: int
    # Person scores grouped into equal-width bands across the scale's range.
    bands: list[tuple[float, float, int]] = field(default_factory=list)
    case_share: float | None = None

    @property
    def alpha_is_low(self) -> bool:
        return self.alpha is not None and self.alpha < ALPHA_WARNING_BELOW

    @property
    def reference(self) -> float | None:
        return self.instrument.reference.get("scale")

    @property
    def mean_text(self) -> str:
        if self.mean is None:
            return "no score"
        return f"{self.mean:.1f} of {self.instrument.high:g}"


def item_scores(instrument: Instrument, answers: Answers) -> list[float | None]:
    """The instrument's score for each item, in order; None where the item was skipped."""
    return [
        item.score(answers[item.code]) if item.code in answers else None
        for item in instrument.items
    ]


def person_score(instrument: Instrument, answers: Answers) -> float | None:
    """Mean of the items the person answered (NHS, Edmondson, CBI all score this way)."""
    scores = [s for s in item_scores(instrument, answers) if s is not None]
    if not scores:
        return None
    if len(scores) < instrument.min_answered_share * len(instrument.items):
        return None
    return sum(scores) / len(scores)


def mean_interval(
    values: Sequence[float], low: float, high: float, confidence: float = CONFIDENCE
) -> tuple[float | None, Interval | None]:
    """The mean and its t-based confidence interval, kept inside the scale's range."""
    n = len(values)
    if n == 0:
        return None, None
    mean = float(np.mean(values))
    if n < 2:
        return mean, None
    sem = float(np.std(values, ddof=1)) / math.sqrt(n)
    half = float(stats.t.ppf((1 + confidence) / 2, n - 1)) * sem
    return mean, Interval(max(low, mean - half), min(high, mean + half))


def wilson_interval(successes: int, n: int, confidence: float = CONFIDENCE) -> Interval | None:
    """Wilson score interval for a proportion, in percent (sound for small n)."""
    if n == 0:
        return None
    z = float(stats.norm.ppf((1 + confidence) / 2))
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return Interval(100 * max(0.0, centre - half), 100 * min(1.0, centre + half))


def cronbach_alpha(
    rows: Sequence[Sequence[float | None]] | np.ndarray, confidence: float = CONFIDENCE
) -> tuple[float | None, Interval | None, int]:
    """Cronbach's alpha on complete rows (listwise deletion), with Feldt's interval.

    `rows` holds item scores (None or NaN where skipped). Returns (alpha, interval, rows used).
    Alpha is None when it cannot be computed: fewer than two complete rows, fewer than two
    items, or no variance in the totals.
    """
    matrix = np.array(rows, dtype=float)
    if matrix.ndim != 2:
        return None, None, 0
    complete = matrix[~np.isnan(matrix).any(axis=1)]
    n, k = complete.shape
    if n < 2 or k < 2:
        return None, None, n
    covariance = np.cov(complete, rowvar=False, ddof=1)
    total_variance = covariance.sum()
    if total_variance <= 0:
        return None, None, n
    alpha = (k / (k - 1)) * (1 - np.trace(covariance) / total_variance)
    tail = 1 - confidence
    df1, df2 = n - 1, (n - 1) * (k - 1)
    lower = 1 - (1 - alpha) * stats.f.isf(tail / 2, df1, df2)
    upper = 1 - (1 - alpha) * stats.f.isf(1 - tail / 2, df1, df2)
    return float(alpha), Interval(float(lower), float(upper)), n


def code_matrix(instrument: Instrument, answers: Sequence[Answers]) -> np.ndarray:
    """Answer codes, one row per answer set and one column per item; 0 where skipped."""
    codes = instrument.item_codes
    return np.array([[a.get(code, 0) for code in codes] for a in answers], dtype=np.int64).reshape(
        len(answers), len(codes)
    )


def score_table(item: Item) -> np.ndarray:
    """Score by answer code, index 0 (skipped) being NaN, for lookups on a whole column."""
    return np.array([np.nan] + [item.score(c) for c in range(1, len(item.options) + 1)])


def favourable_table(item: Item) -> np.ndarray:
    return np.array([False] + [item.is_favourable(c) for c in range(1, len(item.options) + 1)])


def summarise_item(
    item: Item, codes: np.ndarray, reference: float | None, min_n: int = 1
) -> ItemSummary:
    """One item from its column of answer codes (skipped answers already removed)."""
    n = len(codes)
    counts = np.bincount(codes, minlength=len(item.options) + 1)[1:].tolist()
    if n < min_n:
        # Fewer answers to this item than the anonymity threshold: nothing about it is shown.
        return ItemSummary(
            item=item,
            n=n,
            mean=None,
            ci=None,
            percent_positive=None,
            positive_ci=None,
            counts=[0] * len(counts),
            reference=reference,
            suppressed=True,
        )
    scores = score_table(item)[codes]
    mean, ci = mean_interval(scores.tolist(), min(item.points), max(item.points))
    favourable = int(favourable_table(item)[codes].sum())
    return ItemSummary(
        item=item,
        n=n,
        mean=mean,
        ci=ci,
        percent_positive=100 * favourable / n if n else None,
        positive_ci=wilson_interval(favourable, n),
        counts=counts,
        reference=reference,
    )


def bands(values: Sequence[float], low: float, high: float, count: int = 5) -> list:
    """How many person scores fall in each of `count` equal bands from low to high."""
    edges = np.linspace(low, high, count + 1)
    inside = np.histogram(np.asarray(values, dtype=float), bins=edges)[0]  # last band closed
    return [(float(edges[i]), float(edges[i + 1]), int(inside[i])) for i in range(count)]


def scored_codes(
    instrument: Instrument, codes: np.ndarray, min_n: int
) -> tuple[np.ndarray, np.ndarray]:
    """The answer codes a scale's figures rest on, and who has a score. An item answered by
    fewer than min_n is not shown, so it is left out of the scale's own figures too:
    otherwise they would move with its few answers and give them away."""
    scored = np.where((codes > 0).sum(axis=0) >= min_n, codes, 0)
    per_person = (scored > 0).sum(axis=1)
    enough = (per_person > 0) & (per_person >= instrument.min_answered_share * codes.shape[1])
    return scored, enough


def items_behind_scores(
    instrument: Instrument, answers: Sequence[Answers], min_n: int
) -> list[frozenset[str]]:
    """For each answer set, the items its score on the scale rests on in `summarise` (none
    where it has no score, or where the scale is not shown at all)."""
    codes = code_matrix(instrument, answers)
    scored, enough = scored_codes(instrument, codes, min_n)
    if int(enough.sum()) < min_n:
        return [frozenset()] * len(answers)
    return [
        frozenset(item.code for item, code in zip(instrument.items, row, strict=True) if code > 0)
        if has_score
        else frozenset()
        for row, has_score in zip(scored, enough, strict=True)
    ]


def summarise(instrument: Instrument, answers: Sequence[Answers], min_n: int = 1) -> ScaleSummary:
    """Everything the results page shows about one scale, from anonymous answer sets.

    An item answered by fewer than `min_n` people (others skipped it) is suppressed, and so is
    a scale on which fewer than `min_n` people have a score, so a skipped question can never
    leave a result that rests on too few people.
    """
    codes = code_matrix(instrument, answers)
    scored, enough = scored_codes(instrument, codes, min_n)
    scores = (
        np.column_stack(
            [score_table(item)[scored[:, j]] for j, item in enumerate(instrument.items)]
        )
        if len(answers)
        else np.empty((0, len(instrument.items)))
    )
    answered = scored > 0
    per_person = answered.sum(axis=1)
    if int(enough.sum()) < min_n:
        # Too few people have a score on this scale: show nothing of it, not even its spread.
        codes, scored, scores, answered = codes[:0], scored[:0], scores[:0], answered[:0]
        per_person, enough = per_person[:0], enough[:0]
    sums = np.where(answered, scores, 0.0).sum(axis=1)
    values = (sums[enough] / per_person[enough]).tolist()
    mean, ci = mean_interval(values, instrument.low, instrument.high)
    items = [
        summarise_item(item, codes[codes[:, j] > 0, j], instrument.reference.get(item.code), min_n)
        for j, item in enumerate(instrument.items)
    ]
    favourable = sum(
        int(favourable_table(item)[scored[:, j]].sum()) for j, item in enumerate(instrument.items)
    )
    total_answers = int(answered.sum())
    alpha, alpha_ci, alpha_n = cronbach_alpha(scores)
    if alpha_n < min_n or len(instrument.items) < 2:
        alpha, alpha_ci = None, None
    case_share = None
    if instrument.case_threshold is not None and values:
        cases = sum(1 for v in values if v >= instrument.case_threshold)
        case_share = 100 * cases / len(values)
    return ScaleSummary(
        instrument=instrument,
        n=len(values),
        mean=mean,
        sd=float(np.std(values, ddof=1)) if len(values) > 1 else None,
        ci=ci,
        percent_positive=100 * favourable / total_answers if total_answers else None,
        items=items,
        alpha=alpha,
        alpha_ci=alpha_ci,
        alpha_n=alpha_n,
        bands=bands(values, instrument.low, instrument.high),
        case_share=case_share,
    )


@dataclass
class Block:
    """Consecutive cycles pooled together until they hold at least k responses from at
    least k different people."""

    keys: list[Hashable]
    n: int
    complete: bool
    people: set[Hashable] = field(default_factory=set)


def pool_consecutive(
    counts: Sequence[tuple[Hashable, int, frozenset[Hashable], bool]], k: int
) -> list[Block]:
    """Partition cycles, oldest first, into fixed blocks of at least k responses from at
    least k different people.

    `counts` is (key, responses, who answered, closed) per cycle in date order. Someone may
    answer in each month of a block, so its responses alone could reach k from fewer people:
    two staff over three months give six. A block closes as soon as its closed cycles hold k
    responses from k people, and never changes afterwards, so two releasable blocks never
    overlap and one can never be subtracted from another to isolate a person. The newest
    block may be incomplete (too few, or a cycle still open): not shown.
    """
    blocks: list[Block] = []
    current = Block(keys=[], n=0, complete=False)
    for key, n, people, closed in counts:
        current.keys.append(key)
        current.n += n
        current.people |= people
        if not closed:
            break
        if current.n >= k and len(current.people) >= k:
            current.complete = True
            blocks.append(current)
            current = Block(keys=[], n=0, complete=False)
    if current.keys:
        blocks.append(current)
    return blocks


@dataclass
class BehaviourGap:
    behaviour: str
    item: Item
    self_score: float | None
    team_mean: float | None
    team_ci: Interval | None

    @property
    def gap(self) -> float | None:
        """Team view minus self-view: negative means the leader rates themself higher."""
        if self.self_score is None or self.team_mean is None:
            return None
        return self.team_mean - self.self_score


def behaviour_gaps(team: ScaleSummary, self_answers: Answers | None) -> list[BehaviourGap]:
    """The leader's self-view beside the team's view, behaviour by behaviour (0-10)."""
    by_behaviour = {summary.item.behaviour: summary for summary in team.items}
    gaps = []
    for behaviour in BEHAVIOURS:
        summary = by_behaviour[behaviour]
        code = (self_answers or {}).get(summary.item.code)
        gaps.append(
            BehaviourGap(
                behaviour=behaviour,
                item=summary.item,
                self_score=summary.item.score(code) if code else None,
                team_mean=summary.mean,
                team_ci=summary.ci,
            )
        )
    return gaps
