"""Small builders for insights tests: people, cases and their first message."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from compassion.cases.models import Case, Status
from compassion.core.models import Office, Person
from compassion.core.workdays import add_working_days
from compassion.voices.models import Voice

_numbers = iter(range(1, 10**6))


def person(office: Office, ward: str = "", **fields: object) -> Person:
    return Person.objects.create(office=office, first_name="P", last_name="Q", ward=ward, **fields)


def case(
    office: Office,
    who: Person | None,
    *,
    channel: str = "email",
    days_ago: float = 30,
    ack_hours: float | None = 5,
    outcome: str = "",
    theme: str = "housing",
    heard: str = "",
    urgent: bool = False,
    messages: int = 1,
) -> Case:
    opened = timezone.now() - timedelta(days=days_ago)
    number = next(_numbers)
    made = Case.objects.create(
        office=office,
        person=who,
        reference=f"T-{number}",
        subject="A problem",
        theme=theme,
        opened_at=opened,
        acknowledge_by=add_working_days(timezone.localdate(opened), 2),
        acknowledged_at=opened + timedelta(hours=ack_hours) if ack_hours is not None else None,
        status=Status.CLOSED if outcome else Status.ACKNOWLEDGED,
        resolved_at=opened + timedelta(days=10) if outcome else None,
        outcome=outcome,
        heard=heard,
        urgent=urgent,
    )
    for index in range(messages):
        Voice.objects.create(
            office=office,
            person=who,
            case=made,
            channel=channel,
            subject="A problem",
            body="Please help.",
            received_at=opened + timedelta(days=index),
            read_at=opened + timedelta(hours=1),
            theme=theme,
        )
    return made


def moment(days_ago: float) -> datetime:
    return timezone.now() - timedelta(days=days_ago)
