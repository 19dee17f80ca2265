"""The person's rights and the office's retention: subject access, erasure, anonymisation.

Erasure and anonymisation overwrite the words in place (the counts and dates of casework
survive for the office's statistics, the person's words do not). Their audit entries say
what was done, never what was erased.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from compassion.cases.models import (
    Action,
    Case,
    CaseworkPolicy,
    Obstacle,
    Referral,
    Reply,
    SatisfactionRequest,
    Status,
)
from compassion.core.merging import from_json, undo_deadline
from compassion.core.models import (
    AuditAction,
    AuditEntry,
    Consent,
    Office,
    Person,
    PersonMerge,
)
from compassion.core.pdf import render_pdf
from compassion.core.spreadsheets import safe_cell
from compassion.voices.models import Attachment, QuarantinedMessage, Voice

ERASED = "[erased]"
ANONYMISED = "[anonymised]"


def safe_tree(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: safe_tree(item) for key, item in value.items()}
    if isinstance(value, list):
        return [safe_tree(item) for item in value]
    return safe_cell(value)


def when(moment: datetime | None) -> str:
    return timezone.localtime(moment).isoformat(timespec="minutes") if moment else ""


# What the office holds about a person, with the words a subject access record uses.
PERSON_LABELS = {
    "title": "Title",
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Email",
    "phone": "Phone",
    "address_line1": "Address",
    "address_line2": "Address, second line",
    "town": "Town",
    "postcode": "Postcode",
    "ward": "Ward",
    "age_band": "Age band",
    "vulnerabilities": "Vulnerabilities",
    "special_categories": "Sensitive details",
    "preferred_language": "Preferred language",
    "notes": "Notes",
}
PERSON_FIELDS = list(PERSON_LABELS)


def person_record(person: Person) -> dict[str, Any]:
    """Everything the office holds about one person, as plain data."""
    cases = person.cases.order_by("opened_at").prefetch_related(
        "actions", "obstacles", "referrals__agency"
    )
    voices = Voice.objects.filter(office=person.office, person=person).order_by("received_at")
    replies = Reply.objects.filter(office=person.office, person=person).order_by("sent_at")
    viewed = AuditEntry.objects.filter(office=person.office, person=person).select_related("user")
    return {
        "person": {name: getattr(person, name) for name in PERSON_FIELDS}
        | {"recorded_since": when(person.created_at)},
        "consents": [
            {
                "purpose": c.get_purpose_display(),
                "given": c.given,
                "source": c.source,
                "recorded_at": when(c.recorded_at),
            }
            for c in person.consents.order_by("recorded_at")
        ],
        "cases": [case_record(case) for case in cases],
        "messages": [message_record(v) for v in voices.select_related("case")],
        "replies": [
            {
                "sent_at": when(r.sent_at),
                "kind": r.get_kind_display(),
                "to": r.to_email,
                "subject": r.subject,
                "body": r.body,
            }
            for r in replies
        ],
        "merged_records": [merged_record(merge) for merge in person.merges.all()],
        "access_log": [
            {
                "at": when(e.at),
                "by": e.user.get_full_name() if e.user else "system",
                "action": e.get_action_display(),
                "record": f"{e.object_type} {e.object_id}",
            }
            for e in viewed
        ],
    }


def merged_record(merge: PersonMerge) -> dict[str, Any]:
    """A second record of the person, merged into this one, that is kept for a while so
    that the merge can be undone."""
    duplicate = from_json(merge.duplicate_record)
    return {
        "merged_at": when(merge.merged_at),
        "kept_until": when(undo_deadline(merge)),
        "person": {name: getattr(duplicate, name) for name in PERSON_FIELDS},
    }


def message_record(voice: Voice) -> dict[str, Any]:
    """A message, with what the office's software read in it: inferences about a person
    are their personal data too."""
    return {
        "received_at": when(voice.received_at),
        "channel": voice.get_channel_display(),
        "subject": voice.subject,
        "body": voice.body,
        "case": voice.case.reference if voice.case else "",
        "read_as_theme": voice.get_theme_display(),
        "read_as_tone": voice.get_emotion_display(),
        "tone_shown_by": voice.emotion_words,
        "read_as_asking_for_help": voice.request_for_help,
        "asking_shown_by": voice.request_words,
        "read_as_urgent": "; ".join(flag.get("label", flag["kind"]) for flag in voice.flags),
    }


def wiped_message_words(marker: str) -> dict[str, Any]:
    """A message's fields with its words overwritten: what the sender wrote and what the
    software quoted from it."""
    return {
        "sender_name": "",
        "sender_email": "",
        "subject": marker,
        "body": "",
        "body_html": "",
        "personal_lines": "",
        "emotion_words": "",
        "request_words": "",
        "flags": [],
        "message_id": "",
        "in_reply_to": "",
    }


def case_record(case: Case) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "subject": case.subject,
        "theme": case.get_theme_display(),
        "status": case.get_status_display(),
        "opened_at": when(case.opened_at),
        "closed_at": when(case.closed_at),
        "what_matters_to_you": case.heard,
        "outcome": case.get_outcome_display(),
        "help_given": case.help_given,
        "actions": [
            {"description": a.description, "due_on": a.due_on.isoformat(), "done": bool(a.done_at)}
            for a in case.actions.all()
        ],
        "obstacles": [
            {"kind": o.get_kind_display(), "description": o.description}
            for o in case.obstacles.all()
        ],
        "letters_to_agencies": [
            {
                "agency": r.agency.name,
                "sent_at": when(r.sent_at),
                "subject": r.subject,
                "body": r.body,
                "answer": r.answer,
            }
            for r in case.referrals.all()
        ],
    }


def records_csv(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: safe_cell(value) for key, value in row.items()})
    return out.getvalue()


def person_details(fields: dict[str, Any]) -> list[tuple[str, Any]]:
    """The person's filled-in details as (label, value) rows for the readable record."""
    labels = PERSON_LABELS | {"recorded_since": "Recorded since"}
    return [(labels[name], value) for name, value in fields.items() if value]


def subject_access_archive(person: Person) -> bytes:
    """A zip with the record as JSON, the messages as CSV and a readable PDF."""
    record = safe_tree(person_record(person))
    pdf = render_pdf(
        render_to_string(
            "cases/sar.html",
            {
                "record": record,
                "person": person,
                "details": person_details(record["person"]),
                "merged": [
                    (merged, person_details(merged["person"]))
                    for merged in record["merged_records"]
                ],
                "now": timezone.now(),
            },
        )
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("record.json", json.dumps(record, indent=2, ensure_ascii=False))
        archive.writestr("messages.csv", records_csv(record["messages"]))
        archive.writestr("record.pdf", pdf)
        for attachment in Attachment.objects.filter(voice__person=person).exclude(file=""):
            add_attachment(archive, attachment)
        archive.writestr(
            "README.txt",
            "Everything the office holds about you: record.json (complete, machine-readable), "
            "record.pdf (the same, to read), messages.csv and, in attachments/, the files "
            "you sent us. Text that began with = + - or @ "
            "starts with an apostrophe so that spreadsheets do not run it as a formula.\n",
        )
    return buffer.getvalue()


def delete_message_files(voices: Any) -> int:
    """Remove the files that came with these messages, from storage and from the record,
    and the original bytes of any let in from quarantine, which hold all their words."""
    originals = QuarantinedMessage.objects.filter(voice__in=voices)
    for original in originals:
        original.raw.delete(save=False)
    originals.delete()
    attachments = Attachment.objects.filter(voice__in=voices)
    for attachment in attachments:
        if attachment.file:
            attachment.file.delete(save=False)
    return attachments.delete()[0]


def add_attachment(archive: zipfile.ZipFile, attachment: Attachment) -> None:
    """Put a file that came with one of their messages into the archive, if it is stored."""
    try:
        with attachment.file.open("rb") as stored:
            content = stored.read()
    except OSError:
        return
    name = Path(attachment.filename).name or f"file-{attachment.pk}"
    archive.writestr(f"attachments/{attachment.pk}-{name}", content)


def anonymise_case_words(case: Case, marker: str) -> None:
    """Overwrite the words of a case and everything written in it; keep dates and outcome."""
    case.subject = marker
    case.heard = ""
    case.help_given = ""
    case.urgency_reasons = []
    case.explored = []
    case.save()
    delete_message_files(Voice.objects.filter(case=case))
    Voice.objects.filter(case=case).update(**wiped_message_words(marker))
    Reply.objects.filter(case=case).update(to_email="", subject=marker, body="", coach={})
    Referral.objects.filter(case=case).update(subject=marker, body="", answer="")
    Action.objects.filter(case=case).update(description=marker)
    Obstacle.objects.filter(case=case).update(description=marker)
    SatisfactionRequest.objects.filter(case=case).update(comment="")
    from compassion.cases.search import index_case

    index_case(case.pk)


def erase_person_words(person: Person, now: datetime) -> None:
    for name in PERSON_FIELDS:
        field = Person._meta.get_field(name)
        setattr(person, name, field.get_default())
    person.erased_at = now
    person.save()
    Consent.objects.filter(person=person).delete()
    PersonMerge.objects.filter(kept=person).delete()  # a merge's undo record holds their details


@dataclass
class ErasureResult:
    cases: int
    messages: int


@transaction.atomic
def erase_person(person: Person, user: Any, ip_address: str | None) -> ErasureResult:
    """Erase a person on request. The audit entry records the erasure, not the erased data."""
    now = timezone.now()
    cases = list(person.cases.all())
    messages = Voice.objects.filter(office=person.office, person=person)
    message_count = messages.count()
    for case in cases:
        anonymise_case_words(case, ERASED)
    delete_message_files(messages)
    messages.update(**wiped_message_words(ERASED))
    Reply.objects.filter(person=person).update(to_email="", subject=ERASED, body="", coach={})
    erase_person_words(person, now)
    AuditEntry.objects.create(
        office=person.office,
        user=user,
        action=AuditAction.ERASE,
        object_type="person",
        object_id=str(person.pk),
        person=person,
        ip_address=ip_address,
        summary=f"Erased on request: the person's details, {len(cases)} case(s) and "
        f"{message_count} message(s).",
    )
    return ErasureResult(cases=len(cases), messages=message_count)


def due_for_anonymising(office: Office, now: datetime) -> Any:
    years = CaseworkPolicy.for_office(office).anonymise_after_years
    cutoff = now - timedelta(days=round(365.25 * years))
    return (
        Case.objects.for_office(office)
        .filter(status=Status.CLOSED, closed_at__lt=cutoff)
        .exclude(subject__in=[ANONYMISED, ERASED])
    )


def holds_anything(person: Person) -> bool:
    return person.cases.exists() or Voice.objects.filter(person=person).exists()


@transaction.atomic
def apply_retention(office: Office, now: datetime) -> int:
    """Anonymise the office's cases closed longer ago than its policy allows."""
    count = 0
    for case in due_for_anonymising(office, now).select_related("person"):
        person = case.person
        anonymise_case_words(case, ANONYMISED)
        case.person = None
        case.save(update_fields=["person"])
        Voice.objects.filter(case=case).update(person=None)
        Reply.objects.filter(case=case).update(person=None)
        AuditEntry.objects.create(
            office=office,
            action=AuditAction.ERASE,
            object_type="case",
            object_id=str(case.pk),
            summary="Anonymised under the office's retention policy.",
        )
        if person and person.erased_at is None and not holds_anything(person):
            erase_person_words(person, now)
        count += 1
    return count
