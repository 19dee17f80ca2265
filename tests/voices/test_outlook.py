"""Outlook .msg files, written from the specifications by fixtures/make_msg.py.

The files are checked as compound files by olefile and as Outlook messages by
extract-msg, then imported: the person, subject, body, sent time, attachments and HTML
must come through, and importing them again must add nothing.
"""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import extract_msg
import olefile
import pytest
from click.testing import CliRunner

from compassion.cli import main
from compassion.core.models import Person
from compassion.voices.models import Attachment, QuarantinedMessage, Voice
from compassion.voices.sources import ingest_path
from tests.conftest import Cast
from tests.voices.fixtures import make_msg

FIXTURES = Path(__file__).parent / "fixtures"
PLAIN, RICH = FIXTURES / "plain.msg", FIXTURES / "rich.msg"


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "files"},
        },
    }


def test_the_committed_fixtures_are_what_the_script_makes(tmp_path: Path) -> None:
    for written in make_msg.write_fixtures(tmp_path):
        assert written.read_bytes() == (FIXTURES / written.name).read_bytes(), written.name


@pytest.mark.parametrize("path", [PLAIN, RICH], ids=["plain", "rich"])
def test_olefile_reads_the_fixtures_as_sound_compound_files(path: Path) -> None:
    assert olefile.isOleFile(str(path))
    # Any defect olefile can detect, even a minor one, raises here.
    with olefile.OleFileIO(str(path), raise_defects=olefile.DEFECT_POTENTIAL) as ole:
        assert ole.parsing_issues == []
        assert ole.exists("__properties_version1.0")
        assert ole.exists("__recip_version1.0_#00000000/__properties_version1.0")
        message_class = ole.openstream("__substg1.0_001A001F").read().decode("utf-16-le")
        assert message_class == "IPM.Note"


def test_olefile_reads_the_attachment_from_ordinary_sectors() -> None:
    stream = "__attach_version1.0_#00000000/__substg1.0_37010102"
    with olefile.OleFileIO(str(RICH)) as ole:
        data = ole.openstream(stream).read()
        sender = ole.openstream("__substg1.0_0C1A001F").read().decode("utf-16-le")
    assert len(data) >= 4096  # over the mini stream cutoff
    assert data == make_msg.COUNCIL_LETTER
    assert sender == "Siân Llŷr Prydderch"


def test_extract_msg_reads_the_rich_fixture() -> None:
    msg = extract_msg.openMsg(str(RICH))
    try:
        assert msg.subject == "Lleithder yn y fflat – damp in our flat again"
        assert msg.sender == "Siân Llŷr Prydderch <Sian.Prydderch@example.cymru>"
        assert msg.date == datetime(2026, 11, 4, 18, 2, 5, tzinfo=UTC)
        assert msg.messageId == "<rich-0002@outlook.example.com>"
        assert msg.to == "Office of Alice MP <office@alice.example.org>"
        assert b"<script>" in msg.htmlBody
        [attachment] = msg.attachments
        assert attachment.longFilename == "Llythyr y cyngor – Siân.txt"
        assert attachment.data == make_msg.COUNCIL_LETTER
    finally:
        msg.close()


def test_a_plain_msg_becomes_a_voice_of_the_known_person_once(cast: Cast) -> None:
    first = ingest_path(cast.office, PLAIN)
    assert first.line() == "Imported 1, duplicates 0, quarantined 0"
    voice = Voice.objects.get()
    assert voice.person == cast.person
    assert voice.sender_email == "joan@example.com"
    assert voice.subject == "Bus route 12 has stopped running"
    assert voice.body.startswith("Dear Alice,\n\nSince Monday the number 12 bus")
    assert "\r" not in voice.body
    assert voice.received_at == datetime(2026, 11, 3, 10, 15, 30, tzinfo=UTC)
    assert voice.message_id == "<plain-0001@outlook.example.com>"
    assert voice.case.subject == "Bus route 12 has stopped running"
    assert voice.body_html == ""
    again = ingest_path(cast.office, PLAIN)
    assert again.line() == "Imported 0, duplicates 1, quarantined 0"
    assert Voice.objects.count() == 1


def test_a_rich_msg_keeps_its_attachment_apart_and_its_html_safe(cast: Cast) -> None:
    summary = ingest_path(cast.office, RICH)
    assert summary.line() == "Imported 1, duplicates 0, quarantined 0"
    voice = Voice.objects.get()
    person = Person.objects.get(email="sian.prydderch@example.cymru")
    assert voice.person == person
    assert (person.first_name, person.last_name) == ("Siân Llŷr", "Prydderch")
    assert person.postcode == "NB2 7QP"
    assert voice.subject == "Lleithder yn y fflat – damp in our flat again"
    assert "Małgorzata Wójcik" in voice.body
    assert voice.received_at == datetime(2026, 11, 4, 18, 2, 5, tzinfo=UTC)

    assert "<b>back</b>" in voice.body_html
    for unsafe in ["<script", "evil.example", "<style", "onclick", "<img", "tracker.example"]:
        assert unsafe not in voice.body_html
    assert "Images in the message (which can track opening) were not loaded." in voice.notes

    [attachment] = Attachment.objects.filter(voice=voice)
    assert attachment.filename == "Llythyr y cyngor – Siân.txt"
    assert attachment.content_type == "text/plain"
    assert attachment.size == len(make_msg.COUNCIL_LETTER)
    with attachment.file.open("rb") as stored:
        assert stored.read() == make_msg.COUNCIL_LETTER
    assert "Reference HR/2026/0457" not in voice.body + voice.body_html  # stored, not inlined


def test_the_command_line_imports_a_folder_of_msg_files_once(cast: Cast, tmp_path: Path) -> None:
    folder = tmp_path / "outlook"
    folder.mkdir()
    for path in (PLAIN, RICH):
        (folder / path.name).write_bytes(path.read_bytes())
    runner = CliRunner()
    first = runner.invoke(main, ["ingest", str(folder), "--office", "alice", "--silent"])
    assert first.exit_code == 0, first.output
    assert first.output.strip() == "Imported 2, duplicates 0, quarantined 0"
    second = runner.invoke(main, ["ingest", str(folder), "--office", "alice", "--silent"])
    assert second.output.strip() == "Imported 0, duplicates 2, quarantined 0"
    assert Voice.objects.filter(office=cast.office).count() == 2
    assert not QuarantinedMessage.objects.exists()
