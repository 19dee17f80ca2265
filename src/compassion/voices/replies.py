"""What the office sends back at intake: acknowledgements, the out-of-area redirect and the
campaign bulk reply. Each is written from an editable `cases.ReplyTemplate`, sent by email
and recorded as a `cases.Reply`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from compassion.cases.models import Case, Reply, ReplyTemplate, Status, TemplateKind, merge
from compassion.core.mail import MAIL_FAILURES
from compassion.core.models import Office, Person
from compassion.voices.models import Campaign, IntakeSettings, Voice

log = logging.getLogger(__name__)

DEFAULT_TEMPLATES = [
    (
        TemplateKind.ACKNOWLEDGEMENT,
        "Acknowledgement",
        "We have received your message ({{ reference }})",
        "Dear {{ first_name }},\n\n"
        "Thank you for your message. It has reached us and a member of the team is reading "
        "it. Your reference is {{ reference }}; please use it if you write again.\n\n"
        "We aim to reply in full by {{ reply_by }}. If things get worse before then, reply "
        "to this email and tell us: we read every message.\n\n"
        "With best wishes,\n{{ office_name }}",
    ),
    (
        TemplateKind.REDIRECT,
        "Outside our area",
        "Your message to {{ office_name }} ({{ reference }})",
        "Dear {{ first_name }},\n\n"
        "Thank you for writing to us. From the postcode you gave "
        "({{ postcode }}), it looks as if you live outside {{ area_name }}. By parliamentary "
        "convention, your own representative is the person who can take up your case, and "
        "they will want to help.\n\n"
        "You can find who represents you by entering your postcode at "
        "https://members.parliament.uk/ or https://www.writetothem.com/.\n\n"
        "If we have this wrong and you do live in {{ area_name }}, please reply with your full "
        "address and we will take up your case straight away.\n\n"
        "With best wishes,\n{{ office_name }}",
    ),
    (
        TemplateKind.CAMPAIGN,
        "Campaign reply",
        "Thank you for writing about {{ campaign }}",
        "Dear {{ first_name }},\n\n"
        "Thank you for writing to us about {{ campaign }}. Many people have "
        "written about this, and every message has been read.\n\n"
        "[Say here what the leader thinks and will do.]\n\n"
        "With best wishes,\n{{ office_name }}",
    ),
]


def seed_default_templates(office: Office) -> None:
    """Give an office the acknowledgement, redirect and campaign templates it lacks."""
    for kind, name, subject, body in DEFAULT_TEMPLATES:
        if not ReplyTemplate.objects.filter(office=office, kind=kind, is_current=True).exists():
            ReplyTemplate.objects.create(
                office=office, kind=kind, name=name, subject=subject, body=body
            )


def intake_settings(office: Office) -> IntakeSettings:
    found, _ = IntakeSettings.objects.get_or_create(office=office)
    return found


def current_template(office: Office, kind: str) -> ReplyTemplate:
    template = (
        ReplyTemplate.objects.filter(office=office, kind=kind, is_current=True)
        .order_by("-version", "-created_at")
        .first()
    )
    if template is None:
        seed_default_templates(office)
        return current_template(office, kind)
    return template


def merge_values(
    office: Office, person: Person | None, voice: Voice, case: Case | None
) -> dict[str, str]:
    first_name = (person.first_name if person else "") or voice.sender_name.split(" ")[0]
    return {
        "first_name": first_name or "Sir or Madam",
        "last_name": person.last_name if person else "",
        "full_name": (person.full_name if person else "") or voice.sender_name,
        "reference": case.reference if case else "",
        "office_name": office.name,
        "leader_title": office.leader_title,
        "area_name": office.area_name or "our area",
        "postcode": voice.postcode or (person.postcode if person else ""),
        "reply_by": f"{case.reply_by:%-d %B %Y}" if case and case.reply_by else "",
        "acknowledge_by": f"{case.acknowledge_by:%-d %B %Y}"
        if case and case.acknowledge_by
        else "",
        "subject": voice.subject,
        "campaign": voice.campaign.title if voice.campaign_id else "",
    }


@dataclass
class Letter:
    subject: str
    body: str


def write_letter(template: ReplyTemplate, values: dict[str, str]) -> Letter:
    # One line: an email cannot carry a subject with a line break in it.
    subject = " ".join(merge(template.subject, values).split())
    return Letter(subject, merge(template.body, values))


def send_to_voice(voice: Voice, kind: str, user: Any = None) -> Reply | None:
    """Send the current template of `kind` to the sender of a voice, and record it.

    Returns None when there is no email address to send to. Sending errors are raised
    to the caller, who decides whether to tell a person or log them.
    """
    if not voice.sender_email:
        return None
    template = current_template(voice.office, kind)
    letter = write_letter(template, merge_values(voice.office, voice.person, voice, voice.case))
    send_mail(letter.subject, letter.body, settings.DEFAULT_FROM_EMAIL, [voice.sender_email])
    with transaction.atomic():
        reply = Reply.objects.create(
            office=voice.office,
            case=voice.case,
            person=voice.person,
            kind=kind,
            template=template,
            to_email=voice.sender_email,
            subject=letter.subject[:300],
            body=letter.body,
            sent_by=user if user and user.is_authenticated else None,
        )
        if voice.case_id:
            mark_acknowledged(voice.case)
    return reply


def mark_acknowledged(case: Case) -> None:
    """Record the acknowledgement (an update, not a save: nothing searchable changes)."""
    if case.acknowledged_at is not None:
        return
    case.acknowledged_at = timezone.now()
    if case.status == Status.NEW:
        case.status = Status.ACKNOWLEDGED
    Case.objects.filter(pk=case.pk).update(acknowledged_at=case.acknowledged_at, status=case.status)


def acknowledge_on_arrival(voice: Voice) -> Reply | None:
    """The automatic reply to a new case: a redirect when out of area, else an acknowledgement.

    A failure to send is logged and leaves the case unacknowledged (its clock shows it);
    the message itself is already safely stored.
    """
    kind = TemplateKind.REDIRECT if voice.out_of_area else TemplateKind.ACKNOWLEDGEMENT
    try:
        return send_to_voice(voice, kind)
    except Exception:  # noqa: BLE001 - any mail failure must not lose the message
        log.exception("Could not send the %s for voice %s", kind, voice.pk)
        return None


# Campaigns


@dataclass
class BulkResult:
    sent: int = 0
    skipped_recently: int = 0
    no_email: int = 0
    mail_refused: bool = False  # the mail server stopped taking them: the rest were not sent


def send_campaign_reply(
    campaign: Campaign, template: ReplyTemplate, user: Any, guard_days: int
) -> BulkResult:
    """One reply to every signatory, each greeted by name; nobody gets it twice within N days."""
    result = BulkResult()
    since = timezone.now() - timedelta(days=guard_days)
    recently = set(
        Reply.objects.filter(
            office=campaign.office,
            kind=TemplateKind.CAMPAIGN,
            campaign=campaign,
            sent_at__gte=since,
        ).values_list("to_email", flat=True)
    )
    voices = campaign.voices.select_related("person", "case", "office", "campaign").order_by(
        "received_at"
    )
    for voice in voices:
        address = voice.sender_email.lower()
        if not address:
            result.no_email += 1
            continue
        if address in recently:
            result.skipped_recently += 1
            continue
        reply = campaign_reply(campaign, voice, template, user)
        try:
            send_mail(reply.subject, reply.body, settings.DEFAULT_FROM_EMAIL, [address])
        except MAIL_FAILURES:
            log.exception("The mail server refused the campaign reply to %s", address)
            result.mail_refused = True
            return result
        with transaction.atomic():
            reply.save()
            if voice.case_id:
                record_campaign_answer(voice.case)
        recently.add(address)
        result.sent += 1
    return result


def campaign_reply(campaign: Campaign, voice: Voice, template: ReplyTemplate, user: Any) -> Reply:
    """The reply one signatory is sent, greeted by name; not yet saved."""
    letter = write_letter(template, merge_values(campaign.office, voice.person, voice, voice.case))
    return Reply(
        office=campaign.office,
        case=voice.case,
        person=voice.person,
        campaign=campaign,
        kind=TemplateKind.CAMPAIGN,
        template=template,
        to_email=voice.sender_email.lower(),
        subject=letter.subject[:300],
        body=letter.body,
        sent_by=user,
    )


def record_campaign_answer(case: Case) -> None:
    now = timezone.now()
    case.acknowledged_at = case.acknowledged_at or now
    case.first_reply_at = case.first_reply_at or now
    if case.is_open:
        case.status = Status.RESOLVED
        case.resolved_at = now
    Case.objects.filter(pk=case.pk).update(
        acknowledged_at=case.acknowledged_at,
        first_reply_at=case.first_reply_at,
        status=case.status,
        resolved_at=case.resolved_at,
    )
