"""Reminders to owners before milestones and stocktakes fall due. Each is sent once."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse

from compassion.commitments.models import OPEN_STATUSES, Commitment, Milestone

# Owners hear about a milestone or stocktake this many days before it falls due.
REMIND_DAYS_AHEAD = 7


def due_milestones(today: date) -> list[Milestone]:
    horizon = today + timedelta(days=REMIND_DAYS_AHEAD)
    return list(
        Milestone.objects.filter(
            done_on__isnull=True,
            reminded_on__isnull=True,
            due_on__lte=horizon,
            commitment__status__in=OPEN_STATUSES,
            commitment__owner__isnull=False,
        )
        .exclude(commitment__owner__email="")
        .select_related("commitment__owner", "commitment__office")
    )


def due_stocktakes(today: date) -> list[Commitment]:
    horizon = today + timedelta(days=REMIND_DAYS_AHEAD)
    return list(
        Commitment.objects.filter(
            status__in=OPEN_STATUSES,
            next_stocktake_on__lte=horizon,
            stocktake_reminded_on__isnull=True,
            owner__isnull=False,
        )
        .exclude(owner__email="")
        .select_related("owner", "office")
    )


def when(day: date, today: date) -> str:
    if day < today:
        return f"was due on {day:%-d %B %Y}"
    if day == today:
        return "is due today"
    return f"is due on {day:%-d %B %Y}"


def send_reminders(today: date) -> int:
    """Email each owner one message listing what falls due; returns the number of emails."""
    milestones, stocktakes = due_milestones(today), due_stocktakes(today)
    lines: dict[object, list[str]] = defaultdict(list)
    for milestone in milestones:
        commitment = milestone.commitment
        url = settings.SITE_URL + reverse("commitments:detail", args=[commitment.pk])
        lines[commitment.owner].append(
            f"- Milestone “{milestone.title}” of “{commitment.title}” "
            f"{when(milestone.due_on, today)}.\n  {url}"
        )
    for commitment in stocktakes:
        url = settings.SITE_URL + reverse("commitments:stocktake", args=[commitment.pk])
        lines[commitment.owner].append(
            f"- The stocktake of “{commitment.title}” "
            f"{when(commitment.next_stocktake_on, today)}.\n  {url}"
        )
    messages = [
        EmailMessage(
            "Commitments: what falls due soon",
            f"Dear {owner.first_name or owner.username},\n\n"
            "These commitments you own need you soon:\n\n" + "\n".join(items) + "\n",
            settings.DEFAULT_FROM_EMAIL,
            [owner.email],
        )
        for owner, items in lines.items()
    ]
    sent = get_connection().send_messages(messages) or 0
    with transaction.atomic():
        Milestone.objects.filter(pk__in=[m.pk for m in milestones]).update(reminded_on=today)
        Commitment.objects.filter(pk__in=[c.pk for c in stocktakes]).update(
            stocktake_reminded_on=today
        )
    return sent
