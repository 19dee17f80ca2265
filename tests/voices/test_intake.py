"""Intake: every message becomes a Voice of a Person in a Case; nothing twice, nothing lost."""

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.db import IntegrityError

from compassion.cases.models import Case, Reply, Status, TemplateKind
from compassion.core.models import Office, Person
from compassion.voices.intake import find_duplicate, ingest_raw, match_person
from compassion.voices.models import Attachment, QuarantinedMessage, Voice
from compassion.voices.parsing import IncomingMessage
from compassion.voices.sources import ingest_path
from tests.conftest import Cast
from tests.voices.mail import email_bytes, mbox


def test_it_links_an_email_to_the_known_person_and_opens_a_case_on_the_clock(cast: Cast) -> None:
    summary = ingest_raw(cast.office, email_bytes(), "test.eml")
    assert summary.line() == "Imported 1, duplicates 0, quarantined 0"
    voice = Voice.objects.get()
    assert voice.person == cast.person
    assert voice.case.person == cast.person
    assert voice.case.subject == "Damp in my flat"
    assert voice.case.reference.startswith("AL-26-")
    # Monday 2 November 2026: 2 working days and 10 working days later.
    assert voice.case.acknowledge_by == date(2026, 11, 4)
    assert voice.case.reply_by == date(2026, 11, 16)
    assert voice.postcode == "NB1 2AB"
    assert not voice.out_of_area


def test_it_acknowledges_a_new_case_with_the_personalised_template(cast: Cast) -> None:
    ingest_raw(cast.office, email_bytes(), "test.eml")
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["joan@example.com"]
    assert sent.body.startswith("Dear Joan,")
    case = Case.objects.get()
    assert case.reference in sent.subject
    assert case.status == Status.ACKNOWLEDGED
    assert case.acknowledged_at is not None
    reply = Reply.objects.get()
    assert reply.kind == TemplateKind.ACKNOWLEDGEMENT
    assert reply.case == case


def test_it_threads_a_reply_into_the_open_case_without_a_second_acknowledgement(
    cast: Cast,
) -> None:
    ingest_raw(cast.office, email_bytes(), "a.eml")
    follow_up = email_bytes(
        subject="Re: Damp in my flat",
        body="Still no one has come. Joan",
        message_id="<m2@mail.example.com>",
        in_reply_to="<m1@mail.example.com>",
    )
    ingest_raw(cast.office, follow_up, "b.eml")
    assert Case.objects.count() == 1
    assert Voice.objects.filter(case=Case.objects.get()).count() == 2
    assert len(mail.outbox) == 1


def test_it_threads_by_re_subject_and_same_person_without_headers(cast: Cast) -> None:
    ingest_raw(cast.office, email_bytes(), "a.eml")
    again = email_bytes(subject="RE: Damp in my flat", body="Any news?", message_id="<m9@x>")
    ingest_raw(cast.office, again, "b.eml")
    assert Case.objects.count() == 1


def test_it_opens_a_new_case_when_the_old_one_is_closed(cast: Cast) -> None:
    ingest_raw(cast.office, email_bytes(), "a.eml")
    Case.objects.update(status=Status.CLOSED)
    reply = email_bytes(message_id="<m2@x>", in_reply_to="<m1@mail.example.com>", body="Back again")
    ingest_raw(cast.office, reply, "b.eml")
    assert Case.objects.count() == 2


def test_it_imports_the_same_mailbox_twice_without_duplicates(cast: Cast, tmp_path: Path) -> None:
    box = tmp_path / "office.mbox"
    box.write_bytes(
        mbox(
            email_bytes(),
            email_bytes(
                sender="Raj Patel <raj@example.net>",
                message_id="<r1@x>",
                body="From the\nFrom street\nRaj",
            ),
            email_bytes(
                sender="No Id <noid@example.net>", message_id=None, body="No message id here"
            ),
        )
    )
    first = ingest_path(cast.office, box)
    second = ingest_path(cast.office, box)
    assert first.line() == "Imported 3, duplicates 0, quarantined 0"
    assert second.line() == "Imported 0, duplicates 3, quarantined 0"
    assert Voice.objects.count() == 3
    raj = Voice.objects.get(sender_email="raj@example.net")
    assert "From street" in raj.body


def test_it_quarantines_a_truncated_mailbox_and_keeps_the_rest(cast: Cast, tmp_path: Path) -> None:
    whole = mbox(email_bytes(), email_bytes(message_id="<m2@x>", sender="Raj <raj@example.net>"))
    box = tmp_path / "cut.mbox"
    box.write_bytes(whole[: len(whole) - 30])
    summary = ingest_path(cast.office, box)
    assert summary.line() == "Imported 1, duplicates 0, quarantined 1"
    item = QuarantinedMessage.objects.get()
    assert "cut short" in item.reason
    assert item.size > 0
    with item.raw.open("rb") as kept:
        assert b"Raj" in kept.read()


def test_it_stores_attachments_and_records_ones_over_the_limit(
    cast: Cast, settings, tmp_path: Path
) -> None:
    settings.ATTACHMENT_MAX_MB = 1
    raw = email_bytes(
        attachments=[
            ("letter from DWP.pdf", b"%PDF-1.4 small", "application/pdf"),
            ("video.mp4", b"\0" * (3 * 1024 * 1024), "video/mp4"),
        ]
    )
    ingest_raw(cast.office, raw, "a.eml")
    voice = Voice.objects.get()
    small = Attachment.objects.get(filename="letter from DWP.pdf")
    assert small.file.read() == b"%PDF-1.4 small"
    big = Attachment.objects.get(filename="video.mp4")
    assert not big.file
    assert big.size == 3 * 1024 * 1024
    assert "over the limit of 1 MB" in voice.notes
    assert "%PDF" not in voice.body


def test_no_attachment_file_is_left_behind_when_its_message_is_not_stored(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file with no record pointing at it would hold personal data that no erasure and no
    retention rule could ever find."""
    default_storage._setup()
    storage = type(default_storage._wrapped)
    written: list[str] = []
    real_save = storage.save

    def remember(self, name, content, max_length=None):  # noqa: ANN001, ANN202
        written.append(real_save(self, name, content, max_length=max_length))
        return written[-1]

    saves = iter([None, RuntimeError("The disk is full")])
    real_attachment_save = Attachment.save

    def second_fails(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        failure = next(saves)
        if failure:
            raise failure
        return real_attachment_save(self, *args, **kwargs)

    monkeypatch.setattr(storage, "save", remember)
    monkeypatch.setattr(Attachment, "save", second_fails)
    raw = email_bytes(
        attachments=[
            ("tenancy.pdf", b"%PDF-1.4 first", "application/pdf"),
            ("letter.pdf", b"%PDF-1.4 second", "application/pdf"),
        ]
    )
    summary = ingest_raw(cast.office, raw, "a.eml")
    assert summary.quarantined == 1 and not Voice.objects.exists()
    kept = [name for name in written if name.startswith("attachments/")]
    assert len(kept) == 2 and not any(default_storage.exists(name) for name in kept)


def test_it_suggests_an_uncertain_match_for_a_person_to_confirm(cast: Cast) -> None:
    Person.objects.create(
        office=cast.office, first_name="Margaret", last_name="O'Brien", postcode="NB2 7XY"
    )
    sure = match_person(cast.office, "", "Margaret O'Brien", "nb2 7xy")
    assert sure.person is not None
    maybe = match_person(cast.office, "", "Maggie OBrien", "NB2 7XY")
    assert maybe.person is None
    assert maybe.suggested is not None
    raw = email_bytes(sender="Maggie OBrien <mags@example.org>", body="Hello\nMaggie\nNB2 7XY")
    ingest_raw(cast.office, raw, "m.eml")
    voice = Voice.objects.get()
    assert voice.person is None
    assert voice.suggested_person.last_name == "O'Brien"
    assert voice.needs_match_review


def test_it_flags_and_redirects_a_message_from_outside_the_area(cast: Cast) -> None:
    raw = email_bytes(sender="Pat Jones <pat@example.org>", body="Dear MP\n\nPat Jones\nLS6 1AA")
    ingest_raw(cast.office, raw, "p.eml")
    voice = Voice.objects.get()
    assert voice.out_of_area
    assert voice.case.out_of_area
    assert Reply.objects.get().kind == TemplateKind.REDIRECT
    assert "outside" in mail.outbox[0].body


def test_it_keeps_other_offices_apart(cast: Cast) -> None:
    ingest_raw(cast.office, email_bytes(), "a.eml")
    ingest_raw(cast.other_office, email_bytes(), "a.eml")
    assert Voice.objects.filter(office=cast.other_office).count() == 1
    other = Voice.objects.get(office=cast.other_office)
    assert other.person.office == cast.other_office


def missed_once() -> Callable[[Office, IncomingMessage], Voice | None]:
    """`find_duplicate` as it runs when another check has not yet saved the message: it
    misses the copy the first time it looks."""
    looks = []

    def find(office: Office, incoming: IncomingMessage) -> Voice | None:
        looks.append(incoming)
        return None if len(looks) == 1 else find_duplicate(office, incoming)

    return find


def test_two_checks_racing_on_one_message_store_it_once(cast: Cast, monkeypatch) -> None:
    """The database itself refuses a second copy of a Message-ID in one office, so a check
    that looked for duplicates just before another check saved the message stores nothing."""
    assert ingest_raw(cast.office, email_bytes(), "first.eml").line().startswith("Imported 1")
    sent = len(mail.outbox)
    monkeypatch.setattr("compassion.voices.intake.find_duplicate", missed_once())
    summary = ingest_raw(cast.office, email_bytes(), "second.eml")
    assert summary.line() == "Imported 0, duplicates 1, quarantined 0"
    assert Voice.objects.count() == 1
    assert Case.objects.count() == 1
    assert len(mail.outbox) == sent  # no second acknowledgement


def test_a_database_refusal_that_is_not_a_copy_keeps_the_message_in_quarantine(
    cast: Cast, monkeypatch
) -> None:
    def refuse(*args: object) -> None:
        raise IntegrityError("NOT NULL constraint failed")

    monkeypatch.setattr("compassion.voices.intake.store_voice", refuse)
    summary = ingest_raw(cast.office, email_bytes(), "first.eml")
    assert summary.line() == "Imported 0, duplicates 0, quarantined 1"
    assert QuarantinedMessage.objects.filter(office=cast.office).count() == 1


def test_it_answers_the_reply_to_address_of_a_message_sent_through_a_website(
    cast: Cast,
) -> None:
    relayed = b"Reply-To: Joan Smith <Joan@Example.com>\n" + email_bytes(
        sender="Alice MP website <no-reply@alice-mp.example.org>",
        body="Name: Joan Smith\nPostcode: NB1 2AB\n\nThe mould is back in the bedroom.",
    )
    ingest_raw(cast.office, relayed, "website.eml")
    voice = Voice.objects.get()
    assert (voice.sender_name, voice.sender_email) == ("Joan Smith", "joan@example.com")
    assert voice.person == cast.person
    assert "no-reply@alice-mp.example.org" in voice.notes
    assert mail.outbox[0].to == ["joan@example.com"]


def test_a_reply_to_that_is_not_an_address_leaves_the_writer_as_the_sender(cast: Cast) -> None:
    """A website form that left its visitor's field empty writes "Reply-To: @example.org"."""
    for number, broken in enumerate([b"@alice-mp.example.org", b"\x00@x", b"joan@"]):
        raw = b"Reply-To: " + broken + b"\n" + email_bytes(message_id=f"<r{number}@x>")
        ingest_raw(cast.office, raw, "form.eml")
    voices = Voice.objects.all()
    assert [voice.sender_email for voice in voices] == ["joan@example.com"] * 3
    assert {voice.person for voice in voices} == {cast.person}
    assert Person.objects.filter(office=cast.office).count() == 1


def test_it_makes_no_blank_person_for_an_email_without_a_sender(cast: Cast) -> None:
    anonymous = b"Subject: Street lights\nDate: Mon, 2 Nov 2026 14:00:00 +0000\n\n" + (
        b"I won't give my name, but the street lights on Elm Road are out again."
    )
    people = Person.objects.count()
    assert ingest_raw(cast.office, anonymous, "anon.eml").imported == 1
    voice = Voice.objects.get()
    assert voice.person is None and voice.case is not None
    assert Person.objects.count() == people


def test_an_import_stopped_half_way_has_read_what_it_stored(cast: Cast, tmp_path: Path) -> None:
    (tmp_path / "a.eml").write_bytes(email_bytes(body="The bailiffs come on Friday. NB1 2AB"))
    (tmp_path / "b.eml").write_bytes(email_bytes(message_id="<m2@x>", body="Second"))

    def ctrl_c(size: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest_path(cast.office, tmp_path, progress=ctrl_c)
    voice = Voice.objects.get()  # a rerun counts it as a duplicate: it must be read now
    assert voice.analysed_at is not None


def test_a_message_dated_in_the_future_is_received_now_and_says_what_it_claimed(
    cast: Cast,
) -> None:
    from datetime import UTC, datetime, timedelta

    from django.utils import timezone

    ingest_raw(cast.office, email_bytes(sent=datetime(2099, 11, 2, 9, 30, tzinfo=UTC)), "a.eml")
    voice = Voice.objects.get()
    assert timezone.now() - voice.received_at < timedelta(minutes=1)
    assert "The message was dated 2 November 2099, 09:30, which is in the future" in voice.notes


@pytest.mark.parametrize(
    "written",
    [
        "Mon, 01 Jan 0001 09:30:00 +0000",  # read by the standard library as 2001
        "Fri, 31 Dec 9999 23:59:59 -1200",  # past the last date Python can hold in UTC
        "Sun, 31 Feb 2026 10:00:00 +0000",
    ],
)
def test_a_message_with_an_impossible_date_is_received_now_and_says_what_it_claimed(
    cast: Cast, written: str
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    raw = email_bytes().replace(b"Mon, 02 Nov 2026 09:30:00 +0000", written.encode())
    summary = ingest_raw(cast.office, raw, "a.eml")
    assert summary.imported == 1
    voice = Voice.objects.get()
    assert timezone.now() - voice.received_at < timedelta(minutes=1)
    assert timezone.now() - voice.case.opened_at < timedelta(minutes=1)
    assert f"The message was dated “{written}”, which cannot be right" in voice.notes
