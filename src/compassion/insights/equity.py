"""The equity audit: are response times and outcomes as good for those with the most need?

Each group is compared with everyone else in the same population (cases opened in the last
12 months, campaign messages left out because they all get the same bulk reply). Shares
use Newcombe intervals, medians a percentile bootstrap interval (see `stats`).

So that no one can be singled out, a group of fewer than MIN_PEOPLE people is not shown,
and its people are left out of every other figure too: were they in "everyone else", the
shown groups' figures would give theirs away by subtraction. For the same reason a group
that differs from a smaller shown one by fewer than MIN_PEOPLE people is withheld, and of
two groups holding the same people only the narrower is listed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
from django.core.cache import cache
from django.db.models import (
    Count,
    DateTimeField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from compassion.cases.models import Case, Outcome
from compassion.core.models import AgeBand, Office, Vulnerability
from compassion.core.themes import Theme
from compassion.insights import stats
from compassion.insights.dashboard import acknowledgement_filters
from compassion.insights.models import AreaDeprivation, AreaKind
from compassion.insights.queries import HoursBetween, in_months, last_months
from compassion.insights.tables import Table
from compassion.voices.models import Channel, Voice

MIN_PEOPLE = 10
DIMENSIONS = {
    "area": "Area deprivation",
    "vulnerability": "Recorded vulnerability",
    "age": "Age band",
    "channel": "Channel",
    "theme": "Theme",
}
LETTERS_AND_PHONE = [Channel.LETTER, Channel.PHONE]
AUDIT_TTL = 60 * 60
HELPED = [Outcome.HELPED, Outcome.PARTLY]


@dataclass(frozen=True)
class ValueIn:
    """The key's first column is one of these values."""

    values: frozenset

    def __call__(self, key: tuple) -> bool:
        return key[0] in self.values


@dataclass(frozen=True)
class Recorded:
    """The person's vulnerabilities (the key's JSON text) include this one."""

    vulnerability: str

    def __call__(self, key: tuple) -> bool:
        return f'"{self.vulnerability}"' in (key[0] or "")


@dataclass(frozen=True)
class LanguageNeeds:
    """Language needs recorded, or a preferred language other than English given."""

    def __call__(self, key: tuple) -> bool:
        return '"language"' in (key[0] or "") or bool(key[1])


@dataclass(frozen=True)
class InAreas:
    """The person's one area (see `AreaOf`) is one of these."""

    areas: frozenset

    def __call__(self, key: tuple) -> bool:
        return key[0] in self.areas


@dataclass(frozen=True)
class AreaOf:
    """A person's one area, from their (ward, postcode): their ward where it is one of the
    office's areas, else their postcode district ("NB1" of "nb1 2ab" or "NB12AB")."""

    wards: frozenset

    def __call__(self, key: tuple) -> tuple:
        ward, postcode = (key[0] or "").strip().lower(), key[1] or ""
        if ward in self.wards:
            return (f"ward:{ward}",)
        compact = postcode.replace(" ", "").upper()
        return (f"district:{compact[:-3]}",) if 5 <= len(compact) <= 7 else ("",)


def same_key(key: tuple) -> tuple:
    return key


@dataclass
class Group:
    """Some of the cases: those whose key (the dimension's KEY_COLUMNS) `matches`."""

    key: str
    label: str
    matches: Callable[[tuple], bool]


@dataclass
class Comparison:
    """One group against everyone else; the estimate is the group's value minus theirs."""

    group: Group
    people: int
    n: int
    n_rest: int
    value: float | None
    rest_value: float | None
    higher_is_better: bool = True
    inputs: tuple = ()
    estimate: stats.Estimate | None = None
    clear: bool = False
    clear_adjusted: bool = False
    withheld: bool = False  # large enough, but it would give a smaller group away

    @property
    def suppressed(self) -> bool:
        return self.people < MIN_PEOPLE or self.withheld

    @property
    def worse(self) -> bool:
        if self.estimate is None or not self.clear:
            return False
        return (self.estimate.value < 0) == self.higher_is_better

    @property
    def better(self) -> bool:
        return self.clear and not self.worse

    def estimate_at(self, confidence: float) -> stats.Estimate:
        kind, values = self.inputs
        if kind == "share":
            return stats.newcombe_difference(*values, confidence=confidence)
        return stats.median_difference(*values, confidence=confidence)


@dataclass
class Measure:
    key: str
    title: str
    unit: str  # "points" for shares, "hours" for medians
    higher_is_better: bool
    comparisons: list[Comparison] = field(default_factory=list)


@dataclass
class Audit:
    dimension: str
    measures: list[Measure]
    population: int
    comparisons_made: int
    missing_deciles: bool = False
    worked_out_at: datetime = field(default_factory=timezone.now)

    @property
    def flagged(self) -> list[tuple[Measure, Comparison]]:
        return [(m, c) for m in self.measures for c in m.comparisons if c.worse]


def cached_audit(office: Office, dimension: str, today: date | None = None) -> Audit:
    """The audit as worked out within the last AUDIT_TTL (it reads 12 months of cases)."""
    today = today or timezone.localdate()
    key = f"insights:audit:{office.pk}:{dimension}:{today}"
    audit = cache.get(key)
    if audit is None:
        audit = run_audit(office, dimension, today)
        cache.set(key, audit, AUDIT_TTL)
    return audit


def forget_audits(office: Office) -> None:
    today = timezone.localdate()
    cache.delete_many([f"insights:audit:{office.pk}:{d}:{today}" for d in DIMENSIONS])


def population(office: Office, today: date) -> QuerySet[Case]:
    months = last_months(today)
    return Case.objects.for_office(office).filter(
        in_months("opened_at", months), campaign__isnull=True
    )


# The columns each dimension's groups are told apart by, one row of counts per combination.
KEY_COLUMNS = {
    "area": ("person__ward", "person__postcode"),
    "vulnerability": ("vulnerability_text", "person__preferred_language"),
    "age": ("person__age_band",),
    "channel": ("first_channel",),
    "theme": ("theme",),
}
# Dimensions keyed by what is recorded about the person: each person has one key, so the
# people of a group add up across its keys.
PERSON_KEYED = {"area", "vulnerability", "age"}


def groups_for(office: Office, dimension: str) -> list[Group]:
    """The groups compared, from broad to narrow: where two hold the same people, the
    narrower (later) is the one listed."""
    if dimension == "area":
        return area_groups(office)
    if dimension == "vulnerability":
        groups = [Group(value, label, Recorded(value)) for value, label in Vulnerability.choices]
        groups.append(
            Group(
                "any_language",
                "Language needs (recorded or a preferred language)",
                LanguageNeeds(),
            )
        )
        return groups
    if dimension == "age":
        return [one_value(v, label) for v, label in AgeBand.choices if v]
    if dimension == "channel":
        both = Group(
            "letter_phone", "Letters and phone calls", ValueIn(frozenset(LETTERS_AND_PHONE))
        )
        return [both] + [one_value(v, label) for v, label in Channel.choices]
    if dimension == "theme":
        return [one_value(v, label) for v, label in Theme.choices]
    raise ValueError(f"Unknown dimension {dimension!r}.")


def one_value(value: str, label: str) -> Group:
    return Group(value, label, ValueIn(frozenset([value])))


def area_groups(office: Office) -> list[Group]:
    """One group per decile band and per imported area (a ward, or a postcode district)."""
    areas = list(AreaDeprivation.objects.filter(office=office))
    bands = [
        ("most", "Most deprived (deciles 1 and 2)", 1, 2),
        ("middle", "Middle (deciles 3 to 7)", 3, 7),
        ("least", "Least deprived (deciles 8 to 10)", 8, 10),
    ]
    groups = []
    for key, label, low, high in bands:
        members = [a for a in areas if low <= a.decile <= high]
        if members:
            groups.append(Group(key, label, in_areas(members)))
    for area in areas:
        label = f"{area.area} (decile {area.decile})"
        groups.append(Group(f"area-{area.pk}", label, in_areas([area])))
    return groups


def in_areas(areas: list[AreaDeprivation]) -> InAreas:
    return InAreas(frozenset(area_name(a) for a in areas))


def area_name(area: AreaDeprivation) -> str:
    if area.kind == AreaKind.WARD:
        return f"ward:{area.area.strip().lower()}"
    return f"district:{area.area.replace(' ', '').upper()}"


def key_resolver(office: Office, dimension: str) -> Callable[[tuple], tuple]:
    """How a row's key columns become the key its groups match on."""
    if dimension != "area":
        return same_key
    wards = AreaDeprivation.objects.filter(office=office, kind=AreaKind.WARD)
    return AreaOf(frozenset(area.strip().lower() for area in wards.values_list("area", flat=True)))


def annotate_for(cases: QuerySet[Case], dimension: str) -> QuerySet[Case]:
    """Add the columns a dimension's groups filter on (computed in the database)."""
    if dimension == "vulnerability":
        return cases.annotate(vulnerability_text=Cast("person__vulnerabilities", TextField()))
    if dimension == "channel":
        first = Voice.objects.filter(case=OuterRef("pk")).order_by("received_at")
        return cases.annotate(first_channel=Subquery(first.values("channel")[:1]))
    return cases


def known_for(dimension: str) -> Q:
    """The cases a dimension can say something about (the comparison's whole)."""
    if dimension in ("area", "vulnerability", "age"):
        return Q(person__isnull=False)
    if dimension == "channel":
        return Q(first_channel__isnull=False)
    return Q()


def run_audit(office: Office, dimension: str, today: date | None = None) -> Audit:
    today = today or timezone.localdate()
    groups = groups_for(office, dimension)
    cases = annotate_for(population(office, today), dimension).filter(known_for(dimension))
    due, in_time = acknowledgement_filters(today)
    resolve = key_resolver(office, dimension)
    rows = key_counts(cases, dimension, due, in_time, resolve)
    members = {group.key: frozenset(key for key in rows if group.matches(key)) for group in groups}
    people = PeopleCounter(cases, dimension, rows)
    compared, small = compared_keys(groups, members, people)
    held = {key: keys & compared for key, keys in members.items()}
    shown = {g.key for g in groups if g.key not in small and people.of(held[g.key])}
    groups, withheld = listed_groups(groups, held, shown, people)
    durations = ack_durations(cases, groups, KEY_COLUMNS[dimension], resolve, compared)
    acknowledged = Measure(
        "acknowledged", "Acknowledged within the service standard", "points", True
    )
    helped = Measure("helped", "Helped or partly helped, of cases with an outcome", "points", True)
    waited = Measure("ack_hours", "Median time to acknowledge", "hours", False)
    total = added_up(rows, compared)
    for group in groups:
        mine = added_up(rows, held[group.key])
        rest = {m: total[m] - mine[m] for m in MEASURES}
        size = people.of(members[group.key] if group.key in small else held[group.key])
        comparisons = [
            proportion(group, size, mine["in_time"], mine["due"], rest["in_time"], rest["due"]),
            median_comparison(group, size, *durations[group.key]),
            proportion(
                group, size, mine["helped"], mine["outcome"], rest["helped"], rest["outcome"]
            ),
        ]
        for measure, comparison in zip((acknowledged, waited, helped), comparisons, strict=True):
            comparison.withheld = group.key in withheld or group.key in small
            if comparison.suppressed:
                comparison.estimate = None
            measure.comparisons.append(comparison)
    measures = [acknowledged, waited, helped]
    made = mark_clear(measures)
    missing = dimension == "area" and not AreaDeprivation.objects.filter(office=office).exists()
    return Audit(dimension, measures, total["cases"], made, missing)


MEASURES = ["people", "cases", "due", "in_time", "outcome", "helped"]


def key_counts(
    cases: QuerySet[Case],
    dimension: str,
    due: Q,
    in_time: Q,
    resolve: Callable[[tuple], tuple],
) -> dict[tuple, dict[str, int]]:
    """People, cases, cases due, in time, with an outcome and helped, per key: one grouped
    query (each row's expressions worked out once), rows of one key added up."""
    columns = KEY_COLUMNS[dimension]
    rows = (
        cases.values(*columns)
        .order_by()
        .annotate(
            n_people=Count("person", distinct=True),
            n_cases=Count("id"),
            n_due=Count("id", filter=due),
            n_in_time=Count("id", filter=due & in_time),
            n_outcome=Count("id", filter=~Q(outcome="")),
            n_helped=Count("id", filter=Q(outcome__in=HELPED)),
        )
    )
    counts: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
    for row in rows:
        key = resolve(tuple(row[column] for column in columns))
        for measure in MEASURES:
            counts[key][measure] += row[f"n_{measure}"]
    return dict(counts)


def added_up(rows: dict[tuple, dict[str, int]], keys: Iterable[tuple]) -> dict[str, int]:
    return {m: sum(rows[key][m] for key in keys) for m in MEASURES}


@dataclass
class PeopleCounter:
    """How many people have cases under some keys. Where each person has one key, the keys'
    counts add up; otherwise (a person may write by letter and by phone) the database counts
    them once."""

    cases: QuerySet[Case]
    dimension: str
    rows: dict[tuple, dict[str, int]]

    def of(self, keys: frozenset) -> int:
        if self.dimension in PERSON_KEYED or len(keys) < 2:
            return sum(self.rows[key]["people"] for key in keys)
        column = KEY_COLUMNS[self.dimension][0]
        matching = self.cases.filter(**{f"{column}__in": [key[0] for key in keys]})
        return matching.aggregate(n=Count("person", distinct=True))["n"]


def compared_keys(
    groups: list[Group], members: dict[str, frozenset], people: PeopleCounter
) -> tuple[frozenset, set[str]]:
    """The keys whose cases enter the figures, and the groups too small to show: their keys
    are left out (which can shrink another group below the line, so again until no group
    is). Those in no group (of unknown age, in an area with no deprivation figures) count
    among "everyone else" only if they too are at least MIN_PEOPLE people."""
    compared = frozenset(people.rows)
    small: set[str] = set()
    while True:
        newly = [
            g.key
            for g in groups
            if g.key not in small and 0 < people.of(members[g.key] & compared) < MIN_PEOPLE
        ]
        if not newly:
            break
        small.update(newly)
        compared -= frozenset().union(*(members[key] for key in newly))
    in_no_group = compared - frozenset().union(*members.values())
    if people.of(in_no_group) < MIN_PEOPLE:
        compared -= in_no_group
    return compared, small


def listed_groups(
    groups: list[Group], held: dict[str, frozenset], shown: set[str], people: PeopleCounter
) -> tuple[list[Group], set[str]]:
    """The groups to list, and those of them to withhold. Of two shown groups holding the
    same people, only the narrower (later) is listed. Where each person has one key, a
    shown group that holds a smaller shown one and fewer than MIN_PEOPLE others is
    withheld: the one minus the other would single those few out."""
    listed = []
    for position, group in enumerate(groups):
        later = groups[position + 1 :]
        if group.key in shown and any(
            other.key in shown and held[other.key] == held[group.key] for other in later
        ):
            continue
        listed.append(group)
    withheld = set()
    if people.dimension in PERSON_KEYED:
        for group in listed:
            for smaller in listed:
                both_shown = group.key in shown and smaller.key in shown
                if both_shown and held[smaller.key] < held[group.key]:
                    extra = held[group.key] - held[smaller.key]
                    if people.of(extra) < MIN_PEOPLE:
                        withheld.add(group.key)
    return listed, withheld


def ack_durations(
    cases: QuerySet[Case],
    groups: list[Group],
    columns: tuple[str, ...],
    resolve: Callable[[tuple], tuple],
    compared: frozenset,
) -> dict[str, tuple[list, list]]:
    """Hours to acknowledge, sorted, inside and outside each group, from one fetch. A case
    not yet acknowledged counts with the hours it has waited so far: left out, a group
    whose letters are never acknowledged would look quickly served."""
    until = Coalesce("acknowledged_at", Value(timezone.now(), output_field=DateTimeField()))
    waits = cases.annotate(hours=HoursBetween(until, "opened_at"))
    by_key: dict[tuple, list[float]] = defaultdict(list)
    for hours, *key in waits.values_list("hours", *columns):
        resolved = resolve(tuple(key))
        if resolved in compared:
            by_key[resolved].append(hours)
    # Rounded to a hundredth of an hour, so that equal waits compare equal.
    arrays = {key: np.round(np.array(values), 2) for key, values in by_key.items()}
    empty = np.array([], dtype=float)
    result = {}
    for group in groups:
        inside: list[np.ndarray] = []
        outside: list[np.ndarray] = []
        for key, hours in arrays.items():
            (inside if group.matches(key) else outside).append(hours)
        result[group.key] = (
            np.sort(np.concatenate(inside or [empty])),
            np.sort(np.concatenate(outside or [empty])),
        )
    return result


def proportion(
    group: Group, people: int, part: int, whole: int, rest_part: int, rest_whole: int
) -> Comparison:
    comparison = Comparison(
        group,
        people,
        whole,
        rest_whole,
        part / whole if whole else None,
        rest_part / rest_whole if rest_whole else None,
        inputs=("share", (part, whole, rest_part, rest_whole)),
    )
    if whole and rest_whole and not comparison.suppressed:
        comparison.estimate = comparison.estimate_at(stats.CONFIDENCE)
    return comparison


def median_comparison(
    group: Group, people: int, inside: Sequence[float], outside: Sequence[float]
) -> Comparison:
    comparison = Comparison(
        group,
        people,
        len(inside),
        len(outside),
        stats.median(inside) if len(inside) else None,
        stats.median(outside) if len(outside) else None,
        higher_is_better=False,
        inputs=("median", (inside, outside)),
    )
    if len(inside) >= MIN_PEOPLE and len(outside) >= MIN_PEOPLE and not comparison.suppressed:
        comparison.estimate = comparison.estimate_at(stats.CONFIDENCE)
    return comparison


def mark_clear(measures: list[Measure]) -> int:
    """Flag clear gaps at 95%, and those still clear after a Bonferroni correction for the
    number of distinct comparisons shown."""
    shown = [
        (measure.key, c)
        for measure in measures
        for c in measure.comparisons
        if c.estimate and not c.suppressed
    ]
    made = count_distinct(shown)
    adjusted = 1 - (1 - stats.CONFIDENCE) / max(made, 1)
    for _, comparison in shown:
        comparison.clear = comparison.estimate.excludes_zero
        comparison.clear_adjusted = comparison.estimate_at(adjusted).excludes_zero
    for measure in measures:
        for comparison in measure.comparisons:
            comparison.inputs = ()  # the raw waits are not kept (nor cached) once used
    return made


def count_distinct(shown: list[tuple[str, Comparison]]) -> int:
    """How many comparisons there are: where two groups make up everyone, each against the
    rest is one comparison seen from either side, and counts once."""
    seen, made = set(), 0
    for key, comparison in shown:
        inside, outside = sides(comparison)
        if (key, outside, inside) not in seen:
            made += 1
        seen.add((key, inside, outside))
    return made


def sides(comparison: Comparison) -> tuple[Hashable, Hashable]:
    """What the group and the rest are compared by: counts, or every wait."""
    kind, values = comparison.inputs
    if kind == "share":
        part, whole, rest_part, rest_whole = values
        return (part, whole), (rest_part, rest_whole)
    inside, outside = values
    return np.asarray(inside).tobytes(), np.asarray(outside).tobytes()


def measure_value(value: float | None, unit: str, decimals: int = 0) -> str:
    if value is None:
        return "–"
    if unit == "points":
        return f"{value * 100:.{decimals}f}%"
    return f"{value:.{decimals}f} hours"


def compared_values(comparison: Comparison, unit: str) -> tuple[str, str]:
    """The group's value and everyone else's, in whole numbers where they add up to the
    difference shown beside them, and to a tenth where rounding each would not (70% against
    82% beside "-11 points" reads as a mistake; 70.4% against 81.5% does not)."""
    scale = 100 if unit == "points" else 1
    value, rest = comparison.value, comparison.rest_value
    decimals = 0
    if value is not None and rest is not None:
        apart = round(value * scale) - round(rest * scale)
        decimals = 0 if apart == round((value - rest) * scale) else 1
    return measure_value(value, unit, decimals), measure_value(rest, unit, decimals)


def difference_text(comparison: Comparison, unit: str) -> str:
    """The difference and its interval, e.g. '-12 points (-18 to -6)'."""
    e = comparison.estimate
    if e is None:
        return "–"
    scale, word = (100, "point") if unit == "points" else (1, "hour")
    value, low, high = (signed(x * scale) for x in (e.value, e.low, e.high))
    plural = "" if value in ("+1", "-1") else "s"
    return f"{value} {word}{plural} ({low} to {high})"


def signed(x: float) -> str:
    """A whole number with its sign, or a tenth when that would round to a misleading 0
    (so that an interval from +0.3 reads as clear of zero and one from -0.2 does not)."""
    if round(x) != 0:
        return f"{round(x):+d}"
    if round(x, 1) == 0:
        return "0"
    return f"{x:+.1f}"


def verdict(comparison: Comparison) -> str:
    if comparison.people == 0:
        return "No cases in this group"
    if comparison.people < MIN_PEOPLE:
        return f"Fewer than {MIN_PEOPLE} people: not shown"
    if comparison.withheld:
        return (
            f"Not shown: with the groups shown, it would single out fewer than {MIN_PEOPLE} people"
        )
    if comparison.estimate is None:
        return "Too few cases to compare"
    if not comparison.clear:
        return "No clear difference"
    side = "worse" if comparison.worse else "better"
    if comparison.clear_adjusted:
        return f"Clearly {side}, even allowing for the number of comparisons"
    return f"Possibly {side}: clear on its own, but among this many comparisons it could be chance"


def audit_table(audit: Audit) -> Table:
    rows: list[list[object]] = []
    for measure in audit.measures:
        for c in measure.comparisons:
            hidden = c.suppressed
            e = c.estimate
            scale = 100 if measure.unit == "points" else 1
            rows.append(
                [
                    measure.title,
                    c.group.label,
                    None if hidden else c.people,
                    None if hidden else c.n,
                    None if hidden or c.value is None else round(c.value * scale, 1),
                    None if hidden or c.rest_value is None else round(c.rest_value * scale, 1),
                    None if hidden or e is None else round(e.value * scale, 1),
                    None if hidden or e is None else round(e.low * scale, 1),
                    None if hidden or e is None else round(e.high * scale, 1),
                    verdict(c),
                ]
            )
    unit = "% or hours"
    return Table(
        f"equity-{audit.dimension}",
        f"Equity audit by {DIMENSIONS[audit.dimension].lower()}",
        [
            "Measure",
            "Group",
            "People",
            "Cases",
            f"Group ({unit})",
            f"Everyone else ({unit})",
            "Difference",
            "95% interval from",
            "95% interval to",
            "Verdict",
        ],
        rows,
        note=f"Groups of fewer than {MIN_PEOPLE} people are not shown, and their people are "
        "left out of every other figure, everyone else's included; so is a group that would "
        f"single out fewer than {MIN_PEOPLE} people beside the groups shown. Differences are "
        "the group minus everyone else: percentage points for shares, hours for medians.",
    )


def comparison_evidence(measure: Measure, comparison: Comparison) -> str:
    value, rest = compared_values(comparison, measure.unit)
    return (
        f"{measure.title}: {value} for "
        f"{comparison.group.label} ({comparison.n} cases, {comparison.people} people) against "
        f"{rest} for everyone else "
        f"({comparison.n_rest} cases). Difference {difference_text(comparison, measure.unit)} "
        "(95% confidence interval), equity audit of the last 12 months."
    )
