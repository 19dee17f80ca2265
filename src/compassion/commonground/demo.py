"""Demo conversations whose votes come from real (latent) opinion groups.

Each statement has a chance of agreement for each of three kinds of resident; each simulated
participant belongs to one kind, sees a random share of the statements and votes with that
chance (with some passing). The analysis then has genuine groups and genuine common ground
to find, rather than a hard-coded answer.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from compassion.commonground.models import (
    Conversation,
    Moderation,
    Participant,
    Statement,
    StatementStatus,
    Vote,
)
from compassion.core.models import Office, Role

# Three kinds of resident: (A) traders and drivers, (B) walking, cycling and green space,
# (C) younger renters who want homes and things to do. Each statement: text and the chance
# that each kind agrees. Statements everyone likes come first in each block.
TOWN_CENTRE = [
    ("Northby needs clean, open public toilets in the town centre.", (0.9, 0.9, 0.85)),
    ("Empty shops should be offered cheaply to local independent businesses.", (0.85, 0.85, 0.9)),
    ("The Saturday market should run every week again, all year.", (0.85, 0.8, 0.75)),
    ("Better street lighting would make me feel safer in the evening.", (0.85, 0.8, 0.85)),
    ("There should be more benches and shade for older people and parents.", (0.8, 0.9, 0.8)),
    ("Buses into the centre should run on time and until late.", (0.7, 0.9, 0.9)),
    ("The council should fix broken paving before any new projects.", (0.9, 0.75, 0.7)),
    ("People from every part of Northby should be asked before big changes.", (0.85, 0.8, 0.8)),
    ("Parking in the centre should be free for the first two hours.", (0.92, 0.15, 0.3)),
    ("Closing roads to cars would kill off the shops that are left.", (0.85, 0.1, 0.25)),
    ("The multi-storey car park should be kept, not knocked down.", (0.9, 0.2, 0.2)),
    ("Delivery vans need easy access to High Street all day.", (0.85, 0.3, 0.3)),
    ("Business rates are the real reason shops close, not traffic.", (0.9, 0.4, 0.4)),
    ("Cyclists on the pavement are a danger to pedestrians.", (0.85, 0.35, 0.25)),
    ("High Street should be pedestrianised.", (0.12, 0.92, 0.35)),
    ("A protected cycle lane should link the station to the centre.", (0.15, 0.93, 0.3)),
    ("More trees and planting would make people stay longer in town.", (0.45, 0.95, 0.5)),
    ("The car park should become a park with a playground.", (0.1, 0.85, 0.25)),
    ("Traffic on Station Road makes the air unhealthy for children.", (0.25, 0.9, 0.4)),
    ("Through traffic should be routed around the centre, not through it.", (0.3, 0.9, 0.35)),
    ("The council should measure footfall before and after any changes.", (0.75, 0.7, 0.6)),
    ("Flats above shops should be turned into homes people can afford.", (0.25, 0.3, 0.95)),
    ("The centre needs a youth venue open in the evenings.", (0.2, 0.3, 0.93)),
    ("There is nothing for people in their twenties to do in Northby.", (0.2, 0.2, 0.9)),
    ("New homes in the centre should be for rent at local wages.", (0.2, 0.3, 0.92)),
    ("Late-night licences would bring life back to the centre.", (0.2, 0.15, 0.85)),
    ("Student and young people's discounts should be offered by town shops.", (0.3, 0.3, 0.85)),
    ("Affordable childcare near the centre would help parents work.", (0.55, 0.7, 0.85)),
    ("Pop-up food stalls should be allowed on the square.", (0.3, 0.4, 0.85)),
    ("Street art and murals would brighten the empty units.", (0.2, 0.35, 0.85)),
    ("Anti-social behaviour in the evening keeps me away from town.", (0.85, 0.5, 0.3)),
    ("More police on foot would do more than any redesign.", (0.9, 0.45, 0.35)),
    ("Rough sleepers need help with housing, not moving on.", (0.45, 0.8, 0.85)),
    ("The library should stay in the centre and open on Sundays.", (0.7, 0.85, 0.75)),
    ("A weekly farmers' market would help local growers.", (0.7, 0.85, 0.6)),
    ("Money should go to the estates, not the town centre.", (0.3, 0.3, 0.55)),
    ("Northby town centre is beyond saving; people shop online now.", (0.35, 0.15, 0.3)),
    ("Charging points for electric cars should be in every car park.", (0.55, 0.6, 0.5)),
    ("I live in or next to the town centre.", (0.3, 0.45, 0.55)),
    ("I run a business in Northby.", (0.45, 0.12, 0.12)),
]
META_STATEMENTS = {
    "I live in or next to the town centre.",
    "I run a business in Northby.",
    "I use the library at least once a month.",
}
PRIORITY_STATEMENTS = ["I live in or next to the town centre.", "I run a business in Northby."]
WAITING = [
    "Make the bus station somewhere you would actually want to wait.",
    "Put a water fountain in the square for people and dogs.",
    "The people who run the council never come into town anyway!!!",
    "Northby needs free parking for the first two hours",
    "Ask the traders on Bridge Street, ring me on 07700 900123 and I will tell you what we need.",
]
REJECTED = ["Shut the whole place and build a retail park off the bypass. Idiots."]
KIND_WEIGHTS = (0.4, 0.33, 0.27)

# Two kinds of library user: (A) quiet study and books, (B) families and community events.
LIBRARY = [
    ("The library should open on Saturdays and Sunday afternoons.", (0.9, 0.85)),
    ("Free Wi-Fi and computers are essential for job seekers.", (0.85, 0.8)),
    ("Help with online forms and benefits should be offered every week.", (0.8, 0.85)),
    ("The building needs proper heating in winter.", (0.9, 0.9)),
    ("There should be a silent study room all day.", (0.95, 0.3)),
    ("Book stock matters more than events.", (0.9, 0.2)),
    ("Noise from children's events disturbs people studying.", (0.85, 0.15)),
    ("Volunteers should not replace paid librarians.", (0.85, 0.4)),
    ("Toddler rhyme times should run every weekday.", (0.25, 0.95)),
    ("The library should host a warm space with hot drinks.", (0.35, 0.9)),
    ("Community groups should book rooms for free.", (0.3, 0.9)),
    ("A café would bring more people in.", (0.2, 0.8)),
    ("Fines for late books should be scrapped.", (0.4, 0.85)),
    ("Evening opening once a week would help people who work.", (0.8, 0.75)),
    ("The mobile library should visit the estates again.", (0.6, 0.8)),
    ("I use the library at least once a month.", (0.8, 0.7)),
]
LIBRARY_KIND_WEIGHTS = (0.45, 0.55)


def generate(office: Office, rng: random.Random, participants: int = 320) -> None:
    """The town-centre conversation: open, with groups, common ground and a moderation queue."""
    now = timezone.now()
    opened = now - timedelta(days=21)
    conversation = Conversation.objects.create(
        office=office,
        title="Northby town centre in 2030",
        question="What should Northby's town centre be like in 2030?",
        description=(
            "The council is drawing up a plan for the town centre. Tell us what matters to "
            "you, and see where people across Northby agree."
        ),
        slug="northby-town-centre-2030",
        moderation=Moderation.BEFORE,
        opens_at=opened,
        closes_at=now + timedelta(days=14),
        report_published=True,
        created_by=leader(office),
        created_at=opened - timedelta(days=2),
    )
    statements = create_statements(conversation, TOWN_CENTRE, rng, opened, 12)
    create_votes(conversation, statements, rng, opened, now, participants, KIND_WEIGHTS)
    create_moderation_queue(conversation, rng, now)
    create_library_conversation(office, rng, now)


def create_library_conversation(office: Office, rng: random.Random, now: datetime) -> None:
    """A smaller conversation that closed last spring, its report published."""
    closed = now - timedelta(days=200)
    opened = closed - timedelta(days=28)
    conversation = Conversation.objects.create(
        office=office,
        title="Eastfield library",
        question="How should Eastfield library be used in future?",
        description=(
            "The library's opening hours are being reviewed. What would make it work for you?"
        ),
        slug="eastfield-library",
        moderation=Moderation.AFTER,
        opens_at=opened,
        closes_at=closed,
        report_published=True,
        created_by=leader(office),
        created_at=opened - timedelta(days=1),
    )
    statements = create_statements(conversation, LIBRARY, rng, opened, len(LIBRARY))
    create_votes(conversation, statements, rng, opened, closed, 140, LIBRARY_KIND_WEIGHTS)


def leader(office: Office) -> AbstractBaseUser | None:
    membership = office.memberships.filter(role=Role.LEADER).select_related("user").first()
    return membership.user if membership else None


def create_statements(
    conversation: Conversation,
    table: list[tuple[str, tuple[float, ...]]],
    rng: random.Random,
    opened: datetime,
    office_statements: int,
) -> list[tuple[Statement, tuple[float, ...]]]:
    """The first `office_statements` were written by the office; the rest came in later."""
    rows = []
    for number, (text, chances) in enumerate(table, start=1):
        seed = number <= office_statements or text in META_STATEMENTS
        priority = PRIORITY_STATEMENTS.index(text) + 1 if text in PRIORITY_STATEMENTS else None
        statement = Statement(
            conversation=conversation,
            number=number,
            text=text,
            status=StatementStatus.ACCEPTED,
            is_seed=seed,
            is_meta=text in META_STATEMENTS,
            priority=priority,
            created_at=opened + timedelta(hours=0 if seed else rng.uniform(6, 200)),
            moderated_at=opened,
        )
        rows.append((statement, chances))
    Statement.objects.bulk_create([s for s, _ in rows])
    return rows


def create_votes(
    conversation: Conversation,
    statements: list[tuple[Statement, tuple[float, ...]]],
    rng: random.Random,
    opened: datetime,
    now: datetime,
    count: int,
    weights: tuple[float, ...],
) -> None:
    """`count` participants, each of a kind drawn with `weights`, vote as their kind tends to."""
    span = (now - opened).total_seconds()
    people = Participant.objects.bulk_create(
        [
            Participant(
                conversation=conversation,
                created_at=opened + timedelta(seconds=rng.uniform(0, span * 0.95)),
            )
            for _ in range(count)
        ]
    )
    votes = []
    for person in people:
        kind = rng.choices(range(len(weights)), weights=weights)[0]
        share = rng.uniform(0.35, 0.95)
        for statement, chances in statements:
            if statement.created_at > now or rng.random() > share:
                continue
            value = vote_value(rng, chances[kind])
            moment = max(person.created_at, statement.created_at) + timedelta(
                minutes=rng.uniform(0, 30)
            )
            votes.append(
                Vote(
                    participant=person,
                    statement=statement,
                    value=value,
                    created_at=moment,
                    updated_at=moment,
                )
            )
    Vote.objects.bulk_create(votes, batch_size=2000)


def vote_value(rng: random.Random, chance_of_agreeing: float) -> int:
    """Pass now and then; otherwise agree with the given chance."""
    if rng.random() < 0.08:
        return 0
    return 1 if rng.random() < chance_of_agreeing else -1


def create_moderation_queue(conversation: Conversation, rng: random.Random, now: datetime) -> None:
    everyone = list(conversation.participants.order_by("pk"))
    authors = rng.sample(everyone, min(len(everyone), len(WAITING) + len(REJECTED)))
    number = len(TOWN_CENTRE)
    rows = []
    for text in WAITING + REJECTED:
        number += 1
        rejected = text in REJECTED
        rows.append(
            Statement(
                conversation=conversation,
                number=number,
                text=text,
                status=StatementStatus.REJECTED if rejected else StatementStatus.PENDING,
                author=authors.pop() if authors else None,
                created_at=now - timedelta(hours=rng.uniform(1, 40)),
                moderated_at=now if rejected else None,
            )
        )
    Statement.objects.bulk_create(rows)
