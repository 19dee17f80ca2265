"""A team big enough to answer a pulse: the shared cast plus three more caseworkers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone

from compassion.core.models import Role
from compassion.pulse import cycles
from compassion.pulse.models import Cycle, Invitation
from tests.conftest import Cast, make_user

LINK = re.compile(r"https?://\S+/team/answer/([\w-]+)/")


@dataclass
class Team:
    cast: Cast
    staff: list[User]


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """Argon2 is right for real logins and far too slow for a test that makes eight users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def team(cast: Cast) -> Team:
    extra = [make_user(name, cast.office, Role.CASEWORKER) for name in ("dee", "eli", "fay")]
    return Team(cast=cast, staff=[cast.manager, cast.caseworker, cast.volunteer, *extra])


def open_cycle(office: Any, user: User, days_ago: int = 0) -> Cycle:
    today = timezone.localdate()
    return Cycle.objects.create(
        office=office,
        opens_on=today - timedelta(days=days_ago),
        closes_on=today - timedelta(days=days_ago) + timedelta(days=6),
        created_by=user,
    )


def links_by_email() -> dict[str, str]:
    """The newest answer link each person was emailed."""
    links = {}
    for message in mail.outbox:
        found = LINK.search(message.body)
        if found:
            links[message.to[0]] = found.group(1)
    return links


def invite(cycle: Cycle) -> dict[str, str]:
    mail.outbox.clear()
    cycles.send_invitations(cycle)
    return links_by_email()


def good_answers(level: int = 4) -> dict[str, str]:
    """A full answer set leaning positive (level 4 of 5); reversed items answered to match."""
    answers = {}
    for _, item in cycles.instruments.all_items():
        size = len(item.options)
        code = round(1 + (level - 1) * (size - 1) / 4)
        if item.reverse:
            code = size + 1 - code
        answers[item.code] = str(code)
    return answers


def close(cycle: Cycle) -> None:
    cycle.closed_early_on = timezone.localdate()
    cycle.save()


def answered_by(cycle: Cycle, people: int, first: int = 0) -> None:
    """Record that `people` different people (numbers `first` onwards) used their link to
    `cycle`, as answering through the survey page does. Tests that write `Response` rows
    directly need it: a block of months is shown only when k different people answered."""
    for number in range(first, first + people):
        user, _ = User.objects.get_or_create(username=f"respondent{number}")
        Invitation.objects.create(
            cycle=cycle, user=user, token_hash=f"{cycle.pk}-{number}", answered=True
        )
