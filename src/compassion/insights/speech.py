"""Voices for a speech or a letter to a minister: one theme over a chosen period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from compassion.cases.models import Case, Outcome
from compassion.core.models import Office
from compassion.core.templatetags.words import mid_sentence
from compassion.core.themes import Theme
from compassion.insights import quotes
from compassion.insights.queries import OPEN_TTL, Period, monthly, next_month
from compassion.insights.tables import Chart, Series
from compassion.voices.models import Voice

MAX_MONTHS = 36


@dataclass
class ThemeReport:
    theme: str
    label: str
    start: date
    end: date
    cases: int
    messages: int
    people: int
    campaign_messages: int
    helped: int
    resolved: int
    chart: Chart
    quotes: list[quotes.Quote]
    quotes_available: bool


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def months_between(start: date, end: date) -> list[Period]:
    """Calendar months from start to end (the last MAX_MONTHS), cut to the dates."""
    begin, finish = day_start(start), day_start(end + timedelta(days=1))
    periods = []
    month = timezone.make_aware(datetime(start.year, start.month, 1))
    while month < finish:
        following = next_month(month)
        periods.append(Period(max(month, begin), min(following, finish), f"{month:%b %Y}"))
        month = following
    return periods[-MAX_MONTHS:]


def theme_report(office: Office, theme: str, start: date, end: date) -> ThemeReport:
    """The report on one theme and period, kept for OPEN_TTL."""
    key = f"insights:speech:{office.pk}:{theme}:{start}:{end}:{timezone.localdate()}"
    report = cache.get(key)
    if report is None:
        report = work_out_theme_report(office, theme, start, end)
        cache.set(key, report, OPEN_TTL)
    return report


def work_out_theme_report(office: Office, theme: str, start: date, end: date) -> ThemeReport:
    # Nothing is received after today, and a period "to 31/12/9999" has no day after its end.
    last_day = min(end, timezone.localdate())
    periods = months_between(start, max(start, last_day))
    since, until = day_start(start), day_start(last_day + timedelta(days=1))
    cases = Case.objects.for_office(office).filter(
        theme=theme, opened_at__gte=since, opened_at__lt=until
    )
    voices = Voice.objects.for_office(office).filter(
        theme=theme, received_at__gte=since, received_at__lt=until
    )
    totals = cases.aggregate(
        cases=Count("id"),
        people=Count("person", distinct=True),
        resolved=Count("id", filter=~Q(outcome="")),
        helped=Count("id", filter=Q(outcome__in=[Outcome.HELPED, Outcome.PARTLY])),
    )
    per_month = monthly(
        voices, "received_at", periods, key=f"{office.pk}:theme-{theme}", messages=Count("id")
    )["messages"]
    label = dict(Theme.choices)[theme]
    return ThemeReport(
        theme=theme,
        label=label,
        start=start,
        end=end,
        cases=totals["cases"],
        messages=voices.count(),
        people=totals["people"],
        campaign_messages=voices.filter(campaign__isnull=False).count(),
        helped=totals["helped"],
        resolved=totals["resolved"],
        chart=Chart(
            f"speech-{theme}",
            f"Messages about {mid_sentence(label)} per month"
            + (f" (the last {MAX_MONTHS} months)" if len(periods) == MAX_MONTHS else ""),
            [p.label for p in periods],
            [Series("Messages", per_month)],
            kind="bar",
        ),
        quotes=quotes.representative_quotes(cases, 8),
        quotes_available=quotes.redaction_available(),
    )
