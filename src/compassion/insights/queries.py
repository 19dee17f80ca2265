"""Database helpers for the figures: month buckets, durations and medians computed in SQL.

Every figure is an aggregate query. Months are bucketed with a CASE expression on
boundaries computed here in the office's time zone, so grouping runs in the database on
SQLite and PostgreSQL alike; durations use each database's own date arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    DateTimeField,
    Expression,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

# How long figures are kept before being worked out again: periods that have ended
# change rarely (a late acknowledgement, a case resolved), the current one all the time.
CLOSED_TTL = 60 * 60
OPEN_TTL = 5 * 60


@dataclass(frozen=True)
class Period:
    """A calendar month (or a week, with its own label), from start up to end."""

    start: datetime
    end: datetime
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or f"{self.start:%b %Y}"


def month_start(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, 1))


def next_month(moment: datetime) -> datetime:
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    return timezone.make_aware(datetime(year, month, 1))


def last_months(today: date, count: int = 12) -> list[Period]:
    """The `count` calendar months up to and including the current one, oldest first."""
    starts = [month_start(today)]
    for _ in range(count - 1):
        previous = starts[0].replace(tzinfo=None)
        year, month = (
            (previous.year - 1, 12) if previous.month == 1 else (previous.year, previous.month - 1)
        )
        starts.insert(0, timezone.make_aware(datetime(year, month, 1)))
    return [Period(start, next_month(start)) for start in starts]


def last_weeks(today: date, count: int = 12) -> list[Period]:
    """The `count` weeks (Monday to Sunday) up to and including the current one, oldest first."""
    monday = today - timedelta(days=today.weekday())
    weeks = []
    for back in range(count - 1, -1, -1):
        start = monday - timedelta(weeks=back)
        begins = timezone.make_aware(datetime(start.year, start.month, start.day))
        ends = timezone.make_aware(datetime.combine(start + timedelta(days=7), datetime.min.time()))
        weeks.append(Period(begins, ends, f"w/c {start:%-d %b}"))
    return weeks


def month_bucket(field: str, months: list[Period]) -> Case:
    """An expression giving the index of the month `field` falls in (None outside them)."""
    whens = [
        When(**{f"{field}__gte": month.start, f"{field}__lt": month.end}, then=Value(index))
        for index, month in enumerate(months)
    ]
    return Case(*whens, default=Value(None), output_field=IntegerField())


def in_months(field: str, months: list[Period]) -> Q:
    return Q(**{f"{field}__gte": months[0].start, f"{field}__lt": months[-1].end})


def monthly(
    queryset: QuerySet[Any], field: str, months: list[Period], *, key: str = "", **aggregates: Any
) -> dict:
    """Aggregates per period: {name: [value for each period]} from one grouped query.

    With a `key` (which must name the office and the figures), each period's figures are
    cached: for CLOSED_TTL once the period has ended, for OPEN_TTL while it is still running.
    """
    series = {name: [0] * len(months) for name in aggregates}
    todo = list(range(len(months)))
    keys = {}
    if key:
        keys = {
            i: f"insights:{key}:{field}:{months[i].start:%Y%m%d%H}:{months[i].end:%Y%m%d%H}"
            for i in todo
        }
        found = cache.get_many(list(keys.values()))
        for i, cache_key in keys.items():
            for name in aggregates:
                series[name][i] = found.get(cache_key, {}).get(name, 0)
        todo = [i for i in todo if keys.get(i) not in found]
    if not todo:
        return series
    wanted = [months[i] for i in todo]
    rows = (
        queryset.filter(in_months(field, wanted))
        .annotate(bucket=month_bucket(field, wanted))
        .values("bucket")
        .order_by("bucket")
        .annotate(**aggregates)
    )
    for row in rows:
        if row["bucket"] is None:
            continue
        for name in aggregates:
            series[name][todo[row["bucket"]]] = row[name] or 0
    now = timezone.now()
    for i in todo:
        if i in keys:
            ttl = CLOSED_TTL if months[i].end <= now else OPEN_TTL
            cache.set(keys[i], {name: series[name][i] for name in aggregates}, ttl)
    return series


class HoursBetween(Func):
    """Hours from `start` to `end`, as a float, in the database's own date arithmetic."""

    output_field = FloatField()

    def __init__(self, start: str | Expression, end: str | Expression) -> None:
        start = F(start) if isinstance(start, str) else start
        end = F(end) if isinstance(end, str) else end
        super().__init__(start, end)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 24.0)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="(EXTRACT(EPOCH FROM (%(expressions)s)) / 3600.0)",
            arg_joiner=" - ",
            **extra,
        )


def hours_between(start: str, end: str) -> HoursBetween:
    """Hours from start to end: `end - start` (arguments in reading order)."""
    return HoursBetween(end, start)


def db_median(queryset: QuerySet[Any], start: str, end: str) -> float | None:
    """The median hours from `start` to `end`, sorted by the database (no full fetch)."""
    ordered = (
        queryset.filter(**{f"{start}__isnull": False, f"{end}__isnull": False})
        .annotate(_measure=hours_between(start, end))
        .order_by("_measure")
        .values_list("_measure", flat=True)
    )
    n = ordered.count()
    if n == 0:
        return None
    if n % 2:
        return float(ordered[n // 2])
    low, high = list(ordered[n // 2 - 1 : n // 2 + 1])
    return (low + high) / 2


def by_end_of_day(moment: str, day: str, months: list[Period]) -> Q:
    """`moment` fell on or before the local date in `day` (a date column), for rows of the
    periods in `months`.

    PostgreSQL converts time zones itself. On SQLite, Django reads a local date with a
    Python function called once per row, which takes seconds over 100,000 cases; here the
    end of the day is worked out in SQL instead, as UTC midnight less the office's offset
    from UTC, which changes only at the clock changes inside the periods (a short CASE).
    """
    if connection.vendor != "sqlite":
        return Q(**{f"{moment}__date__lte": F(day)})
    runs = offset_runs(months[0].start.date() - timedelta(days=45), months[-1].end.date())
    whens = [
        When(**{f"{day}__lt": until}, then=next_midnight_utc(day, minutes))
        for until, minutes in runs[:-1]
    ]
    end_of_day = Case(*whens, default=next_midnight_utc(day, runs[-1][1]))
    return Q(**{f"{moment}__lt": end_of_day})


def offset_runs(first: date, last: date) -> list[tuple[date, int]]:
    """The local time zone's offset from UTC in minutes at the end of each day from `first`
    to `last`: (the day it stops applying, minutes), in order."""
    runs: list[tuple[date, int]] = []
    day = first
    while day <= last:
        after = timezone.make_aware(datetime.combine(day + timedelta(days=1), time()))
        minutes = int(after.utcoffset().total_seconds() // 60)
        if runs and runs[-1][1] == minutes:
            runs[-1] = (day + timedelta(days=1), minutes)
        else:
            runs.append((day + timedelta(days=1), minutes))
        day += timedelta(days=1)
    return runs


def next_midnight_utc(day: str, offset_minutes: int) -> Func:
    """SQLite text of the UTC moment when the local day after `day` begins."""
    return Func(
        F(day),
        Value("+1 day"),
        Value(f"{-offset_minutes:+d} minutes"),
        function="datetime",
        output_field=DateTimeField(),
    )


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None
