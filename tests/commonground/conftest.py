"""Conversations for the common-ground tests, with votes from real latent groups."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.utils import timezone

from compassion.commonground.models import (
    Conversation,
    Moderation,
    Participant,
    Statement,
    StatementStatus,
    Vote,
)

# Statement texts and each camp's chance of agreeing: two camps split on most statements;
# the first two are liked by both (common ground).
STATEMENTS = [
    ("Northby needs public toilets in the centre.", (0.9, 0.9)),
    ("Empty shops should go to local businesses cheaply.", (0.85, 0.85)),
    ("Parking should be free for two hours.", (0.9, 0.1)),
    ("Closing roads would kill the shops.", (0.9, 0.1)),
    ("Keep the multi-storey car park.", (0.85, 0.15)),
    ("High Street should be pedestrianised.", (0.1, 0.9)),
    ("A cycle lane should link the station to the centre.", (0.1, 0.9)),
    ("The car park should become a park.", (0.15, 0.85)),
]


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """The cast's passwords need not be hashed with Argon2 here (a second per user)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_conversation(office: Any, **fields: Any) -> Conversation:
    conversation = Conversation.objects.create(
        office=office,
        title=fields.pop("title", "Town centre"),
        question=fields.pop("question", "What should the town centre be like?"),
        slug=fields.pop("slug", "town-centre"),
        moderation=fields.pop("moderation", Moderation.BEFORE),
        **fields,
    )
    for number, (text, _) in enumerate(STATEMENTS, start=1):
        Statement.objects.create(
            conversation=conversation,
            number=number,
            text=text,
            status=StatementStatus.ACCEPTED,
            is_seed=True,
        )
    return conversation


def add_camp_votes(
    conversation: Conversation, camp_sizes: tuple[int, int] = (20, 16), seed: int = 1
) -> None:
    """Participants from two camps vote on most statements, as their camp tends to."""
    rng = random.Random(seed)
    statements = list(conversation.statements.order_by("number"))
    now = timezone.now()
    votes = []
    for camp, size in enumerate(camp_sizes):
        people = Participant.objects.bulk_create(
            [Participant(conversation=conversation) for _ in range(size)]
        )
        for person in people:
            for statement, (_, chances) in zip(statements, STATEMENTS, strict=False):
                if rng.random() < 0.1:
                    continue
                value = 1 if rng.random() < chances[camp] else -1
                votes.append(
                    Vote(
                        participant=person,
                        statement=statement,
                        value=value,
                        created_at=now,
                        updated_at=now,
                    )
                )
    Vote.objects.bulk_create(votes)


@pytest.fixture
def conversation(cast: Any) -> Conversation:
    return make_conversation(cast.office, report_published=True)


@pytest.fixture
def voted(conversation: Conversation) -> Conversation:
    add_camp_votes(conversation)
    return conversation
