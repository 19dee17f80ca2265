"""Quarantine: what cannot be read is kept with its reason, visible, and can be tried again."""

from pathlib import Path

from django.core import mail
from django.test import Client

from compassion.core.models import AuditAction, AuditEntry
from compassion.voices.intake import ingest_raw
from compassion.voices.models import QuarantinedMessage, RawKind, Voice
from compassion.voices.sources import ingest_path
from tests.conftest import Cast
from tests.voices.mail import email_bytes, mbox
from tests.voices.test_contact import GOOD


def test_it_lists_quarantined_messages_with_the_reason(client: Client, cast: Cast) -> None:
    ingest_raw(cast.office, b"\x00\x01 not an email at all", "junk.eml")
    client.force_login(cast.caseworker)
    page = client.get("/inbox/quarantine/").content.decode()
    assert "junk.eml" in page
    assert "no headers" in page
    client.force_login(cast.outsider)
    assert "junk.eml" not in client.get("/inbox/quarantine/").content.decode()


def test_it_accepts_a_truncated_message_as_it_is(
    client: Client, cast: Cast, tmp_path: Path
) -> None:
    whole = mbox(email_bytes(body="My landlord has served notice and I need help with"))
    box = tmp_path / "cut.mbox"
    box.write_bytes(whole[:-5])
    ingest_path(cast.office, box)
    item = QuarantinedMessage.objects.get()
    client.force_login(cast.caseworker)
    response = client.post(f"/inbox/quarantine/{item.pk}/retry/", {"accept": "incomplete"})
    assert response.status_code == 302
    voice = Voice.objects.get()
    assert "My landlord has served notice" in voice.body
    assert "incomplete when it arrived" in voice.notes
    item.refresh_from_db()
    assert item.released_at is not None and item.voice == voice


def test_it_keeps_a_message_that_still_cannot_be_read(client: Client, cast: Cast) -> None:
    ingest_raw(cast.office, b"garbage", "bad.msg", kind=RawKind.OUTLOOK)
    item = QuarantinedMessage.objects.get()
    assert "Outlook" in item.reason
    client.force_login(cast.caseworker)
    response = client.post(f"/inbox/quarantine/{item.pk}/retry/", follow=True)
    assert "still cannot be read" in response.content.decode()
    item.refresh_from_db()
    assert item.attempts == 2 and item.released_at is None


def test_it_lets_staff_download_the_original_bytes(client: Client, cast: Cast) -> None:
    ingest_raw(cast.office, b"From nowhere\x00\xff", "odd.eml")
    item = QuarantinedMessage.objects.get()
    client.force_login(cast.caseworker)
    response = client.get(f"/inbox/quarantine/{item.pk}/original/")
    assert b"".join(response.streaming_content) == b"From nowhere\x00\xff"
    client.force_login(cast.volunteer)
    assert client.get(f"/inbox/quarantine/{item.pk}/original/").status_code == 403


def test_a_download_of_the_original_bytes_is_audited(client: Client, cast: Cast) -> None:
    """The raw message carries a citizen's words: taking a copy is recorded like an export."""
    ingest_raw(cast.office, b"From nowhere\x00\xff", "odd.eml")
    item = QuarantinedMessage.objects.get()
    client.force_login(cast.caseworker)
    client.get(f"/inbox/quarantine/{item.pk}/original/")
    entry = AuditEntry.objects.get(object_type="quarantinedmessage")
    assert entry.user == cast.caseworker
    assert entry.action == AuditAction.EXPORT
    assert entry.object_id == str(item.pk)
    assert "odd.eml" in entry.summary


def test_a_download_of_a_released_message_is_audited_against_its_person(
    client: Client, cast: Cast, tmp_path: Path
) -> None:
    box = tmp_path / "cut.mbox"
    box.write_bytes(mbox(email_bytes(body="My landlord has served notice and I need help"))[:-5])
    ingest_path(cast.office, box)
    item = QuarantinedMessage.objects.get()
    client.force_login(cast.caseworker)
    client.post(f"/inbox/quarantine/{item.pk}/retry/", {"accept": "incomplete"})
    client.get(f"/inbox/quarantine/{item.pk}/original/")
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.person == Voice.objects.get().person is not None


def test_it_keeps_one_copy_of_a_broken_message_however_often_it_is_imported(
    client: Client, cast: Cast, tmp_path: Path
) -> None:
    box = tmp_path / "export.mbox"
    cut = email_bytes(message_id="<m2@x>", body="My landlord has served notice and I need")
    box.write_bytes(mbox(email_bytes(), cut)[:-5])
    assert ingest_path(cast.office, box).line() == "Imported 1, duplicates 0, quarantined 1"
    assert ingest_path(cast.office, box).line() == "Imported 0, duplicates 1, quarantined 1"
    item = QuarantinedMessage.objects.get()
    client.force_login(cast.caseworker)
    client.post(f"/inbox/quarantine/{item.pk}/retry/", {"accept": "incomplete"})
    assert ingest_path(cast.office, box).line() == "Imported 0, duplicates 2, quarantined 0"
    assert QuarantinedMessage.objects.count() == 1
    assert Voice.objects.count() == 2


def test_messages_quarantined_before_digests_get_one_when_the_data_is_migrated(
    cast: Cast,
) -> None:
    import importlib

    from django.apps import apps

    junk = b"\x00\x01 not an email at all"
    ingest_raw(cast.office, junk, "junk.eml")
    QuarantinedMessage.objects.update(digest="")  # as stored before the digest was kept
    migration = importlib.import_module("compassion.voices.migrations.0009_fill_quarantine_digests")
    migration.fill_digests(apps, None)
    ingest_raw(cast.office, junk, "junk.eml")
    assert QuarantinedMessage.objects.count() == 1


def test_a_message_let_out_of_quarantine_is_not_acknowledged_on_its_own(
    client: Client, cast: Cast
) -> None:
    """'Try again' on a web form kept back as spam let it in and emailed the spammer the
    office's acknowledgement at once: a released message is answered once someone chooses
    to, from its page."""
    spam = {"name": "Best Prices", "email": "sales@cheap-meds.example"}
    client.post("/write-to-us/alice/", {**GOOD, **spam, "website": "http://cheap-meds.example"})
    item = QuarantinedMessage.objects.get()
    client.force_login(cast.caseworker)
    page = client.post(f"/inbox/quarantine/{item.pk}/retry/", follow=True).content.decode()
    assert Voice.objects.get().sender_email == "sales@cheap-meds.example"
    assert mail.outbox == []
    assert "Nothing was sent to the sender" in page
    assert "Send the acknowledgement" in page


def test_staff_delete_what_is_waiting_in_quarantine_for_good(client: Client, cast: Cast) -> None:
    """Spam kept back from the web form could only be let into the inbox or left there for
    good, counted as 'in quarantine' on the inbox every day."""
    ingest_raw(cast.office, b"\x00\x01 not an email at all", "junk.eml")
    item = QuarantinedMessage.objects.get()
    original = Path(item.raw.path)
    client.force_login(cast.volunteer)
    assert client.post(f"/inbox/quarantine/{item.pk}/delete/").status_code == 403
    client.force_login(cast.outsider)
    assert client.post(f"/inbox/quarantine/{item.pk}/delete/").status_code == 404
    client.force_login(cast.caseworker)
    listed = client.get("/inbox/quarantine/").content.decode()
    assert 'data-confirm="Delete junk.eml for good? It cannot be brought back."' in listed
    page = client.post(f"/inbox/quarantine/{item.pk}/delete/", follow=True).content.decode()
    assert "Deleted junk.eml from quarantine." in page
    assert not QuarantinedMessage.objects.exists() and not original.exists()
    entry = AuditEntry.objects.get(action=AuditAction.DELETE)
    assert entry.summary == "Deleted from quarantine: junk.eml" and entry.user == cast.caseworker


def test_a_message_already_let_into_the_inbox_is_not_deleted_from_quarantine(
    client: Client, cast: Cast, tmp_path: Path
) -> None:
    box = tmp_path / "cut.mbox"
    box.write_bytes(mbox(email_bytes(body="My landlord has served notice"))[:-5])
    ingest_path(cast.office, box)
    item = QuarantinedMessage.objects.get()
    client.force_login(cast.caseworker)
    client.post(f"/inbox/quarantine/{item.pk}/retry/", {"accept": "incomplete"})
    assert client.post(f"/inbox/quarantine/{item.pk}/delete/").status_code == 404
    assert QuarantinedMessage.objects.filter(pk=item.pk).exists()
