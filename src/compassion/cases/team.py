"""The team's caseload, distress exposure and response times, and who should take a case.

Distressing casework wears people down. Each worker's exposure this week is the summed
distress load (from the lens) of the cases given to them in the last seven days; a new
case is suggested for the worker with the least exposure among those with room for it.
The letters of one campaign share a text and one reply, so a campaign counts once, by its
heaviest letter, however many of its letters a worker was given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import median

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from compassion.cases.models import OPEN_STATUSES, Case, CaseworkPolicy
from compassion.core.models import Office, Role
from compassion.core.workdays import working_days_between

CASE_HOLDERS = [Role.CASEWORKER, Role.MANAGER]
RESPONSE_WINDOW_DAYS = 90


@dataclass
class WorkerLoad:
    user: AbstractBaseUser
    open_cases: int = 0
    campaign_open: int = 0
    urgent_open: int = 0
    distressing_this_week: int = 0
    exposure_this_week: float = 0.0
    capacity: int = 0
    reply_days: list[int] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def has_capacity(self) -> bool:
        return self.open_cases < self.capacity

    @property
    def load_percent(self) -> int:
        return round(100 * self.open_cases / self.capacity) if self.capacity else 0

    @property
    def median_reply_days(self) -> float | None:
        return median(self.reply_days) if self.reply_days else None


def team_loads(office: Office, now: datetime | None = None) -> list[WorkerLoad]:
    """One row per case-holding member of staff, in two queries plus the response times."""
    now = now or timezone.now()
    policy = CaseworkPolicy.for_office(office)
    week_ago = now - timedelta(days=7)
    recent = Q(
        assigned_cases__office=office,
        assigned_cases__assigned_at__gte=week_ago,
        assigned_cases__campaign__isnull=True,
    )
    distressing = recent & Q(assigned_cases__distress_load__gte=policy.distressing_load)
    open_anywhere = Q(assigned_cases__office=office, assigned_cases__status__in=OPEN_STATUSES)
    # Campaign letters are answered together, so they are counted apart from the load.
    is_open = open_anywhere & Q(assigned_cases__campaign__isnull=True)
    users = (
        get_user_model()
        .objects.filter(memberships__office=office, memberships__role__in=CASE_HOLDERS)
        .annotate(
            open_cases=Count("assigned_cases", filter=is_open, distinct=True),
            campaign_open=Count(
                "assigned_cases",
                filter=open_anywhere & Q(assigned_cases__campaign__isnull=False),
                distinct=True,
            ),
            urgent_open=Count(
                "assigned_cases", filter=is_open & Q(assigned_cases__urgent=True), distinct=True
            ),
            distressing_count=Count("assigned_cases", filter=distressing, distinct=True),
            exposure=Sum("assigned_cases__distress_load", filter=recent),
        )
        .order_by("first_name", "username")
    )
    loads = {
        user.pk: WorkerLoad(
            user=user,
            open_cases=user.open_cases,
            campaign_open=user.campaign_open,
            urgent_open=user.urgent_open,
            distressing_this_week=user.distressing_count,
            exposure_this_week=user.exposure or 0.0,
            capacity=policy.capacity,
        )
        for user in users
    }
    add_campaign_exposure(office, loads, week_ago, policy.distressing_load)
    for load in loads.values():
        load.exposure_this_week = round(load.exposure_this_week, 1)
    add_reply_times(office, loads, now)
    return list(loads.values())


def add_campaign_exposure(
    office: Office, loads: dict[int, WorkerLoad], since: datetime, distressing_load: float
) -> None:
    """Each campaign a worker was given letters of this week, once, by its heaviest letter."""
    heaviest = (
        Case.objects.filter(
            office=office,
            assigned_to__in=list(loads),
            assigned_at__gte=since,
            campaign__isnull=False,
        )
        .values("assigned_to_id", "campaign_id")
        .annotate(load=Max("distress_load"))
    )
    for row in heaviest:
        load = loads[row["assigned_to_id"]]
        load.exposure_this_week += row["load"]
        if row["load"] >= distressing_load:
            load.distressing_this_week += 1


def add_reply_times(office: Office, loads: dict[int, WorkerLoad], now: datetime) -> None:
    """Working days from opening to the first substantive reply, over the last 90 days."""
    replied = Case.objects.filter(
        office=office,
        assigned_to__in=list(loads),
        first_reply_at__gte=now - timedelta(days=RESPONSE_WINDOW_DAYS),
    ).values_list("assigned_to_id", "opened_at", "first_reply_at", "paused_days")
    for worker_id, opened_at, replied_at, paused in replied:
        days = working_days_between(
            timezone.localtime(opened_at).date(),
            timezone.localtime(replied_at).date(),
            office.holiday_region,
        )
        loads[worker_id].reply_days.append(max(days - paused, 0))


@dataclass
class Suggestion:
    load: WorkerLoad
    reason: str


def suggest_assignee(loads: list[WorkerLoad]) -> Suggestion | None:
    """The worker with room for another case and the least distressing work this week."""
    with_room = [load for load in loads if load.has_capacity]
    if not with_room:
        return None
    best = min(with_room, key=lambda load: (load.exposure_this_week, load.open_cases))
    others = [load for load in with_room if load is not best]
    reason = (
        f"{best.name} has had the least distressing casework this week "
        f"({best.distressing_this_week} distressing "
        f"case{'s' if best.distressing_this_week != 1 else ''}) and has room: "
        f"{best.open_cases} open cases of the {best.capacity} a caseworker can carry."
    )
    full = len(loads) - len(with_room)
    if full:
        reason += f" {full} colleague{'s are' if full != 1 else ' is'} at capacity."
    elif not others:
        reason += " Nobody else has room."
    return Suggestion(load=best, reason=reason)


@dataclass
class ServiceFigures:
    """How the office met its service standard over the last 90 days. A case is due an
    acknowledgement (or a reply) once it has one or its date has passed, so a case never
    acknowledged counts against the standard instead of dropping out of it."""

    opened: int
    acknowledged_in_time: int
    acknowledgements_due: int
    replied_in_time: int
    replies_due: int
    median_reply_days: float | None

    @property
    def acknowledged_share(self) -> int | None:
        return percent(self.acknowledged_in_time, self.acknowledgements_due)

    @property
    def replied_share(self) -> int | None:
        return percent(self.replied_in_time, self.replies_due)


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def service_figures(office: Office, now: datetime | None = None) -> ServiceFigures:
    now = now or timezone.now()
    cases = Case.objects.filter(
        office=office,
        opened_at__gte=now - timedelta(days=RESPONSE_WINDOW_DAYS),
        campaign__isnull=True,
    ).values_list(
        "acknowledge_by",
        "acknowledged_at",
        "reply_by",
        "first_reply_at",
        "opened_at",
        "paused_days",
    )
    today = timezone.localdate(now)
    opened = acknowledgements_due = acknowledged_in_time = replies_due = replied_in_time = 0
    reply_days = []
    for ack_by, ack_at, reply_by, reply_at, opened_at, paused in cases:
        opened += 1
        acknowledgements_due += bool(ack_at or (ack_by and ack_by < today))
        if ack_at:
            acknowledged_in_time += not ack_by or timezone.localtime(ack_at).date() <= ack_by
        replies_due += bool(reply_at or (reply_by and reply_by < today))
        if reply_at:
            replied_in_time += not reply_by or timezone.localtime(reply_at).date() <= reply_by
            days = working_days_between(
                timezone.localtime(opened_at).date(),
                timezone.localtime(reply_at).date(),
                office.holiday_region,
            )
            reply_days.append(max(days - paused, 0))
    return ServiceFigures(
        opened=opened,
        acknowledged_in_time=acknowledged_in_time,
        acknowledgements_due=acknowledgements_due,
        replied_in_time=replied_in_time,
        replies_due=replies_due,
        median_reply_days=median(reply_days) if reply_days else None,
    )
