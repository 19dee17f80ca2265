"""Intake: every message becomes a Voice, linked to a Person and threaded into a Case.

Idempotent: a message already received (same Message-ID, or else same content) is
counted as a duplicate and not stored again. A message that cannot be read goes to
quarantine with the reason and its raw bytes. Nothing is dropped.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.text import get_valid_filename
from rapidfuzz import fuzz

from compassion.cases.models import Case, TemplateKind, with_urgency_reason
from compassion.cases.search import index_case
from compassion.core.models import Office, Person
from compassion.core.workdays import add_working_days
from compassion.voices import replies
from compassion.voices.models import (
    Attachment,
    Channel,
    QuarantinedMessage,
    RawKind,
    Voice,
)
from compassion.voices.parsing import (
    IncomingMessage,
    ParseError,
    is_reply_subject,
    parse_email,
    parse_outlook,
    strip_reply_prefix,
)

log = logging.getLogger(__name__)

SURE_MATCH = 92.0  # name similarity (0-100) at which the same postcode means the same person
POSSIBLE_MATCH = 75.0  # below SURE_MATCH and above this, a person confirms the match


def max_attachment_bytes() -> int:
    return settings.ATTACHMENT_MAX_MB * 1024 * 1024


@dataclass
class IntakeSummary:
    imported: int = 0
    duplicates: int = 0
    quarantined: int = 0
    voices: list[Voice] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"Imported {self.imported}, duplicates {self.duplicates}, "
            f"quarantined {self.quarantined}"
        )

    def add(self, other: IntakeSummary) -> None:
        self.imported += other.imported
        self.duplicates += other.duplicates
        self.quarantined += other.quarantined
        self.voices += other.voices


# Person matching


@dataclass
class PersonMatch:
    person: Person | None = None
    suggested: Person | None = None
    score: float | None = None


def normalise_postcode(postcode: str) -> str:
    compact = "".join(postcode.upper().split())
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 4 else compact


def split_name(name: str) -> tuple[str, str]:
    name = " ".join(name.replace('"', "").split())
    if "," in name:
        last, _, first = name.partition(",")
        return first.strip()[:100], last.strip()[:100]
    parts = name.split(" ")
    if len(parts) == 1:
        return parts[0][:100], ""
    return " ".join(parts[:-1])[:100], parts[-1][:100]


TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir", "dame", "lady", "lord"}


def comparable_name(name: str) -> str:
    """Lower case, without titles or punctuation: "Mrs Margaret O'Brien" -> "margaret obrien"."""
    words = re.sub(r"[^\w\s]", "", name.lower()).split()
    return " ".join(word for word in words if word not in TITLES)


def match_person(office: Office, email: str, name: str, postcode: str) -> PersonMatch:
    """By email first; else by name and postcode, sure or to be confirmed."""
    people = Person.objects.for_office(office)
    if email:
        found = people.filter(email__iexact=email).order_by("-updated_at").first()
        if found:
            return PersonMatch(person=found)
    if not (name and postcode):
        return PersonMatch()
    best, best_score = None, 0.0
    for candidate in people.filter(postcode__iexact=normalise_postcode(postcode)):
        score = fuzz.token_sort_ratio(name, candidate.full_name, processor=comparable_name)
        if score > best_score:
            best, best_score = candidate, score
    if best is not None and best_score >= SURE_MATCH:
        return PersonMatch(person=best, score=best_score)
    if best is not None and best_score >= POSSIBLE_MATCH:
        return PersonMatch(suggested=best, score=best_score)
    return PersonMatch()


def new_person(office: Office, name: str, email: str, postcode: str) -> Person:
    first, last = split_name(name)
    if not first and email:
        first = email.split("@")[0][:100]
    return Person.objects.create(
        office=office,
        first_name=first,
        last_name=last,
        email=email,
        postcode=normalise_postcode(postcode) if postcode else "",
    )


def resolve_person(
    office: Office, incoming: IncomingMessage, fill_in_known_person: bool = True
) -> PersonMatch:
    match = match_person(office, incoming.sender_email, incoming.sender_name, incoming.postcode)
    if match.person is not None:
        if fill_in_known_person:
            fill_missing_details(match.person, incoming)
        return match
    if match.suggested is not None:
        return match
    if not (incoming.sender_name or incoming.sender_email):
        return match  # no one to put on record: the message stays anonymous
    return PersonMatch(
        person=new_person(office, incoming.sender_name, incoming.sender_email, incoming.postcode)
    )


def fill_missing_details(person: Person, incoming: IncomingMessage) -> None:
    changed = []
    if incoming.sender_email and not person.email:
        person.email = incoming.sender_email
        changed.append("email")
    if incoming.postcode and not person.postcode:
        person.postcode = normalise_postcode(incoming.postcode)
        changed.append("postcode")
    if changed:
        person.save(update_fields=[*changed, "updated_at"])


def add_contact_details(person: Person, phone: str, street: str = "", postcode: str = "") -> None:
    """Keep a phone number and a street given with a message where the record has none. The
    street is kept only where the record's postcode is this one or missing, so that a street
    never meets another address's postcode."""
    changed = []
    if phone and not person.phone:
        person.phone = phone
        changed.append("phone")
    postcode = normalise_postcode(postcode) if postcode else ""
    same_place = not person.postcode or not postcode or person.postcode == postcode
    if street and not person.address_line1 and same_place:
        person.address_line1 = street
        changed.append("address_line1")
        if postcode and not person.postcode:
            person.postcode = postcode
            changed.append("postcode")
    if changed:
        person.save(update_fields=[*changed, "updated_at"])


# Threading


def find_open_case(office: Office, incoming: IncomingMessage, person: Person | None) -> Case | None:
    """The open case a reply or follow-up belongs to, if any."""
    referenced = [ref for ref in [incoming.in_reply_to, *incoming.references] if ref]
    if referenced:
        parent = (
            Voice.objects.filter(office=office, message_id__in=referenced, case__isnull=False)
            .select_related("case")
            .order_by("-received_at")
            .first()
        )
        if parent and parent.case.is_open:
            return parent.case
    if person is None or not is_reply_subject(incoming.subject):
        return None
    open_cases = Case.objects.for_office(office).open().filter(person=person)
    same_subject = open_cases.filter(subject__iexact=strip_reply_prefix(incoming.subject)[:300])
    found = same_subject.order_by("-opened_at").first()
    if found:
        return found
    only = list(open_cases[:2])
    return only[0] if len(only) == 1 else None


def other_open_cases(voice: Voice) -> QuerySet[Case]:
    """The person's other open cases, where a follow-up sent without "Re:" belongs."""
    if voice.person_id is None:
        return Case.objects.none()
    cases = Case.objects.filter(office=voice.office_id, person=voice.person_id).open()
    return cases.exclude(pk=voice.case_id).order_by("-opened_at")


def move_to_case(voice: Voice, target: Case) -> Case | None:
    """File a message under another open case of its person. The case it leaves is deleted
    when the message was all it held (the acknowledgement sent for it moves with it);
    otherwise it is kept and returned."""
    left = voice.case
    with transaction.atomic():
        voice.case = target
        voice.save(update_fields=["case"])
        if left is None:
            return None
        if not left.voices.exists():
            left.replies.filter(kind__in=SENT_ON_ARRIVAL).update(case=target)
            if not holds_casework(left):
                left.delete()
                return None
        reread_urgency(left)
        index_case(left.pk)
    return left


def reread_urgency(case: Case) -> None:
    """Make a case urgent, with its reasons and distress load, only for what its own
    messages say: a case kept after its urgent follow-up moved away is no longer urgent."""
    voices = list(case.voices.only("urgent", "flags", "distress_load", "received_at"))
    reasons: list[str] = []
    for voice in voices:
        for flag in voice.flags if voice.urgent else []:
            reasons = with_urgency_reason(reasons, flag["kind"], voice.received_at)
    case.urgent = any(voice.urgent for voice in voices)
    case.urgency_reasons = reasons
    case.distress_load = max((voice.distress_load for voice in voices), default=0.0)
    case.save(update_fields=["urgent", "urgency_reasons", "distress_load"])


SENT_ON_ARRIVAL = [TemplateKind.ACKNOWLEDGEMENT, TemplateKind.REDIRECT]


def holds_casework(case: Case) -> bool:
    """Whether staff have done or recorded anything on the case."""
    return (
        bool(case.heard or case.outcome or case.help_given or case.explored)
        or case.replies.exists()
        or case.actions.exists()
        or case.referrals.exists()
        or case.obstacles.exists()
        or case.commitments.exists()
    )


def reference_prefix(office: Office) -> str:
    parts = [part for part in re.split(r"[^a-z0-9]+", office.slug.lower()) if part]
    if len(parts) >= 2:
        return (parts[0][0] + parts[1][0]).upper()
    return (parts[0][:2] if parts else "CA").upper()


def next_reference(office: Office, when: datetime) -> str:
    stem = f"{reference_prefix(office)}-{when:%y}-"
    last = (
        Case.objects.filter(office=office, reference__startswith=stem)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last and last.rsplit("-", 1)[1].isdigit() else 1
    return f"{stem}{number:05d}"


def open_case(office: Office, voice: Voice, person: Person | None) -> Case:
    """A new case on the office's service clock (working days, bank holidays skipped)."""
    day = timezone.localtime(voice.received_at).date()
    region = office.holiday_region
    for _ in range(5):
        case = Case(
            office=office,
            person=person,
            reference=next_reference(office, voice.received_at),
            subject=strip_reply_prefix(voice.subject)[:300] or f"{voice.get_channel_display()}",
            opened_at=voice.received_at,
            acknowledge_by=add_working_days(day, office.acknowledge_within_days, region),
            reply_by=add_working_days(day, office.reply_within_days, region),
            out_of_area=voice.out_of_area,
        )
        try:
            with transaction.atomic():
                case.save()
            return case
        except IntegrityError:  # another intake took the reference at the same moment
            continue
    raise RuntimeError("Could not give the case a unique reference.")


# Receiving


def find_duplicate(office: Office, incoming: IncomingMessage) -> Voice | None:
    voices = Voice.objects.filter(office=office)
    if incoming.message_id:
        return voices.filter(message_id=incoming.message_id).first()
    return voices.filter(content_hash=incoming.content_hash()).first()


def receive(
    office: Office,
    incoming: IncomingMessage,
    channel: str = Channel.EMAIL,
    source: str = "",
    user: Any = None,
    acknowledge: bool | None = None,
    case: Case | None = None,
    fill_in_known_person: bool = True,
) -> Voice | None:
    """Store one message as a Voice in its person's case, or in `case` when staff record a
    call about it there. None when it is a duplicate. `fill_in_known_person` False leaves
    the record of someone already known as it is (a public form may name anyone)."""
    try:
        voice, is_new_case = store_voice(
            office, incoming, channel, source, user, case, fill_in_known_person
        )
    except IntegrityError:
        if find_duplicate(office, incoming) is None:
            raise  # not a copy: the caller keeps the message (in quarantine) and says why
        return None  # another check stored the same message at the same moment
    if voice is None:
        return None
    if acknowledge is None:
        acknowledge = replies.intake_settings(office).auto_acknowledge
    if is_new_case and acknowledge and voice.sender_email:
        replies.acknowledge_on_arrival(voice)
    return voice


def store_voice(
    office: Office,
    incoming: IncomingMessage,
    channel: str,
    source: str,
    user: Any,
    known_case: Case | None = None,
    fill_in_known_person: bool = True,
) -> tuple[Voice | None, bool]:
    """Save the message, its case and attachments in one transaction: all or nothing."""
    with files_kept_only_if_stored() as files, transaction.atomic():
        if find_duplicate(office, incoming):
            return None, False
        if known_case is not None:
            match = PersonMatch(person=known_case.person)
        else:
            match = resolve_person(office, incoming, fill_in_known_person)
        person = match.person
        postcode = incoming.postcode or (person.postcode if person else "")
        note_a_future_date(incoming)
        voice = Voice(
            office=office,
            person=person,
            suggested_person=match.suggested,
            match_score=match.score,
            channel=channel,
            sender_name=incoming.sender_name or (person.full_name if person else ""),
            sender_email=incoming.sender_email,
            subject=incoming.subject[:300],
            body=incoming.body,
            body_html=incoming.body_html,
            received_at=received_time(incoming),
            message_id=incoming.message_id,
            in_reply_to=incoming.in_reply_to,
            content_hash=incoming.content_hash(),
            source=source[:200],
            postcode=postcode,
            out_of_area=office.covers_postcode(postcode) is False,
            notes="\n".join(incoming.notes),
            recorded_by=user if user and user.is_authenticated else None,
        )
        case = known_case or find_open_case(office, incoming, person)
        is_new_case = case is None
        voice.case = case or open_case(office, voice, person)
        voice.save()
        store_attachments(voice, incoming, files)
    return voice, is_new_case


@contextmanager
def files_kept_only_if_stored() -> Iterator[list[FieldFile]]:
    """The files saved within, deleted again if what follows fails: a file no record points
    at would hold personal data that no erasure or retention rule would find."""
    files: list[FieldFile] = []
    try:
        yield files
    except BaseException:
        for file in files:
            file.delete(save=False)
        raise


def received_time(incoming: IncomingMessage) -> datetime:
    """When the sender sent it, unless that is missing or in the future (a wrong clock)."""
    now = timezone.now()
    if incoming.sent_at and incoming.sent_at <= now:
        return incoming.sent_at
    return now


def note_a_future_date(incoming: IncomingMessage) -> None:
    """Say what date a message claimed when it is in the future, as it is shown received now."""
    if incoming.sent_at and incoming.sent_at > timezone.now():
        claimed = timezone.localtime(incoming.sent_at)
        incoming.notes.append(
            f"The message was dated {claimed:%-d %B %Y, %H:%M}, which is in the future (the "
            "sender's clock may be wrong), so it is shown as received when it arrived."
        )


def store_attachments(voice: Voice, incoming: IncomingMessage, files: list[FieldFile]) -> None:
    """Save each attachment, and its file in `files`."""
    notes = []
    for item in incoming.attachments:
        attachment = Attachment(
            voice=voice,
            filename=item.filename,
            content_type=item.content_type[:100],
            size=item.size,
            skipped_reason=item.skipped_reason,
        )
        if item.data is not None and not item.skipped_reason:
            name = get_valid_filename(item.filename) or "attachment"
            attachment.file.save(name, ContentFile(item.data), save=False)
            files.append(attachment.file)
        else:
            notes.append(f"Attachment “{item.filename}”: {item.skipped_reason}")
        attachment.save()
    if notes:  # an update, not a save: notes are not searchable text
        voice.notes = "\n".join(filter(None, [voice.notes, *notes]))
        Voice.objects.filter(pk=voice.pk).update(notes=voice.notes)


def quarantine(
    office: Office, raw: bytes, source: str, reason: str, kind: str = RawKind.EMAIL
) -> QuarantinedMessage:
    """Keep what could not be read, byte for byte, with the reason; the same bytes once,
    however often they are imported."""
    digest = hashlib.sha256(raw).hexdigest()
    kept = QuarantinedMessage.objects.filter(office=office, digest=digest).first()
    if kept is not None:
        return kept
    item = QuarantinedMessage(
        office=office,
        source=source[:300],
        reason=reason[:500],
        size=len(raw),
        kind=kind,
        digest=digest,
    )
    item.raw.save(
        f"{digest[:16]}.{'msg' if kind == RawKind.OUTLOOK else 'eml'}", ContentFile(raw), save=False
    )
    item.save()
    return item


def quarantined(office: Office, raw: bytes, source: str, reason: str, kind: str) -> IntakeSummary:
    """Quarantine a message; one already let out of quarantine is in the inbox: a duplicate."""
    summary = IntakeSummary()
    if quarantine(office, raw, source, reason, kind).released_at:
        summary.duplicates += 1
    else:
        summary.quarantined += 1
    return summary


def ingest_raw(
    office: Office,
    raw: bytes,
    source: str,
    kind: str = RawKind.EMAIL,
    complete: bool = True,
    channel: str = Channel.EMAIL,
    acknowledge: bool | None = None,
) -> IntakeSummary:
    """Read and receive one raw message; what cannot be read goes to quarantine."""
    summary = IntakeSummary()
    try:
        if not complete:
            raise ParseError(
                "The mailbox file ends in the middle of this message: it may have been cut "
                "short. Check the original, or accept it as it is."
            )
        incoming = read_raw(raw, kind)
        voice = receive(office, incoming, channel, source, acknowledge=acknowledge)
    except ParseError as error:
        return quarantined(office, raw, source, str(error), kind)
    except Exception as error:  # noqa: BLE001 - keep the message whatever went wrong
        log.exception("Could not receive a message from %s", source)
        reason = f"Could not be stored ({type(error).__name__}: {error})."
        return quarantined(office, raw, source, reason, kind)
    if voice is None:
        summary.duplicates += 1
    else:
        summary.imported += 1
        summary.voices.append(voice)
    return summary


def read_raw(raw: bytes, kind: str, allow_incomplete: bool = False) -> IncomingMessage:
    if kind == RawKind.OUTLOOK:
        return parse_outlook(raw, max_attachment_bytes())
    return parse_email(raw, max_attachment_bytes(), allow_incomplete=allow_incomplete)


def retry_quarantined(item: QuarantinedMessage, accept_incomplete: bool = False) -> Voice | None:
    """Try a quarantined message again; on success it becomes a Voice and leaves quarantine.

    Raises ParseError (and records the new reason) when it still cannot be read.
    """
    with item.raw.open("rb") as handle:
        raw = handle.read()
    try:
        incoming = read_raw(raw, item.kind, allow_incomplete=accept_incomplete)
    except ParseError as error:
        item.attempts += 1
        item.reason = str(error)[:500]
        item.save(update_fields=["attempts", "reason"])
        raise
    if accept_incomplete and not any("incomplete" in note for note in incoming.notes):
        incoming.notes.append(
            "This message was incomplete when it arrived and was accepted as it is."
        )
    # Not acknowledged on release: what was kept back (spam, above all) is answered only
    # once someone has read it and chosen to, from the message's page.
    source = f"quarantine: {item.source}"[:200]
    voice = receive(item.office, incoming, source=source, acknowledge=False)
    item.released_at = timezone.now()
    item.attempts += 1
    item.voice = voice or find_duplicate(item.office, incoming)
    item.save(update_fields=["released_at", "attempts", "voice"])
    return voice
