"""The public "you said, we did" page: themes raised and what the office did. No personal data.

Only counts of at least MIN_COUNT are shown (smaller ones read "fewer than 10"), no case,
person, quote or free text from casework is ever used: only the taxonomy's theme names,
campaign titles and the office's own public commitments.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from compassion.cases.models import Case, Outcome
from compassion.commitments.models import Commitment
from compassion.core.models import Office
from compassion.core.themes import Theme
from compassion.insights.queries import OPEN_TTL, in_months, last_months
from compassion.voices.models import Campaign

MIN_COUNT = 10


@dataclass
class ThemeLine:
    label: str
    raised: str
    helped: str
    commitments: list[dict] = field(default_factory=list)


@dataclass
class PublicSummary:
    office: Office
    period: str
    themes: list[ThemeLine]
    campaigns: list[dict]
    commitments_url: str


def rounded(count: int) -> str:
    """Counts below MIN_COUNT are not shown; others are rounded to the nearest 5."""
    if count < MIN_COUNT:
        return f"fewer than {MIN_COUNT}"
    return f"about {5 * round(count / 5):,}"


def public_summary(office: Office) -> PublicSummary:
    """The public summary, kept for OPEN_TTL (anyone may load this page, as often as they like)."""
    key = f"insights:public:{office.pk}:{timezone.localdate()}"
    summary = cache.get(key)
    if summary is None:
        summary = work_out_public_summary(office)
        cache.set(key, summary, OPEN_TTL)
    return summary


def work_out_public_summary(office: Office) -> PublicSummary:
    months = last_months(timezone.localdate())
    # Campaign letters are counted once, as their campaign below, not as cases by theme.
    cases = Case.objects.for_office(office).filter(
        in_months("opened_at", months), campaign__isnull=True
    )
    rows = (
        cases.values_list("theme")
        .annotate(
            n=Count("id"),
            helped=Count("id", filter=Q(outcome__in=[Outcome.HELPED, Outcome.PARTLY])),
        )
        .order_by("-n")
    )
    commitments = public_commitments(office)
    labels = dict(Theme.choices)
    themes = [
        ThemeLine(labels.get(theme, theme), rounded(n), rounded(helped), commitments.get(theme, []))
        for theme, n, helped in rows
        if n >= MIN_COUNT
    ]
    campaigns = [
        {"title": c.title, "theme": labels.get(c.theme, c.theme), "messages": rounded(c.n)}
        for c in Campaign.objects.filter(office=office)
        .annotate(n=Count("voices", filter=in_months("voices__received_at", months)))
        .filter(n__gte=MIN_COUNT)
        .order_by("-n")
    ]
    return PublicSummary(
        office=office,
        period=f"{months[0].label} to {months[-1].label}",
        themes=themes,
        campaigns=campaigns,
        commitments_url=commitments_public_url(office),
    )


def public_commitments(office: Office) -> dict[str, list[dict]]:
    """The office's public commitments by theme."""
    found: dict[str, list[dict]] = {}
    for commitment in Commitment.objects.for_office(office).public().order_by("deadline"):
        found.setdefault(commitment.topic, []).append(
            {"title": commitment.title, "status": commitment.meter_label()}
        )
    return found


def commitments_public_url(office: Office) -> str:
    return reverse("commitments:public_list", args=[office.slug])
