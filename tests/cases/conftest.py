"""Helpers to make realistic cases and messages for the casework tests."""

from __future__ import annotations

from datetime import datetime
from itertools import count
from typing import Any

import pytest
from django.utils import timezone

from compassion.cases.models import Case
from compassion.core.models import Office, Person
from compassion.voices.models import Voice

numbers = count(1)


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """The cast's passwords need not be hard to crack here; it keeps these tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_case(
    office: Office,
    person: Person | None = None,
    body: str = "",
    opened_at: datetime | None = None,
    **fields: Any,
) -> Case:
    number = next(numbers)
    fields.setdefault("subject", "Damp and mould in my flat")
    fields.setdefault("reference", f"T-{number:05d}")
    case = Case.objects.create(
        office=office, person=person, opened_at=opened_at or timezone.now(), **fields
    )
    if body:
        Voice.objects.create(
            office=office,
            person=person,
            case=case,
            subject=case.subject,
            body=body,
            received_at=case.opened_at,
            sender_name=person.full_name if person else "",
        )
    return case
