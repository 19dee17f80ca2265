"""“You said, we did”: telling the people who asked for a commitment what became of it.

Each message is an ordinary casework reply (`cases.Reply`), so it shows in the person's
history like any other letter, and is sent by Django's email.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction

from compassion.cases.models import Case, Reply, TemplateKind, merge
from compassion.commitments.models import Commitment, Notice
from compassion.core.models import AuditAction, AuditEntry, Person


def people_to_tell(commitment: Commitment) -> list[Person]:
    """People behind the commitment who have an email address, each once."""
    return list(commitment.people_behind().exclude(email="").order_by("pk"))


def already_told(commitment: Commitment) -> Notice | None:
    """The notice sent since the commitment last changed status, if any."""
    since = commitment.status_changed_at or commitment.created_at
    return commitment.notices.filter(sent_at__gte=since).first()


def suggested_message(commitment: Commitment) -> tuple[str, str]:
    status = commitment.get_status_display().lower()
    subject = f"You asked, here is what happened: {commitment.title}"
    body = (
        "Dear {{ first_name }},\n\n"
        f"You wrote to me asking for action on “{commitment.title}”. I promised: "
        f"“{commitment.wording}”\n\n"
        f"I want you to know what became of it: the promise is now {status}."
    )
    if commitment.explanation:
        body += f"\n\n{commitment.explanation}"
    body += "\n\nThank you for speaking up. It made a difference.\n\n" + (commitment.office.name)
    return subject, body


def case_for(person: Person, commitment: Commitment) -> Case | None:
    """The person's case behind the commitment, to file the reply against."""
    linked = commitment.cases.filter(person=person).first()
    if linked:
        return linked
    return person.cases.filter(campaign__in=commitment.campaigns.all()).first()


def send_notice(
    commitment: Commitment, subject: str, body: str, user: object, ip: str | None
) -> Notice | None:
    """Email each person, record a reply in their casework, and audit it.

    Returns None, sending nothing, when they were already told since the last change of
    status (a double click, a resubmitted form): the commitment's row is locked meanwhile.
    """
    with transaction.atomic():
        Commitment.objects.select_for_update().filter(pk=commitment.pk).first()
        if already_told(commitment):
            return None
        people = people_to_tell(commitment)
        sender = settings.DEFAULT_FROM_EMAIL
        messages = [
            EmailMessage(
                subject,
                merge(body, {"first_name": p.first_name or "constituent"}),
                sender,
                [p.email],
            )
            for p in people
        ]
        get_connection().send_messages(messages)
        notice = Notice.objects.create(
            commitment=commitment, subject=subject, body=body, recipients=len(people), sent_by=user
        )
        campaign = commitment.campaigns.first()
        Reply.objects.bulk_create(
            Reply(
                office=commitment.office,
                person=person,
                case=case_for(person, commitment),
                campaign=campaign,
                kind=TemplateKind.CAMPAIGN if campaign else TemplateKind.REPLY,
                to_email=person.email,
                subject=subject,
                body=message.body,
                sent_by=user,
            )
            for person, message in zip(people, messages, strict=True)
        )
        AuditEntry.objects.bulk_create(
            AuditEntry(
                office=commitment.office,
                user=user,
                action=AuditAction.CHANGE,
                object_type="commitment",
                object_id=str(commitment.pk),
                person=person,
                summary=f"Sent “You said, we did” for {commitment.title}"[:300],
                ip_address=ip,
            )
            for person in people
        )
    return notice
