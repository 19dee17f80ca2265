"""The four behaviours, measured: one panel each, from aggregated queries only."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.fields.json import KT
from django.utils import timezone

from compassion.cases.coaching import LEVEL_WORDS
from compassion.cases.coaching import LEVELS as COACH_LEVELS
from compassion.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseworkPolicy,
    Obstacle,
    ObstacleKind,
    Outcome,
    Referral,
    Reply,
    Status,
)
from compassion.commitments.models import OPEN_STATUSES as COMMITMENT_OPEN
from compassion.commitments.models import Commitment, PublicStatus
from compassion.core.models import Membership, Office
from compassion.core.themes import Theme
from compassion.insights.queries import (
    OPEN_TTL,
    Period,
    by_end_of_day,
    db_median,
    in_months,
    last_months,
    monthly,
    share,
)
from compassion.insights.tables import Chart, Figure, Panel, Series, Table
from compassion.pulse import results as pulse_results
from compassion.pulse.instruments import BURNOUT, COMPASSIONATE_LEADERSHIP
from compassion.voices.models import Channel, Emotion, Voice

RECENT = 3  # months compared with the three before them in each panel's sentence
THEME_LABELS = dict(Theme.choices)


def build_dashboard(office: Office, today: date | None = None) -> list[Panel]:
    """The four panels, kept for OPEN_TTL (each month's figures are cached underneath)."""
    today = today or timezone.localdate()
    key = f"insights:dashboard:{office.pk}:{today}"
    panels = cache.get(key)
    if panels is None:
        panels = work_out_dashboard(office, today)
        cache.set(key, panels, OPEN_TTL)
    return panels


def work_out_dashboard(office: Office, today: date) -> list[Panel]:
    months = last_months(today)
    cases = Case.objects.for_office(office)
    voices = Voice.objects.for_office(office)
    threshold = CaseworkPolicy.for_office(office).distressing_load
    messages = message_counts(office, voices, months, threshold)
    return [
        attending(office, cases, voices, messages, months, today),
        understanding(office, cases, months),
        empathizing(office, cases, voices, messages, months, today, threshold),
        helping(office, cases, months, today),
    ]


def distressing(threshold: float) -> Q:
    """Messages the lens read as written in distress, or as at least as heavy to read as the
    office's threshold for distressing casework (the one the team page spreads work by)."""
    return Q(analysed_at__isnull=False) & (
        Q(emotion=Emotion.DISTRESS) | Q(distress_load__gte=threshold)
    )


def message_counts(
    office: Office, voices: QuerySet, months: list[Period], threshold: float
) -> dict:
    """Messages per month by channel, those the lens read and the distressing: one scan."""
    aggregates = {value: Count("id", filter=Q(channel=value)) for value, _ in Channel.choices}
    aggregates["analysed"] = Count("id", filter=Q(analysed_at__isnull=False))
    aggregates["distress"] = Count("id", filter=distressing(threshold))
    return monthly(
        voices, "received_at", months, key=f"{office.pk}:messages:{threshold}", **aggregates
    )


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def hours_text(hours: float | None) -> str:
    if hours is None:
        return "–"
    if hours < 48:
        return f"{hours:.0f} hours"
    days = f"{hours / 24:.1f}".removesuffix(".0")
    return f"{days} days"


def recent_and_before(part: list[int], whole: list[int]) -> tuple[float | None, float | None]:
    """The share over the last RECENT months, and over the RECENT months before them."""
    recent = share(sum(part[-RECENT:]), sum(whole[-RECENT:]))
    before = share(sum(part[-2 * RECENT : -RECENT]), sum(whole[-2 * RECENT : -RECENT]))
    return recent, before


def change_sentence(what: str, recent: float | None, before: float | None, good_up: bool) -> str:
    """A plain sentence on what changed, e.g. 'up from 71% in the three months before'."""
    if recent is None:
        return f"{what}: no cases in the last three months yet."
    if before is None:
        return f"{what}: {percent(recent)} in the last three months."
    points = round((recent - before) * 100)
    if points == 0:
        return f"{what}: {percent(recent)} in the last three months, the same as before."
    direction = "up" if points > 0 else "down"
    verdict = "better" if (points > 0) == good_up else "worse"
    return (
        f"{what}: {percent(recent)} in the last three months, {direction} from "
        f"{percent(before)} in the three months before ({verdict})."
    )


def shares(part: list[int], whole: list[int]) -> list[float | None]:
    return [share(p, w) for p, w in zip(part, whole, strict=True)]


def labels(months: list[Period]) -> list[str]:
    return [month.label for month in months]


def recent_period(months: list[Period]) -> list[Period]:
    return months[-RECENT:]


# Attending ---------------------------------------------------------------------------------


def acknowledgement_filters(today: date) -> tuple[Q, Q]:
    """Cases that were due an acknowledgement by now, and those acknowledged in time."""
    due = Q(acknowledged_at__isnull=False) | Q(acknowledge_by__lt=today)
    in_time = Q(acknowledged_at__isnull=False) & by_end_of_day(
        "acknowledged_at", "acknowledge_by", last_months(today)
    )
    return due, in_time


def attending(
    office: Office,
    cases: QuerySet,
    voices: QuerySet,
    messages: dict,
    months: list[Period],
    today: date,
) -> Panel:
    # Campaign letters all get the campaign's reply at once: counted in, they would lift the
    # share above the caseload page's for the same words (and the equity audit's).
    cases = cases.filter(campaign__isnull=True)
    due, in_time = acknowledgement_filters(today)
    series = monthly(
        cases,
        "opened_at",
        months,
        key=f"{office.pk}:acknowledged-individual:{today:%Y%m%d}",
        due=Count("id", filter=due),
        in_time=Count("id", filter=in_time & due),
    )
    recent, before = recent_and_before(series["in_time"], series["due"])
    standard = office.acknowledge_within_days
    what = f"Acknowledged within {standard} working days"
    median_hours = db_median(
        cases.filter(in_months("opened_at", recent_period(months))),
        "opened_at",
        "acknowledged_at",
    )
    unread = voices.unread().count()
    channels = channel_series(messages)
    total_voices = sum(sum(counts) for counts in channels.values())
    panel = Panel(
        "attending",
        "Attending",
        "Do we listen, and quickly?",
        sentences=[
            change_sentence(what, recent, before, good_up=True),
            f"Median time to acknowledge in the last three months: {hours_text(median_hours)}.",
        ],
        figures=[
            Figure(percent(recent), f"acknowledged within {standard} working days", "ack_share"),
            Figure(hours_text(median_hours), "median time to acknowledge", "ack_median"),
            Figure(f"{total_voices:,}", "messages in the last 12 months", "voices_year"),
            Figure(f"{unread:,}", "messages still unread", "unread", "warn" if unread else ""),
        ],
        charts=[
            Chart(
                "attending-acknowledged",
                f"Share acknowledged within {standard} working days, by month opened",
                labels(months),
                [Series("Acknowledged in time", shares(series["in_time"], series["due"]))],
                unit="%",
            ),
            Chart(
                "attending-channels",
                "Messages per channel, by month received",
                labels(months),
                [Series(label, channels[label]) for label in channels],
            ),
        ],
    )
    return panel


def channel_series(messages: dict) -> dict[str, list[int]]:
    """Messages per channel per month, channels that were used only, busiest first."""
    series = {value: messages[value] for value, _ in Channel.choices}
    names = dict(Channel.choices)
    used = sorted((v for v in series if sum(series[v])), key=lambda v: -sum(series[v]))
    return {names[value]: series[value] for value in used}


# Understanding -----------------------------------------------------------------------------


def understanding(office: Office, cases: QuerySet, months: list[Period]) -> Panel:
    # Campaign letters are answered together, with no one's own story to explore.
    cases = cases.filter(campaign__isnull=True)
    past_new = cases.exclude(status=Status.NEW)
    heard = monthly(
        past_new,
        "opened_at",
        months,
        key=f"{office.pk}:heard",
        total=Count("id"),
        heard=Count("id", filter=~Q(heard="")),
        explored=Count("id", filter=~Q(explored=[])),
    )
    recent, before = recent_and_before(heard["heard"], heard["total"])
    explored_recent, explored_before = recent_and_before(heard["explored"], heard["total"])
    repeat = repeat_contacts(office, cases, months)
    repeat_recent, repeat_before = recent_and_before(repeat["repeat"], repeat["total"])
    themes = theme_counts(office, cases, months)
    top = most_raised(themes)[:5]
    emerging = emerging_themes(themes)
    sentences = [
        change_sentence("Cases with the person's own words recorded", recent, before, True),
        change_sentence(
            "People who had to write again about the same case", repeat_recent, repeat_before, False
        ),
        change_sentence(
            "Cases where the exploration checklist was used", explored_recent, explored_before, True
        ),
    ]
    if emerging:
        theme, now, earlier = emerging[0]
        sentences.append(
            f"Emerging: {THEME_LABELS[theme]}, {now} cases in the last three months "
            f"against {earlier} in the three before."
        )
    return Panel(
        "understanding",
        "Understanding",
        "Do we explore what matters to people before we act?",
        sentences=sentences,
        figures=[
            Figure(percent(recent), "of cases with the person's own words recorded", "heard"),
            Figure(percent(explored_recent), "of cases explored with the checklist", "explored"),
            Figure(
                percent(repeat_recent),
                "of people had to write again",
                "repeat",
                "warn" if (repeat_recent or 0) > 0.3 else "",
            ),
            Figure(THEME_LABELS[top[0]] if top else "–", "most raised theme", "top_theme"),
        ],
        charts=[
            Chart(
                "understanding-heard",
                "Share of cases with the person's own words recorded, by month opened",
                labels(months),
                [
                    Series("Own words recorded", shares(heard["heard"], heard["total"])),
                    Series("Checklist used", shares(heard["explored"], heard["total"])),
                    Series("Wrote again", shares(repeat["repeat"], repeat["total"])),
                ],
                unit="%",
            ),
            Chart(
                "understanding-themes",
                "Cases opened per month, five most raised themes",
                labels(months),
                [Series(THEME_LABELS[t], themes[t]) for t in top],
            ),
        ],
        tables=[emerging_table(emerging)],
    )


def repeat_contacts(office: Office, cases: QuerySet, months: list[Period]) -> dict:
    """Cases per month, and those where the person wrote again after the first message."""
    later = Voice.objects.filter(case=OuterRef("pk"), received_at__gt=OuterRef("opened_at"))
    return monthly(
        cases.annotate(wrote_again=Exists(later)),
        "opened_at",
        months,
        key=f"{office.pk}:repeats",
        total=Count("id"),
        repeat=Count("id", filter=Q(wrote_again=True)),
    )


def theme_counts(office: Office, cases: QuerySet, months: list[Period]) -> dict[str, list[int]]:
    aggregates = {value: Count("id", filter=Q(theme=value)) for value, _ in Theme.choices}
    return monthly(
        cases.filter(campaign__isnull=True),
        "opened_at",
        months,
        key=f"{office.pk}:themes",
        **aggregates,
    )


def most_raised(themes: dict[str, list[int]]) -> list[str]:
    """The themes raised in at least one case, most raised first."""
    raised = [theme for theme in themes if sum(themes[theme])]
    return sorted(raised, key=lambda theme: -sum(themes[theme]))


def most_raised_theme(office: Office, today: date) -> str | None:
    """The theme of the most cases in the last twelve months, campaign letters left out: the
    dashboard's "most raised theme" (None when no case was opened)."""
    themes = theme_counts(office, Case.objects.for_office(office), last_months(today))
    raised = most_raised(themes)
    return raised[0] if raised else None


def emerging_themes(themes: dict[str, list[int]]) -> list[tuple[str, int, int]]:
    """Themes rising most in the last three months (at least 10 cases and half again)."""
    rising = []
    for theme, counts in themes.items():
        now, earlier = sum(counts[-RECENT:]), sum(counts[-2 * RECENT : -RECENT])
        if now >= 10 and now >= 1.5 * max(earlier, 1):
            rising.append((theme, now, earlier))
    return sorted(rising, key=lambda item: -(item[1] - item[2]))


def emerging_table(emerging: list[tuple[str, int, int]]) -> Table:
    return Table(
        "understanding-emerging",
        "Emerging themes: cases in the last three months against the three before",
        ["Theme", "Last three months", "Three months before"],
        [[THEME_LABELS[t], now, earlier] for t, now, earlier in emerging],
        note="A theme is emerging when it has at least 10 cases and rose by half or more.",
    )


# Empathizing -------------------------------------------------------------------------------


def empathizing(
    office: Office,
    cases: QuerySet,
    voices: QuerySet,
    messages: dict,
    months: list[Period],
    today: date,
    threshold: float,
) -> Panel:
    urgent = cases.filter(urgent=True)
    series = monthly(urgent, "opened_at", months, key=f"{office.pk}:urgent", urgent=Count("id"))
    reply_hours = db_median(
        urgent.filter(in_months("opened_at", months)),
        "opened_at",
        "first_reply_at",
    )
    load = team_load(office, cases)
    figures = [
        Figure(f"{sum(series['urgent']):,}", "urgent cases in the last 12 months", "urgent"),
        Figure(hours_text(reply_hours), "median time to a human reply when urgent", "urgent_reply"),
    ]
    sentences = [
        f"Urgent cases got a human reply in a median of {hours_text(reply_hours)} "
        "over the last 12 months.",
    ]
    charts = [
        Chart(
            "empathizing-urgent",
            "Urgent cases opened per month",
            labels(months),
            [Series("Urgent cases", series["urgent"])],
            kind="bar",
        ),
    ]
    if sum(messages["analysed"]):
        replies = distress_replies(office, voices, months, today, threshold)
        add_distressing(office, voices, messages, replies, months, threshold, figures, sentences)
        charts.append(distress_chart(office, messages, replies, months))
    if load.rows:
        heaviest = max(row[1] for row in load.rows)
        typical = sorted(row[1] for row in load.rows)[len(load.rows) // 2]
        figures.append(
            Figure(
                f"{heaviest} / {typical}",
                "open cases: heaviest load / typical",
                "load_spread",
                "warn" if typical and heaviest > 1.5 * typical else "",
            )
        )
        sentences.append(
            f"The heaviest caseload is {heaviest} open cases against a typical {typical}."
        )
    coach = coach_table(office, months)
    if coach.rows:
        feelings = coach.rows[0]
        coached = feelings[1] + feelings[2] + feelings[3]
        acknowledged = share(feelings[2] + feelings[3], coached)
        figures.append(
            Figure(percent(acknowledged), "of replies acknowledge the person's feelings", "coach")
        )
        sentences.append(
            f"The reply coach read {coached:,} sent replies in the last 12 months: "
            f"{percent(acknowledged)} acknowledged the person's feelings at least a little."
        )
    add_team_pulse(office, figures, sentences, charts)
    return Panel(
        "empathizing",
        "Empathizing",
        "Do we feel with people, and look after the team that carries it?",
        sentences=sentences,
        figures=figures,
        charts=charts,
        tables=[load, coach] if coach.rows else [load],
    )


def coach_table(office: Office, months: list[Period]) -> Table:
    """How the reply coach read the replies sent in the 12 months, level by level."""
    replies = Reply.objects.filter(in_months("sent_at", months), office=office).exclude(coach={})
    # Grouped by the four levels together: each reply's JSON is read once per level, and
    # there are at most 3 ** 4 groups to add up.
    combinations = (
        replies.values(**{key: KT(f"coach__{key}") for key, _ in COACH_LEVELS})
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {key: [0] * len(LEVEL_WORDS) for key, _ in COACH_LEVELS}
    for combination in combinations:
        for key, levels in counts.items():
            value = str(combination[key])
            if value.isdigit() and int(value) < len(levels):
                levels[int(value)] += combination["n"]
    rows = [[label, *counts[key]] for key, label in COACH_LEVELS]
    if not any(sum(row[1:]) for row in rows):
        rows = []
    return Table(
        "empathizing-reply-coach",
        "The reply coach's reading of replies sent in the last 12 months",
        ["What the reply does", *[word.capitalize() for word in LEVEL_WORDS]],
        rows,
        note="How the reply coach read each reply when it was sent: the first three rows are "
        "the ways of showing empathy that a study of replies to people asking for support "
        "found (EPITOME: Sharma and others, 2020), the last is whether it offers concrete help.",
    )


def add_team_pulse(
    office: Office, figures: list[Figure], sentences: list[str], charts: list[Chart]
) -> None:
    """The team pulse's compassionate-leadership and burnout scores, through the pulse app's
    own anonymity rules: only windows of cycles that together hold at least k answers."""
    k = pulse_results.settings_for(office).k
    windows = pulse_results.windows(office, k)
    series = []
    for instrument in (COMPASSIONATE_LEADERSHIP, BURNOUT):
        points = pulse_results.trend(windows, instrument, k)
        if not points or points[-1].mean is None:
            continue
        latest = points[-1]
        figures.append(
            Figure(
                f"{latest.mean:.1f} of {instrument.high:g}",
                instrument.short_name.lower(),
                f"pulse_{instrument.code}",
            )
        )
        series.append((instrument, points))
        if len(points) > 1 and points[-2].mean is not None:
            change = latest.mean - points[-2].mean
            direction = "up" if change > 0 else "down" if change < 0 else "unchanged"
            better = "better" if instrument.higher_is_better else "worse"
            sentences.append(
                f"Team pulse, {instrument.short_name.lower()}: {latest.mean:.1f} of "
                f"{instrument.high:g} in {latest.window.label}, {direction} from "
                f"{points[-2].mean:.1f} (higher is {better})."
            )
    for instrument, points in series:
        charts.append(
            Chart(
                f"empathizing-pulse-{instrument.code.replace('_', '-')}",
                f"Team pulse: {instrument.short_name.lower()} (0 to {instrument.high:g})",
                [p.window.short_label for p in points],
                [Series(instrument.short_name, [p.mean for p in points])],
            )
        )


def first_distressing_messages(voices: QuerySet, threshold: float) -> QuerySet:
    """Distressing messages that opened a case of their own (campaign letters, answered
    together, left out): how fast a person replied is how fast the case got its first reply."""
    return voices.filter(
        distressing(threshold),
        case__isnull=False,
        case__campaign__isnull=True,
        received_at=F("case__opened_at"),
    )


def distress_replies(
    office: Office, voices: QuerySet, months: list[Period], today: date, threshold: float
) -> dict:
    """Per month received: distressing first messages due a reply by now, and those a person
    answered within the office's standard for a reply."""
    due = Q(case__first_reply_at__isnull=False) | Q(case__reply_by__lt=today)
    in_time = Q(case__first_reply_at__isnull=False) & by_end_of_day(
        "case__first_reply_at", "case__reply_by", months
    )
    return monthly(
        first_distressing_messages(voices, threshold),
        "received_at",
        months,
        key=f"{office.pk}:distress-replies:{threshold}:{today:%Y%m%d}",
        due=Count("id", filter=due),
        in_time=Count("id", filter=due & in_time),
    )


def add_distressing(
    office: Office,
    voices: QuerySet,
    messages: dict,
    replies: dict,
    months: list[Period],
    threshold: float,
    figures: list[Figure],
    sentences: list[str],
) -> None:
    """How many messages were distressing, and how fast a person answered them."""
    reply_hours = db_median(
        first_distressing_messages(voices, threshold).filter(in_months("received_at", months)),
        "received_at",
        "case__first_reply_at",
    )
    recent, before = recent_and_before(replies["in_time"], replies["due"])
    standard = office.reply_within_days
    figures[1:1] = [
        Figure(
            f"{sum(messages['distress']):,}",
            "distressing messages in the last 12 months",
            "distress",
        ),
        Figure(
            hours_text(reply_hours),
            "median time to a human reply when distressing",
            "distress_reply",
        ),
    ]
    sentences += [
        f"Distressing messages that opened a case got a human reply in a median of "
        f"{hours_text(reply_hours)} over the last 12 months.",
        change_sentence(
            f"Distressing messages answered by a person within {standard} working days",
            recent,
            before,
            True,
        ),
    ]


def distress_chart(office: Office, messages: dict, replies: dict, months: list[Period]) -> Chart:
    standard = office.reply_within_days
    return Chart(
        "empathizing-distress",
        "Distressing messages: their share of all messages, and the share a person "
        f"answered within {standard} working days, by month received",
        labels(months),
        [
            Series("Distressing", shares(messages["distress"], messages["analysed"])),
            Series(
                f"Answered within {standard} working days",
                shares(replies["in_time"], replies["due"]),
            ),
        ],
        unit="%",
    )


def team_load(office: Office, cases: QuerySet) -> Table:
    """Open cases, urgent ones and distress carried per member of staff who holds cases.

    Campaign letters are left out, as on the team page: they are answered together.
    """
    held = cases.filter(status__in=OPEN_STATUSES, assigned_to__isnull=False, campaign__isnull=True)
    rows = (
        held.values(
            "assigned_to",
            "assigned_to__first_name",
            "assigned_to__last_name",
            "assigned_to__username",
        )
        .annotate(open=Count("id"), urgent=Count("id", filter=Q(urgent=True)))
        .order_by("-open")
    )
    distress = dict(
        held.values_list("assigned_to").annotate(load=Sum("voices__distress_load")).order_by()
    )
    members = set(Membership.objects.filter(office=office).values_list("user_id", flat=True))
    table_rows = []
    for row in rows:
        if row["assigned_to"] not in members:
            continue
        name = " ".join(
            p for p in (row["assigned_to__first_name"], row["assigned_to__last_name"]) if p
        )
        table_rows.append(
            [
                name or row["assigned_to__username"],
                row["open"],
                row["urgent"],
                round(distress.get(row["assigned_to"]) or 0, 1),
            ]
        )
    return Table(
        "empathizing-team-load",
        "The team's load: open cases, urgent cases and distress carried",
        ["Member of staff", "Open cases", "Urgent open cases", "Distress load"],
        table_rows,
        note="Distress load adds up how heavy to read (0 to 1) the lens found each message "
        "of a member of staff's open cases. Campaign letters are left out.",
    )


# Helping -----------------------------------------------------------------------------------


def helping(office: Office, cases: QuerySet, months: list[Period], today: date) -> Panel:
    helped_q = Q(outcome__in=[Outcome.HELPED, Outcome.PARTLY])
    series = monthly(
        cases.filter(resolved_at__isnull=False),
        "resolved_at",
        months,
        key=f"{office.pk}:resolved",
        resolved=Count("id"),
        with_outcome=Count("id", filter=~Q(outcome="")),
        helped=Count("id", filter=helped_q),
    )
    recent, before = recent_and_before(series["helped"], series["with_outcome"])
    outcome_mix = outcome_counts(cases, months)
    median_days = db_median(
        cases.filter(in_months("resolved_at", recent_period(months))),
        "opened_at",
        "resolved_at",
    )
    resolved_recent = sum(series["resolved"][-RECENT:])
    sentences = [
        change_sentence("Cases where the person was helped or partly helped", recent, before, True),
        f"{resolved_recent:,} cases resolved in the last three months, in a median of "
        f"{hours_text(median_days)}.",
    ]
    figures = [
        Figure(f"{sum(series['resolved']):,}", "cases resolved in the last 12 months", "resolved"),
        Figure(percent(recent), "helped or partly helped (last three months)", "helped"),
        Figure(hours_text(median_days), "median time to an outcome", "outcome_median"),
    ]
    referrals = referral_figures(office, months)
    if referrals["sent"]:
        answered = share(referrals["answered"], referrals["sent"])
        figures.append(
            Figure(percent(answered), "of referrals answered by the agency", "referrals_answered")
        )
        sentences.append(
            f"Agencies answered {referrals['answered']:,} of {referrals['sent']:,} referrals "
            f"in the last 12 months, in a median of {hours_text(referrals['median_hours'])}."
        )
    on_track, open_commitments = commitments_on_track(office, today)
    if open_commitments:
        figures.append(
            Figure(
                f"{on_track} of {open_commitments}",
                "commitments on track",
                "commitments",
                "" if on_track == open_commitments else "warn",
            )
        )
        sentences.append(
            f"{on_track} of the {open_commitments} open commitments are on track "
            "(neither stalled nor past their deadline)."
        )
    return Panel(
        "helping",
        "Helping",
        "Do we remove obstacles and change things for people?",
        sentences=sentences,
        figures=figures,
        charts=[
            Chart(
                "helping-resolved",
                "Cases resolved per month",
                labels(months),
                [Series("Resolved", series["resolved"])],
                kind="bar",
            ),
            Chart(
                "helping-outcomes",
                "Outcomes of cases resolved in the last 12 months",
                [label for label, _ in outcome_mix],
                [Series("Cases", [count for _, count in outcome_mix])],
                kind="bar",
            ),
        ],
        tables=[obstacles_table(office, months)],
    )


def referral_figures(office: Office, months: list[Period]) -> dict:
    """First referrals (not chasers) sent in the 12 months: how many, answered, how fast."""
    referrals = Referral.objects.filter(
        in_months("sent_at", months), office=office, chases__isnull=True
    )
    counts = referrals.aggregate(
        sent=Count("id"), answered=Count("id", filter=Q(answered_at__isnull=False))
    )
    counts["median_hours"] = db_median(referrals, "sent_at", "answered_at")
    return counts


def obstacles_table(office: Office, months: list[Period]) -> Table:
    """The obstacles most often met in the 12 months, by kind and agency: the systemic asks."""
    rows = (
        Obstacle.objects.filter(in_months("recorded_at", months), office=office)
        .values("kind", "agency__name")
        .annotate(n=Count("id"), cases=Count("case", distinct=True))
        .order_by("-n")[:8]
    )
    kinds = dict(ObstacleKind.choices)
    return Table(
        "helping-obstacles",
        "Obstacles most often met: the systemic asks",
        ["Obstacle", "Agency", "Times met", "Cases"],
        [
            [kinds.get(r["kind"], r["kind"]), r["agency__name"] or "–", r["n"], r["cases"]]
            for r in rows
        ],
    )


def commitments_on_track(office: Office, today: date) -> tuple[int, int]:
    """Open commitments neither stalled nor past their deadline, and all open ones."""
    open_ones = Commitment.objects.for_office(office).filter(status__in=COMMITMENT_OPEN)
    on_track = open_ones.exclude(status=PublicStatus.STALLED).exclude(deadline__lt=today)
    return on_track.count(), open_ones.count()


def outcome_counts(cases: QuerySet, months: list[Period]) -> list[tuple[str, int]]:
    counts = dict(
        cases.filter(in_months("resolved_at", months))
        .exclude(outcome="")
        .values_list("outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [(label, counts.get(value, 0)) for value, label in Outcome.choices]


def all_tables(panels: list[Panel]) -> dict[str, Table]:
    tables = {}
    for panel in panels:
        for chart in panel.charts:
            tables[chart.slug] = chart.as_table()
        for table in panel.tables:
            tables[table.slug] = table
    return tables


def all_charts(panels: list[Panel]) -> dict[str, Chart]:
    return {chart.slug: chart for panel in panels for chart in panel.charts}


def week_ago(today: date) -> date:
    return today - timedelta(days=7)
