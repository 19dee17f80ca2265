"""The equity audit: are response times and outcomes as good for those with the most need?

Each group is compared with everyone else in the same population (cases opened in the last
12 months, campaign messages left out because they all get the same bulk reply). Shares
use Newcombe intervals, medians the Bonett-Price interval (see `stats`). Groups of fewer
than MIN_PEOPLE people are suppressed, so that no one can be singled out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case as When_Case
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, TextField, Value, When
from django.db.models.functions import Cast, StrIndex, Substr
from django.utils import timezone

from compassion.cases.models import Case, Outcome
from compassion.core.models import AgeBand, Office, Vulnerability
from compassion.core.themes import Theme
from compassion.insights import stats
from compassion.insights.dashboard import acknowledgement_filters
from compassion.insights.models import AreaDeprivation, AreaKind
from compassion.insights.queries import hours_between, in_months, last_months
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
HELPED = [Outcome.HELPED, Outcome.PARTLY]


@dataclass
class Group:
    """Some of the cases: `condition` selects them; `values` lists their key column's values
    when the dimension has one value per case (age band, channel, theme)."""

    key: str
    label: str
    condition: Q
    values: tuple[str, ...] = ()


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

    @property
    def suppressed(self) -> bool:
        return self.people < MIN_PEOPLE

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

    @property
    def flagged(self) -> list[tuple[Measure, Comparison]]:
        return [(m, c) for m in self.measures for c in m.comparisons if c.worse]


def population(office: Office, today: date) -> QuerySet[Case]:
    months = last_months(today)
    return Case.objects.for_office(office).filter(
        in_months("opened_at", months), campaign__isnull=True
    )


def groups_for(office: Office, dimension: str) -> list[Group]:
    if dimension == "area":
        return area_groups(office)
    if dimension == "vulnerability":
        groups = [
            Group(value, label, Q(vulnerability_text__contains=f'"{value}"'))
            for value, label in Vulnerability.choices
        ]
        groups.append(
            Group(
                "any_language",
                "Language needs (recorded or a preferred language)",
                Q(vulnerability_text__contains='"language"') | ~Q(person__preferred_language=""),
            )
        )
        return groups
    if dimension == "age":
        return [keyed(v, label, "person__age_band") for v, label in AgeBand.choices if v]
    if dimension == "channel":
        both = Group(
            "letter_phone",
            "Letters and phone calls",
            Q(first_channel__in=LETTERS_AND_PHONE),
            tuple(LETTERS_AND_PHONE),
        )
        return [both] + [keyed(v, label, "first_channel") for v, label in Channel.choices]
    if dimension == "theme":
        return [keyed(v, label, "theme") for v, label in Theme.choices]
    raise ValueError(f"Unknown dimension {dimension!r}.")


KEY_COLUMNS = {"age": "person__age_band", "channel": "first_channel", "theme": "theme"}


def keyed(value: str, label: str, column: str) -> Group:
    return Group(value, label, Q(**{column: value}), (value,))


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
            groups.append(Group(key, label, area_condition(members)))
    for area in areas:
        groups.append(
            Group(f"area-{area.pk}", f"{area.area} (decile {area.decile})", area_condition([area]))
        )
    return groups


def area_condition(areas: list[AreaDeprivation]) -> Q:
    wards = [a.area for a in areas if a.kind == AreaKind.WARD]
    districts = [a.area.upper() for a in areas if a.kind == AreaKind.DISTRICT]
    condition = Q(person__ward__in=wards) if wards else Q(pk__in=[])
    if districts:
        condition |= Q(postcode_district__in=districts)
    return condition


def annotate_for(cases: QuerySet[Case], dimension: str) -> QuerySet[Case]:
    """Add the columns a dimension's groups filter on (computed in the database)."""
    if dimension == "vulnerability":
        return cases.annotate(vulnerability_text=Cast("person__vulnerabilities", TextField()))
    if dimension == "channel":
        first = Voice.objects.filter(case=OuterRef("pk")).order_by("received_at")
        return cases.annotate(first_channel=Subquery(first.values("channel")[:1]))
    if dimension == "area":
        space = StrIndex(F("person__postcode"), Value(" "))
        district = When_Case(
            When(person__postcode__contains=" ", then=Substr("person__postcode", 1, space - 1)),
            default=F("person__postcode"),
        )
        return cases.annotate(postcode_district=district)
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
    column = KEY_COLUMNS.get(dimension)
    if column:
        counts = keyed_counts(cases, groups, column, due, in_time)
        durations = keyed_durations(cases, groups, column)
    else:
        counts = group_counts(cases, groups, due, in_time)
        durations = ack_durations(cases, groups)
    acknowledged = Measure(
        "acknowledged", "Acknowledged within the service standard", "points", True
    )
    helped = Measure("helped", "Helped or partly helped, of cases with an outcome", "points", True)
    waited = Measure("ack_hours", "Median time to acknowledge", "hours", False)
    total = counts["all"]
    for group in groups:
        mine = counts[group.key]
        acknowledged.comparisons.append(
            proportion(
                group,
                mine["people"],
                mine["in_time"],
                mine["due"],
                total["in_time"] - mine["in_time"],
                total["due"] - mine["due"],
            )
        )
        helped.comparisons.append(
            proportion(
                group,
                mine["people"],
                mine["helped"],
                mine["outcome"],
                total["helped"] - mine["helped"],
                total["outcome"] - mine["outcome"],
            )
        )
    for group in groups:
        inside, outside = durations[group.key]
        waited.comparisons.append(
            median_comparison(group, counts[group.key]["people"], inside, outside)
        )
    measures = [acknowledged, waited, helped]
    made = mark_clear(measures)
    missing = dimension == "area" and not AreaDeprivation.objects.filter(office=office).exists()
    return Audit(dimension, measures, total["cases"], made, missing)


def group_counts(cases: QuerySet[Case], groups: list[Group], due: Q, in_time: Q) -> dict:
    """People, cases due, in time, with an outcome and helped: per group, in one query."""
    helped = Q(outcome__in=[Outcome.HELPED, Outcome.PARTLY])
    with_outcome = ~Q(outcome="")
    aggregates = {
        "all__people": Count("person", distinct=True),
        "all__cases": Count("id"),
        "all__due": Count("id", filter=due),
        "all__in_time": Count("id", filter=due & in_time),
        "all__outcome": Count("id", filter=with_outcome),
        "all__helped": Count("id", filter=helped),
    }
    for index, group in enumerate(groups):
        c = group.condition
        aggregates |= {
            f"g{index}__people": Count("person", distinct=True, filter=c),
            f"g{index}__cases": Count("id", filter=c),
            f"g{index}__due": Count("id", filter=c & due),
            f"g{index}__in_time": Count("id", filter=c & due & in_time),
            f"g{index}__outcome": Count("id", filter=c & with_outcome),
            f"g{index}__helped": Count("id", filter=c & helped),
        }
    row = cases.aggregate(**aggregates)
    result: dict[str, dict[str, int]] = defaultdict(dict)
    for name, value in row.items():
        prefix, measure = name.split("__")
        key = "all" if prefix == "all" else groups[int(prefix[1:])].key
        result[key][measure] = value or 0
    return result


def count_aggregates(due: Q, in_time: Q, condition: Q | None = None) -> dict:
    def only(q: Q) -> Q:
        return q if condition is None else condition & q

    everything = Q() if condition is None else condition
    return {
        "people": Count("person", distinct=True, filter=condition),
        "cases": Count("id", filter=condition),
        "due": Count("id", filter=only(due)),
        "in_time": Count("id", filter=only(due & in_time)),
        "outcome": Count("id", filter=only(~Q(outcome=""))),
        "helped": Count("id", filter=only(Q(outcome__in=HELPED) & everything)),
    }


def keyed_counts(
    cases: QuerySet[Case], groups: list[Group], column: str, due: Q, in_time: Q
) -> dict[str, dict[str, int]]:
    """Counts grouped by the key column in one query (its expression evaluated once a row)."""
    aggregates = {f"n_{name}": value for name, value in count_aggregates(due, in_time).items()}
    rows = cases.values(column).order_by().annotate(**aggregates)
    by_value = {row[column]: {k.removeprefix("n_"): v for k, v in row.items()} for row in rows}
    measures = ["people", "cases", "due", "in_time", "outcome", "helped"]
    result = {"all": {m: sum(row[m] for row in by_value.values()) for m in measures}}
    for group in groups:
        found = [by_value[v] for v in group.values if v in by_value]
        result[group.key] = {m: sum(row[m] for row in found) for m in measures}
        if len(group.values) > 1:
            people = cases.filter(group.condition).aggregate(n=Count("person", distinct=True))
            result[group.key]["people"] = people["n"]
    return result


def keyed_durations(
    cases: QuerySet[Case], groups: list[Group], column: str
) -> dict[str, tuple[list, list]]:
    """Hours to acknowledge inside and outside each group, from one fetch of two columns."""
    acknowledged = cases.filter(acknowledged_at__isnull=False).annotate(
        hours=hours_between("opened_at", "acknowledged_at")
    )
    by_value: dict[str, list[float]] = defaultdict(list)
    for hours, value in acknowledged.values_list("hours", column):
        by_value[value].append(round(hours, 2))
    everyone = sorted(h for values in by_value.values() for h in values)
    result = {}
    for group in groups:
        inside = sorted(h for v in group.values for h in by_value.get(v, []))
        result[group.key] = (inside, remove_sorted(everyone, inside))
    return result


def ack_durations(cases: QuerySet[Case], groups: list[Group]) -> dict[str, tuple[list, list]]:
    """Hours to acknowledge, sorted, inside and outside each group (one query per group)."""
    acknowledged = cases.filter(acknowledged_at__isnull=False).annotate(
        hours=hours_between("opened_at", "acknowledged_at")
    )
    everyone = rounded_hours(acknowledged)
    result = {}
    for group in groups:
        inside = rounded_hours(acknowledged.filter(group.condition))
        result[group.key] = (inside, remove_sorted(everyone, inside))
    return result


def rounded_hours(cases: QuerySet[Case]) -> list[float]:
    """Sorted hours to the minute's precision, so that equal waits compare equal."""
    return sorted(round(h, 2) for h in cases.values_list("hours", flat=True))


def remove_sorted(everyone: list[float], some: list[float]) -> list[float]:
    """Everyone minus some (both sorted; `some` a sub-multiset of everyone), kept sorted."""
    rest, i = [], 0
    for value in everyone:
        if i < len(some) and some[i] == value:
            i += 1
        else:
            rest.append(value)
    return rest


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
    group: Group, people: int, inside: list[float], outside: list[float]
) -> Comparison:
    comparison = Comparison(
        group,
        people,
        len(inside),
        len(outside),
        stats.median(inside) if inside else None,
        stats.median(outside) if outside else None,
        higher_is_better=False,
        inputs=("median", (inside, outside)),
    )
    if len(inside) >= MIN_PEOPLE and len(outside) >= MIN_PEOPLE and not comparison.suppressed:
        comparison.estimate = comparison.estimate_at(stats.CONFIDENCE)
    return comparison


def mark_clear(measures: list[Measure]) -> int:
    """Flag clear gaps at 95%, and those still clear after a Bonferroni correction."""
    shown = [c for m in measures for c in m.comparisons if c.estimate and not c.suppressed]
    adjusted = 1 - (1 - stats.CONFIDENCE) / max(len(shown), 1)
    for comparison in shown:
        comparison.clear = comparison.estimate.excludes_zero
        comparison.clear_adjusted = comparison.estimate_at(adjusted).excludes_zero
    return len(shown)


def measure_value(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "points":
        return f"{value * 100:.0f}%"
    return f"{value:.0f} hours"


def difference_text(comparison: Comparison, unit: str) -> str:
    """The difference and its interval, e.g. '-12 points (-18 to -6)'."""
    e = comparison.estimate
    if e is None:
        return "–"
    scale, word = (100, "points") if unit == "points" else (1, "hours")
    return f"{e.value * scale:+.0f} {word} ({e.low * scale:+.0f} to {e.high * scale:+.0f})"


def verdict(comparison: Comparison) -> str:
    if comparison.suppressed:
        return f"Fewer than {MIN_PEOPLE} people: not shown"
    if comparison.estimate is None:
        return "Too few cases to compare"
    if not comparison.clear:
        return "No clear difference"
    side = "worse" if comparison.worse else "better"
    if comparison.clear_adjusted:
        return f"Clearly {side}, even allowing for the number of comparisons"
    return f"Clearly {side} (could be chance among many comparisons)"


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
        note=f"Groups of fewer than {MIN_PEOPLE} people are suppressed. Differences are the "
        "group minus everyone else: percentage points for shares, hours for medians.",
    )


def comparison_evidence(measure: Measure, comparison: Comparison) -> str:
    return (
        f"{measure.title}: {measure_value(comparison.value, measure.unit)} for "
        f"{comparison.group.label} ({comparison.n} cases, {comparison.people} people) against "
        f"{measure_value(comparison.rest_value, measure.unit)} for everyone else "
        f"({comparison.n_rest} cases). Difference {difference_text(comparison, measure.unit)} "
        "(95% confidence interval), equity audit of the last 12 months."
    )
