"""The leader's weekly briefing: what happened, who is struggling, and what to do next."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from compassion.cases.models import Case
from compassion.commitments.models import OPEN_STATUSES as COMMITMENT_OPEN
from compassion.commitments.models import Commitment
from compassion.core.models import Office
from compassion.core.themes import Theme
from compassion.core.workdays import working_days_between
from compassion.insights import quotes
from compassion.insights.dashboard import (
    add_team_pulse,
    emerging_themes,
    team_load,
    theme_counts,
)
from compassion.insights.equity import cached_audit, comparison_evidence
from compassion.insights.queries import OPEN_TTL, last_months, last_weeks, monthly
from compassion.insights.tables import Chart, Series, Table
from compassion.voices.models import Campaign, Voice

THEME_LABELS = dict(Theme.choices)


@dataclass
class Suggestion:
    title: str
    evidence: str
    theme: str = ""

    @property
    def action_url(self) -> str:
        query = urlencode(
            {"title": self.title[:200], "evidence": self.evidence, "theme": self.theme}
        )
        return f"{reverse('insights:new_action')}?{query}"


@dataclass
class Briefing:
    office: Office
    week_start: date
    week_end: date
    figures: dict[str, int]
    urgent: list[dict]
    themes: Table
    quotes: list[quotes.Quote]
    quotes_available: bool
    campaigns: Table
    team: Table
    suggestions: list[Suggestion]
    commitments: Table
    team_lines: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)

    def tables(self) -> dict[str, Table]:
        """Every table of the briefing, by slug, for the downloads."""
        found = [self.themes, self.campaigns, self.commitments, self.team]
        found += [chart.as_table() for chart in self.charts]
        return {table.slug: table for table in found}


def build_briefing(office: Office, today: date | None = None) -> Briefing:
    """The briefing, kept for OPEN_TTL so that the page and its PDF agree."""
    today = today or timezone.localdate()
    key = f"insights:briefing:{office.pk}:{today}"
    briefing = cache.get(key)
    if briefing is None:
        briefing = work_out_briefing(office, today)
        cache.set(key, briefing, OPEN_TTL)
    return briefing


def work_out_briefing(office: Office, today: date) -> Briefing:
    weeks = last_weeks(today, 12)
    this_week = weeks[-1]
    cases = Case.objects.for_office(office)
    voices = Voice.objects.for_office(office)
    per_week = monthly(
        voices, "received_at", weeks, key=f"{office.pk}:weekly", messages=Count("id")
    )["messages"]
    week_cases = cases.filter(opened_at__gte=this_week.start, opened_at__lt=this_week.end)
    figures = {
        "messages": per_week[-1],
        "messages_before": per_week[-2],
        "new_cases": week_cases.count(),
        "urgent_open": cases.open().urgent().count(),
        "overdue": cases.acknowledgement_overdue(today).count(),
    }
    themes = themes_this_week(week_cases)
    return Briefing(
        office=office,
        week_start=this_week.start.date(),
        week_end=today,
        figures=figures,
        urgent=urgent_cases(cases, today),
        themes=themes,
        quotes=quotes.representative_quotes(
            cases.filter(opened_at__gte=timezone.now() - timedelta(days=30)), 5
        ),
        quotes_available=quotes.redaction_available(),
        campaigns=campaigns_table(office, this_week.start),
        team=team_load(office, cases),
        suggestions=suggestions(office, cases, today),
        commitments=commitments_due(office, today),
        team_lines=team_pulse_lines(office),
        charts=[
            Chart(
                "briefing-weekly",
                "Messages received per week, last 12 weeks",
                [w.label for w in weeks],
                [Series("Messages", per_week)],
            ),
        ],
    )


def team_pulse_lines(office: Office) -> list[str]:
    """The team pulse's latest scores, only as the pulse app's anonymity rules allow."""
    figures: list = []
    sentences: list[str] = []
    add_team_pulse(office, figures, sentences, [])
    return sentences or [f"Team pulse, {f.label}: {f.value}." for f in figures]


def commitments_due(office: Office, today: date) -> Table:
    """Open commitments overdue, due within 30 days, or due a stocktake within a week."""
    soon = today + timedelta(days=30)
    found = (
        Commitment.objects.for_office(office)
        .filter(status__in=COMMITMENT_OPEN)
        .filter(Q(deadline__lte=soon) | Q(next_stocktake_on__lte=today + timedelta(days=7)))
        .select_related("owner")
        .order_by("deadline")[:10]
    )
    return Table(
        "briefing-commitments",
        "Commitments due",
        ["Commitment", "Deadline", "Status", "Next stocktake", "Owner"],
        [
            [
                c.title,
                c.deadline,
                c.meter_label(today),
                c.next_stocktake_on,
                c.owner.get_full_name() if c.owner else "",
            ]
            for c in found
        ],
    )


def urgent_cases(cases: QuerySet[Case], today: date) -> list[dict]:
    """Open urgent cases, oldest first: reference, theme and reasons only (no names)."""
    found = cases.open().urgent().select_related("assigned_to").order_by("opened_at")[:10]
    return [
        {
            "reference": case.reference,
            "theme": THEME_LABELS.get(case.theme, case.theme),
            "reasons": "; ".join(case.urgency_reasons) or "Marked urgent",
            "days_open": (today - timezone.localtime(case.opened_at).date()).days,
            "replied": case.first_reply_at is not None,
            "owner": case.assigned_to.first_name if case.assigned_to else "No one yet",
        }
        for case in found
    ]


def themes_this_week(week_cases: QuerySet[Case]) -> Table:
    rows = (
        week_cases.values_list("theme")
        .annotate(n=Count("id"), urgent=Count("id", filter=Q(urgent=True)))
        .order_by("-n")
    )
    return Table(
        "briefing-themes",
        "What people wrote about this week",
        ["Theme", "New cases", "Of them urgent"],
        [[THEME_LABELS.get(theme, theme), n, urgent] for theme, n, urgent in rows],
    )


def campaigns_table(office: Office, week_start: datetime) -> Table:
    found = (
        Campaign.objects.filter(office=office)
        .annotate(
            total=Count("voices"),
            this_week=Count("voices", filter=Q(voices__received_at__gte=week_start)),
        )
        .filter(total__gt=0)
        .order_by("-this_week", "-total")[:6]
    )
    return Table(
        "briefing-campaigns",
        "Campaigns",
        ["Campaign", "Theme", "Messages this week", "Messages in all"],
        [[c.title, THEME_LABELS.get(c.theme, c.theme), c.this_week, c.total] for c in found],
    )


def suggestions(office: Office, cases: QuerySet[Case], today: date) -> list[Suggestion]:
    """Three things to do next, each with the figures behind it, most pressing first."""
    found: list[Suggestion] = []
    overdue = cases.acknowledgement_overdue(today)
    count = overdue.count()
    if count:
        oldest = overdue.order_by("acknowledge_by").values_list("acknowledge_by", flat=True)[0]
        late = working_days_between(oldest, today, office.holiday_region)
        found.append(
            Suggestion(
                f"Acknowledge the {count} messages past the service standard",
                f"{count} cases are waiting for an acknowledgement beyond "
                f"{office.acknowledge_within_days} working days; the oldest is {late} working "
                "days late.",
            )
        )
    found += equity_suggestions(office, today)
    rising = emerging_themes(theme_counts(office, cases, last_months(today)))
    if rising:
        theme, now, earlier = rising[0]
        found.append(
            Suggestion(
                f"Look into the rise in {THEME_LABELS[theme].lower()}",
                f"{now} cases about {THEME_LABELS[theme].lower()} in the last three months "
                f"against {earlier} in the three months before.",
                theme,
            )
        )
    load = team_load(office, cases)
    if len(load.rows) > 1:
        counts = sorted(row[1] for row in load.rows)
        heaviest, typical = load.rows[0], counts[len(counts) // 2]
        if typical and heaviest[1] > 1.5 * typical:
            found.append(
                Suggestion(
                    f"Rebalance caseloads: {heaviest[0]} holds {heaviest[1]} open cases",
                    f"{heaviest[0]} holds {heaviest[1]} open cases ({heaviest[2]} urgent) "
                    f"against a typical {typical} across the team.",
                )
            )
    return found[:3]


def equity_suggestions(office: Office, today: date) -> list[Suggestion]:
    """The clearest inequity by area and by channel, if there is one."""
    found = []
    for dimension in ("area", "channel"):
        audit = cached_audit(office, dimension, today)
        flagged = [(m, c) for m, c in audit.flagged if c.clear_adjusted and m.unit == "points"]
        if not flagged:
            continue
        measure, comparison = min(flagged, key=lambda mc: mc[1].estimate.value)
        found.append(
            Suggestion(
                f"Close the gap for {comparison.group.label}: {measure.title.lower()}",
                comparison_evidence(measure, comparison),
            )
        )
    return found[:1]
