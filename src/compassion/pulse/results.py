"""What an office may see of its pulse answers: pooled blocks of at least k, never less.

Every result goes through here. The pages never query `Response` or `Comment` directly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from compassion.core.models import Office
from compassion.pulse import anonymity, scoring
from compassion.pulse.instruments import COMPASSIONATE_LEADERSHIP, INSTRUMENTS, Instrument
from compassion.pulse.models import (
    Comment,
    Cycle,
    Group,
    Invitation,
    PulseSettings,
    Response,
    SelfView,
)
from compassion.pulse.reference import load_reference, with_reference


@dataclass
class Window:
    """A block of consecutive cycles that together hold at least k responses (or not yet)."""

    cycles: list[Cycle]
    n: int
    complete: bool
    invited: int = 0
    people: int = 0  # how many different people answered, in a pooled block too

    @property
    def key(self) -> str:
        return str(self.cycles[0].pk)

    @property
    def pooled(self) -> bool:
        return len(self.cycles) > 1

    @property
    def label(self) -> str:
        first, last = self.cycles[0], self.cycles[-1]
        if first == last:
            return first.label
        if first.opens_on.year == last.opens_on.year:
            return f"{first.opens_on:%B} to {last.opens_on:%B %Y}"
        return f"{first.label} to {last.label}"

    @property
    def short_label(self) -> str:
        first, last = self.cycles[0], self.cycles[-1]
        if first == last:
            return first.short_label
        return f"{first.opens_on:%b}–{last.short_label}"

    @property
    def answered_text(self) -> str:
        """How many answered: people, in one month; answers and people, when months are
        pooled, since one person may answer in each of them."""
        if self.pooled:
            return f"{self.n} answer{'' if self.n == 1 else 's'} from {people(self.people)}"
        return people(self.n)

    @property
    def response_rate(self) -> float | None:
        return 100 * self.n / self.invited if self.invited else None

    @cached_property
    def responses(self) -> list[Response]:
        return list(Response.objects.filter(cycle__in=self.cycles))


def people(n: int) -> str:
    return f"{n} {'person' if n == 1 else 'people'}"


def windows(office: Office, k: int) -> list[Window]:
    """The office's cycles pooled into fixed blocks, oldest first (see pool_consecutive).

    A block is frozen (its number written on its cycles) the first time it is complete, and
    pooling only ever continues after the last frozen block. So changing k later cannot
    redraw old blocks into overlapping ones that could be subtracted from each other.
    """
    today = timezone.localdate()
    for cycle in Cycle.objects.for_office(office).filter(reshuffled=False, opens_on__lte=today):
        if cycle.is_closed(today):
            reshuffle(cycle)
    cycles = list(
        Cycle.objects.for_office(office)
        .filter(opens_on__lte=today)
        .annotate(n=Count("responses", distinct=True), invited=Count("invitations", distinct=True))
        .order_by("opens_on", "pk")
    )
    who = who_answered(cycles)
    frozen: dict[int, list[Cycle]] = {}
    for cycle in cycles:
        if cycle.block is not None:
            frozen.setdefault(cycle.block, []).append(cycle)
    # A frozen block stays as drawn; if k has since been raised above it, it is withheld.
    result = []
    for members in frozen.values():
        n, people = sum(c.n for c in members), set().union(*(who[c.pk] for c in members))
        result.append(
            Window(cycles=members, n=n, complete=n >= k and len(people) >= k, people=len(people))
        )
    rest = [cycle for cycle in cycles if cycle.block is None]
    by_pk = {cycle.pk: cycle for cycle in rest}
    next_block = max(frozen, default=0) + 1
    counts = [(c.pk, c.n, who[c.pk], c.is_closed(today)) for c in rest]
    for block in scoring.pool_consecutive(counts, k):
        members = [by_pk[key] for key in block.keys]
        if block.complete:
            freeze(members, next_block)
            next_block += 1
        result.append(
            Window(cycles=members, n=block.n, complete=block.complete, people=len(block.people))
        )
    for window in result:
        window.invited = sum(cycle.invited for cycle in window.cycles)
    return result


def who_answered(cycles: list[Cycle]) -> dict[int, frozenset[int]]:
    """For each cycle, the people whose link was used. It says who took part, never which
    answers are theirs: pooling needs it to count people, not answers."""
    found: dict[int, set[int]] = {cycle.pk: set() for cycle in cycles}
    used = Invitation.objects.filter(cycle__in=cycles, answered=True)
    for cycle_id, user_id in used.values_list("cycle_id", "user_id"):
        found[cycle_id].add(user_id)
    return {pk: frozenset(people) for pk, people in found.items()}


def reshuffle(cycle: Cycle) -> None:
    """Rewrite a closed cycle's answers and comments in random order, with new ids.

    Databases keep rows roughly in the order they were written. Rewritten shuffled, the
    stored order no longer matches the order in which people answered, which someone holding
    both the server's logs and the database could otherwise line up.
    """
    rng = random.SystemRandom()
    with transaction.atomic():
        # Lock the cycle so that two page views at once cannot both rewrite its answers.
        locked = Cycle.objects.select_for_update().filter(pk=cycle.pk, reshuffled=False).first()
        if locked is None:
            return
        responses = [(r.group, r.answers) for r in cycle.responses.all()]
        texts = list(cycle.comments.values_list("text", flat=True))
        rng.shuffle(responses)
        rng.shuffle(texts)
        cycle.responses.all().delete()
        cycle.comments.all().delete()
        Response.objects.bulk_create(
            Response(cycle=cycle, group=group, answers=answers) for group, answers in responses
        )
        Comment.objects.bulk_create(Comment(cycle=cycle, text=text) for text in texts)
        Cycle.objects.filter(pk=cycle.pk).update(reshuffled=True)


def freeze(cycles: list[Cycle], block: int) -> None:
    Cycle.objects.filter(pk__in=[c.pk for c in cycles], block__isnull=True).update(block=block)
    for cycle in cycles:
        cycle.block = block


@dataclass
class Breakdown:
    """Results for one group inside a window, or the reason they are refused."""

    group: str
    label: str
    scales: list[scoring.ScaleSummary] = field(default_factory=list)
    refused: str = ""


@dataclass
class WindowResults:
    window: Window
    scales: list[scoring.ScaleSummary]
    comments: list[str]
    gaps: list[scoring.BehaviourGap]
    self_view_cycle: Cycle | None


def summarise_all(answer_sets: list[dict[str, int]], k: int) -> list[scoring.ScaleSummary]:
    """Every instrument's summary, with the national figures an administrator has loaded."""
    instruments = with_reference(load_reference())
    return [scoring.summarise(instrument, answer_sets, min_n=k) for instrument in instruments]


def results_for(window: Window, k: int) -> WindowResults:
    """Everything shown for one complete window. Refuses an incomplete one."""
    if not window.complete:
        raise anonymity.Refused("These months do not yet hold enough answers to show.")
    responses = window.responses
    anonymity.check_count(len(responses), k, "in these months")
    scales = summarise_all([r.answers for r in responses], k)
    texts = list(Comment.objects.filter(cycle__in=window.cycles).values_list("text", flat=True))
    self_view = (
        SelfView.objects.filter(cycle__in=window.cycles)
        .select_related("cycle")
        .order_by("-cycle__opens_on")
        .first()
    )
    leadership = scales[INSTRUMENTS.index(COMPASSIONATE_LEADERSHIP)]
    return WindowResults(
        window=window,
        scales=scales,
        comments=anonymity.shuffled(texts),
        gaps=scoring.behaviour_gaps(leadership, self_view.answers if self_view else None),
        self_view_cycle=self_view.cycle if self_view else None,
    )


def breakdown(window: Window, group: str, k: int) -> Breakdown:
    """Results for one group, or refused if it (or its complement) holds 1 to k-1 people."""
    label = dict(Group.choices).get(group, group)
    result = Breakdown(group=group, label=label)
    responses = window.responses
    whole = frozenset(r.pk for r in responses)
    cells = {g: frozenset(r.pk for r in responses if r.group == g) for g in Group.values}
    if group not in cells:
        result.refused = "There is no such group."
        return result
    try:
        anonymity.check_differencing(cells[group], [whole, *cells.values()], k)
    except anonymity.Refused as refused:
        result.refused = str(refused)
        return result
    mine = [r for r in responses if r.group == group]
    result.scales = [
        summary
        if scale_can_be_shown(summary.instrument, responses, k)
        else scoring.summarise(summary.instrument, [], k)
        for summary in summarise_all([r.answers for r in mine], k)
    ]
    return result


def scale_can_be_shown(instrument: Instrument, responses: list[Response], k: int) -> bool:
    """Whether a scale may be broken down by group at all. The whole team's score and the
    groups' scores, set side by side, give away the answers that count in one and not the
    other: refused where 1 to k-1 people's answers count differently in the team's score
    than in their own group's (an item the team's score rests on may be one too few of a
    group answered, and so left out of that group's; a group too small to show counts as
    none)."""
    in_team = items_behind(instrument, responses, k)
    in_own_group: dict = {}
    for group in Group.values:
        in_own_group |= items_behind(instrument, [r for r in responses if r.group == group], k)
    differing = [pk for pk in in_team if in_team[pk] != in_own_group.get(pk, frozenset())]
    return not 0 < len(differing) < k


def items_behind(instrument: Instrument, responses: list[Response], k: int) -> dict:
    found = scoring.items_behind_scores(instrument, [r.answers for r in responses], k)
    return {r.pk: items for r, items in zip(responses, found, strict=True)}


@dataclass
class TrendPoint:
    window: Window
    mean: float | None
    ci: scoring.Interval | None
    n: int  # the answers the scale's score rests on (who skipped it is left out)


def trend(windows_: list[Window], instrument: Instrument, k: int) -> list[TrendPoint]:
    """A scale's mean and interval for each complete window, oldest first."""
    points = []
    for window in windows_:
        if not window.complete:
            continue
        summary = scoring.summarise(instrument, [r.answers for r in window.responses], k)
        points.append(TrendPoint(window=window, mean=summary.mean, ci=summary.ci, n=summary.n))
    return points


@dataclass
class Benchmark:
    offices: int
    n: int
    means: dict[str, float | None]


def installation_benchmark(office: Office, k: int, today: date | None = None) -> Benchmark | None:
    """Scale means pooled over every office of this installation in the last twelve months,
    from each office's complete blocks only (see `answers_in_blocks`).

    Shown only when at least three offices, each with k answers, take part.
    """
    today = today or timezone.localdate()
    answers_by_office = every_offices_blocks(today - timedelta(days=365))
    # Only offices that hold k answers themselves take part, so that even several offices
    # pooling what they know could not single out a small one.
    taking_part = {pk: a for pk, a in answers_by_office.items() if len(a) >= k}
    answer_sets = [answers for office_answers in taking_part.values() for answers in office_answers]
    own_n = len(taking_part.get(office.pk, []))
    if not anonymity.benchmark_allowed(own_n, len(answer_sets), len(taking_part), k):
        return None
    return Benchmark(
        offices=len(taking_part),
        n=len(answer_sets),
        means={i.code: scoring.summarise(i, answer_sets, k).mean for i in INSTRUMENTS},
    )


BENCHMARK_CACHE_SECONDS = 3600


def every_offices_blocks(since: date) -> dict[int, list[dict[str, int]]]:
    """Each office's answers in its complete blocks, worked out at most once an hour: it
    reads every office's pulses (about a second for 50 offices), and the results page
    would otherwise do so on every view."""
    key = f"pulse:benchmark-blocks:{since.isoformat()}"
    found = cache.get(key)
    if found is None:
        found = {
            office.pk: answers_in_blocks(office, since)
            for office in Office.objects.filter(pulse_cycles__opens_on__gte=since).distinct()
        }
        cache.set(key, found, BENCHMARK_CACHE_SECONDS)
    return found


def answers_in_blocks(office: Office, since: date) -> list[dict[str, int]]:
    """An office's answers in its complete blocks that began since a day.

    Whole blocks (each of at least the office's own k) join or leave the benchmark at once:
    a pulse of one answer closing would otherwise move it by that one person's score.
    """
    k = PulseSettings.for_office(office).k
    return [
        response.answers
        for window in windows(office, k)
        if window.complete and window.cycles[0].opens_on >= since
        for response in window.responses
    ]


def reviewer_cycles(office: Office) -> list[tuple[Cycle, list[scoring.ScaleSummary] | None, list]]:
    """For the trusted reviewer: each closed cycle on its own, from the floor of 3."""
    today = timezone.localdate()
    rows = []
    cycles = Cycle.objects.for_office(office).filter(opens_on__lte=today).order_by("-opens_on")
    for cycle in cycles:
        if not cycle.is_closed(today):
            continue
        responses = list(cycle.responses.all())
        if len(responses) < anonymity.FLOOR:
            rows.append((cycle, None, []))
            continue
        texts = list(cycle.comments.values_list("text", flat=True))
        rows.append(
            (
                cycle,
                summarise_all([r.answers for r in responses], anonymity.FLOOR),
                anonymity.shuffled(texts),
            )
        )
    return rows


def settings_for(office: Office) -> PulseSettings:
    return PulseSettings.for_office(office)
