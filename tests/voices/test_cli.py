"""`compassion ingest`: a summary line, plain errors, idempotent re-runs."""

import os
from pathlib import Path

from click.testing import CliRunner

from compassion.cli import main
from compassion.voices.models import QuarantinedMessage, Voice
from tests.conftest import Cast
from tests.voices.mail import email_bytes, mbox


def test_it_imports_a_mailbox_and_reports_duplicates_on_a_second_run(
    cast: Cast, tmp_path: Path
) -> None:
    box = tmp_path / "office.mbox"
    box.write_bytes(mbox(email_bytes(), email_bytes(message_id="<m2@x>", body="Again")))
    runner = CliRunner()
    first = runner.invoke(main, ["ingest", str(box), "--office", "alice"])
    assert first.exit_code == 0, first.output
    assert "Imported 2, duplicates 0, quarantined 0" in first.output
    second = runner.invoke(main, ["ingest", str(box), "--office", "alice", "--silent"])
    assert second.output.strip() == "Imported 0, duplicates 2, quarantined 0"
    assert Voice.objects.count() == 2


def test_it_imports_a_folder_of_eml_files(cast: Cast, tmp_path: Path) -> None:
    (tmp_path / "a.eml").write_bytes(email_bytes())
    (tmp_path / "b.eml").write_bytes(b"not an email")
    result = CliRunner().invoke(main, ["ingest", str(tmp_path), "--office", "alice", "--silent"])
    assert result.output.strip() == "Imported 1, duplicates 0, quarantined 1"


def test_it_says_plainly_when_the_file_or_office_is_wrong(cast: Cast, tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(main, ["ingest", str(tmp_path / "nope.mbox"), "--office", "alice"])
    assert missing.exit_code == 1
    assert "There is no file or folder at" in missing.output
    wrong = runner.invoke(main, ["ingest", str(tmp_path), "--office", "nobody"])
    assert wrong.exit_code == 1
    assert "There is no office called 'nobody'" in wrong.output
    assert "alice" in wrong.output
    no_password = runner.invoke(
        main,
        ["ingest", "imap://u@127.0.0.1:1/INBOX", "--office", "alice"],
        env={"COMPASSION_IMAP_PASSWORD": ""},
    )
    assert "environment variable COMPASSION_IMAP_PASSWORD" in no_password.output
    assert "Traceback" not in missing.output + wrong.output + no_password.output


def test_it_imports_files_whose_names_are_not_utf8(cast: Cast, tmp_path: Path) -> None:
    # A zip made on an older Windows machine unpacks with Latin-1 file names.
    (tmp_path / os.fsdecode(b"Brief-M\xfcller.eml")).write_bytes(email_bytes())
    (tmp_path / os.fsdecode(b"lettre-caf\xe9.eml")).write_bytes(email_bytes(message_id="<m2@x>"))
    result = CliRunner().invoke(main, ["ingest", str(tmp_path), "--office", "alice", "--silent"])
    assert result.output.strip() == "Imported 2, duplicates 0, quarantined 0", result.output
    assert sorted(Voice.objects.values_list("source", flat=True)) == [
        "Brief-Müller.eml",
        "lettre-café.eml",
    ]


def test_it_sends_a_spreadsheet_to_the_import_page_and_stores_nothing(
    cast: Cast, tmp_path: Path
) -> None:
    """A CSV export needs its columns matched, which the import page does; read as an email
    it went whole to quarantine as 'not an email'."""
    export = tmp_path / "old-system.csv"
    export.write_bytes(b"Name,Email,Notes\r\nJoan Smith,joan@example.com,Damp\r\n")
    (tmp_path / "a.eml").write_bytes(email_bytes())
    runner = CliRunner()
    for source in (export, tmp_path):
        result = runner.invoke(main, ["ingest", str(source), "--office", "alice", "--silent"])
        assert result.exit_code == 1
        assert "old-system.csv is a spreadsheet" in result.output
        assert "Inbox › Import a spreadsheet" in result.output
    assert not Voice.objects.exists()
    assert not QuarantinedMessage.objects.exists()
