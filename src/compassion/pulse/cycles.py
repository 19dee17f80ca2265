"""Scheduling pulses, sending single-use links and reminders, and taking answers."""

from __future__ import annotations

import calendar
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from compassion.core.forms import posted_text
from compassion.core.mail import MAIL_FAILURES
from compassion.core.models import Membership, Office, Role
from compassion.pulse import instruments
from compassion.pulse.models import (
    Comment,
    Commitment,
    Cycle,
    Invitation,
    PulseSettings,
    Response,
    group_for_role,
    hash_token,
)

MAX_CYCLES_AT_ONCE = 12


class MailRefused(Exception):
    """The mail server did not take an invitation or reminder; `sent` went before it. Nobody
    is left without a working link: a refused invitation is not kept (it is sent next time),
    and a refused reminder leaves the earlier link working."""

    def __init__(self, sent: int, what: str = "invitations") -> None:
        super().__init__(f"The mail server did not accept the {what} ({sent} sent).")
        self.sent = sent
        self.what = what


class AnswerError(Exception):
    """The link cannot be used; the message says why in plain words."""


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def schedule(
    office: Office, user: AbstractBaseUser, first_opens_on: date, days_open: int, months: int
) -> list[Cycle]:
    """Schedule `months` monthly pulses, each open for `days_open` days."""
    if not 1 <= months <= MAX_CYCLES_AT_ONCE:
        raise ValueError(f"Schedule between 1 and {MAX_CYCLES_AT_ONCE} pulses at a time.")
    if not 1 <= days_open <= 28:
        raise ValueError("A pulse stays open between 1 and 28 days.")
    if first_opens_on < timezone.localdate():
        raise ValueError("The first pulse cannot open in the past.")
    cycles = []
    with transaction.atomic():
        for index in range(months):
            opens = add_months(first_opens_on, index)
            closes = opens + timedelta(days=days_open - 1)
            refuse_overlap(office, opens, closes)
            cycles.append(
                Cycle.objects.create(
                    office=office, opens_on=opens, closes_on=closes, created_by=user
                )
            )
    return cycles


def refuse_overlap(office: Office, opens: date, closes: date) -> None:
    """Two pulses open at once would each send everyone a link, and someone answering both
    would be counted twice towards k."""
    for cycle in Cycle.objects.for_office(office).filter(opens_on__lte=closes):
        last_day = cycle.closed_early_on or cycle.closes_on
        if last_day >= opens:
            raise ValueError(
                f"A pulse is already open or scheduled from {cycle.opens_on:%-d %B} to "
                f"{last_day:%-d %B %Y}. Choose a first day after it closes, or cancel it from its "
                "page if it has not opened yet."
            )


def invitees(office: Office) -> list[Membership]:
    """Everyone in the office except the leader, who gives a self-view instead."""
    return list(
        Membership.objects.filter(office=office)
        .exclude(role=Role.LEADER)
        .select_related("user")
        .order_by("pk")
    )


def answer_url(token: str) -> str:
    return settings.SITE_URL + reverse("pulse:answer", args=[token])


def send_link(invitation: Invitation, subject: str, opening: str) -> None:
    """Give the invitation a fresh single-use link and email it."""
    token = secrets.token_urlsafe(24)
    invitation.token_hash = hash_token(token)
    cycle = invitation.cycle
    user = invitation.user
    body = (
        f"Hello {user.first_name or user.username},\n\n{opening}\n\n"
        f"{answer_url(token)}\n\n"
        "It takes about five minutes. Your answers are anonymous: they are stored with no link "
        "to you or to this link, and no result is shown for fewer than "
        f"{PulseSettings.for_office(cycle.office).k} people. The link works once.\n\n"
        f"The pulse closes on {cycle.closes_on:%-d %B %Y}.\n\n{cycle.office.name}"
    )
    with transaction.atomic():  # sent last: if refused, the earlier link still works
        invitation.save(update_fields=["token_hash"])
        send_mail(subject, body, None, [user.email])


def send_invitations(cycle: Cycle) -> int:
    """Invite everyone not yet invited; returns how many were sent."""
    sent = 0
    for membership in invitees(cycle.office):
        if not membership.user.email:
            continue
        try:
            with transaction.atomic():
                invitation, created = Invitation.objects.get_or_create(
                    cycle=cycle,
                    user=membership.user,
                    defaults={"token_hash": hash_token(secrets.token_urlsafe(24))},
                )
                if not created:
                    continue
                send_link(
                    invitation,
                    f"How is it for you? {cycle.office.name} pulse, {cycle.label}",
                    "The team pulse is open. Please tell us how it really is, here:",
                )
        except MAIL_FAILURES as refused:
            raise MailRefused(sent) from refused
        sent += 1
    cycle.invitations_sent_on = timezone.localdate()
    cycle.save(update_fields=["invitations_sent_on"])
    return sent


def send_reminders(cycle: Cycle, today: date | None = None) -> int:
    """Remind those who have not answered. Nobody is told who has or has not."""
    today = today or timezone.localdate()
    if cycle.is_closed(today):
        return 0
    waiting = cycle.invitations.filter(answered=False).select_related("user", "cycle__office")
    count = 0
    for invitation in waiting:
        try:
            send_link(
                invitation,
                f"Reminder: {cycle.office.name} pulse closes {cycle.closes_on:%-d %B}",
                "A reminder, in case the pulse slipped by. Here is a fresh link (the earlier one "
                "no longer works):",
            )
        except MAIL_FAILURES as refused:
            raise MailRefused(count, "reminders") from refused
        count += 1
    cycle.last_reminder_on = today
    cycle.save(update_fields=["last_reminder_on"])
    return count


def find_invitation(token: str) -> Invitation:
    invitation = (
        Invitation.objects.filter(token_hash=hash_token(token)).select_related("cycle").first()
    )
    if invitation is None:
        raise AnswerError(
            "This link is not valid. It may have been replaced by a newer one in a reminder."
        )
    if invitation.answered:
        raise AnswerError("This link has already been used: your answers are in. Thank you.")
    cycle = invitation.cycle
    today = timezone.localdate()
    if cycle.opens_on > today:
        raise AnswerError(f"This pulse opens on {cycle.opens_on:%-d %B %Y}.")
    if cycle.is_closed(today):
        raise AnswerError("This pulse has closed, so answers can no longer be added.")
    return invitation


@dataclass
class Submission:
    answers: dict[str, int]
    comment: str


def clean_submission(data: dict[str, object]) -> Submission:
    answers = instruments.clean_answers(data)
    comment = posted_text(data, "comment")
    if len(comment) > instruments.FREE_TEXT_MAX_CHARS:
        raise ValueError(
            f"Please keep the last answer under {instruments.FREE_TEXT_MAX_CHARS} characters."
        )
    if not answers and not comment:
        raise ValueError("Nothing was answered. Every question is optional, but not all of them.")
    return Submission(answers=answers, comment=comment)


def submit(token: str, submission: Submission) -> None:
    """Store the answers with no link to the person, and mark the link used. All or nothing."""
    with transaction.atomic():
        invitation = find_invitation(token)
        # The update only succeeds once, even if the same form is posted twice at once.
        used = Invitation.objects.filter(pk=invitation.pk, answered=False).update(answered=True)
        if not used:
            raise AnswerError("This link has already been used: your answers are in. Thank you.")
        membership = Membership.objects.filter(
            office=invitation.cycle.office, user=invitation.user_id
        ).first()
        role = membership.role if membership else Role.CASEWORKER
        if submission.answers:
            Response.objects.create(
                cycle=invitation.cycle, group=group_for_role(role), answers=submission.answers
            )
        if submission.comment:
            Comment.objects.create(cycle=invitation.cycle, text=submission.comment)


def due_cycles(today: date) -> list[Cycle]:
    return list(
        Cycle.objects.filter(
            invitations_sent_on__isnull=True, opens_on__lte=today, closes_on__gte=today
        ).filter(closed_early_on__isnull=True)
    )


def remind_commitments(today: date) -> int:
    """Email the person who made each commitment due within two days or overdue, once a week."""
    count = 0
    due = Commitment.objects.open().filter(due_on__lte=today + timedelta(days=2))
    for commitment in due.select_related("check_in__leader", "check_in__staff"):
        last = commitment.last_reminder_on
        if last and today - last < timedelta(days=7):
            continue
        leader = commitment.check_in.leader
        if not leader.email:
            continue
        staff = commitment.check_in.staff
        state = "is overdue" if commitment.due_on < today else "is due"
        try:
            send_mail(
                f"Reminder: a commitment to {staff.get_full_name() or staff.username} {state}",
                f"In your check-in you committed to: {commitment.text}\n"
                f"Due {commitment.due_on:%-d %B %Y}. Mark it done in Compassion when it is.",
                None,
                [leader.email],
            )
        except MAIL_FAILURES as refused:
            raise MailRefused(count, "commitment reminders") from refused
        commitment.last_reminder_on = today
        commitment.save(update_fields=["last_reminder_on"])
        count += 1
    return count


@dataclass
class DailyRun:
    invited: int
    reminded: int
    commitments: int


def run_daily(today: date) -> DailyRun:
    """What a daily cron run does: open due pulses, remind two days before closing, and remind
    leaders of check-in commitments that are due."""
    invited = sum(send_invitations(cycle) for cycle in due_cycles(today))
    reminded = 0
    closing = Cycle.objects.filter(
        closes_on=today + timedelta(days=2), closed_early_on__isnull=True
    ).exclude(last_reminder_on=today)
    for cycle in closing:
        if cycle.is_open(today):
            reminded += send_reminders(cycle, today)
    return DailyRun(invited=invited, reminded=reminded, commitments=remind_commitments(today))
