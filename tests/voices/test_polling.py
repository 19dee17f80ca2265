"""New mail arrives on its own: the automatic check against a real IMAP server (dovecot)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client

from compassion.cli import main
from compassion.voices.models import Voice
from compassion.voices.polling import check_every, start_mail_poller, stop_mail_poller
from compassion.voices.replies import intake_settings
from compassion.voices.sources import (
    MailboxBusy,
    account_from_settings,
    check_office_mailbox,
    mailbox_lock,
)
from tests.conftest import Cast
from tests.voices.conftest import ImapServer, free_port
from tests.voices.mail import email_bytes
from tests.voices.test_imap import configure


@pytest.fixture(autouse=True)
def locks_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path


class Rounds:
    """Reports of `check_every`, one line per mailbox and round; after each round it runs
    the next step of the story (new mail arrives, the server comes back), then stops."""

    def __init__(self, *steps: Callable[[], object]) -> None:
        self.steps = list(steps)
        self.lines: list[tuple[str, bool]] = []
        self.stop = threading.Event()

    def report(self, line: str, error: bool) -> None:
        self.lines.append((line, error))
        if self.steps:
            self.steps.pop(0)()
        else:
            self.stop.set()

    def run(self, minutes: float) -> int:
        return check_every(minutes, self.stop, self.report)


def test_new_mail_arrives_on_its_own(
    transactional_db: Any, cast: Cast, empty_imap: ImapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(cast, empty_imap, monkeypatch)
    empty_imap.deliver(email_bytes(subject="Street lights out on Mill Lane"))
    second = email_bytes(message_id="<m2@x>", subject="Still dark", body="NB1 2AB")
    rounds = Rounds(lambda: empty_imap.deliver(second), lambda: None)
    started = time.monotonic()
    assert rounds.run(minutes=0.01) == 3
    assert time.monotonic() - started >= 2 * 0.6  # it waited between rounds
    assert rounds.lines == [
        ("alice: Imported 1, duplicates 0, quarantined 0", False),
        ("alice: Imported 1, duplicates 0, quarantined 0", False),
        ("alice: Imported 0, duplicates 0, quarantined 0", False),
    ]
    subjects = set(Voice.objects.filter(office=cast.office).values_list("subject", flat=True))
    assert subjects == {"Street lights out on Mill Lane", "Still dark"}


def test_a_mailbox_that_is_down_is_reported_and_tried_again_next_round(
    transactional_db: Any, cast: Cast, empty_imap: ImapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(cast, empty_imap, monkeypatch)
    saved = intake_settings(cast.office)
    saved.imap_port = free_port()  # nothing listens there: the mail server is down
    saved.save()
    empty_imap.deliver(email_bytes(subject="Waiting for the server"))

    def server_back() -> None:
        saved.imap_port = empty_imap.port
        saved.save(update_fields=["imap_port"])

    rounds = Rounds(server_back)
    assert rounds.run(minutes=0.001) == 2
    (down, down_is_error), (back, back_is_error) = rounds.lines
    assert down_is_error and down.startswith("alice: Could not reach the mail server 127.0.0.1:")
    assert (back, back_is_error) == ("alice: Imported 1, duplicates 0, quarantined 0", False)
    assert Voice.objects.get().subject == "Waiting for the server"
    saved.refresh_from_db()
    assert saved.last_error == ""


def test_it_says_once_that_no_mailbox_is_set_up(transactional_db: Any, cast: Cast) -> None:
    lines: list[str] = []
    stop = threading.Event()

    def report(line: str, error: bool) -> None:
        lines.append(line)

    def stop_soon() -> None:
        time.sleep(0.5)
        stop.set()

    threading.Thread(target=stop_soon).start()
    rounds = check_every(0.001, stop, report)
    assert rounds > 3
    assert lines == ["no office has a mailbox set up yet (Inbox › Settings)."]


def test_two_checks_of_one_mailbox_never_run_at_once(
    client: Client, cast: Cast, empty_imap: ImapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(cast, empty_imap, monkeypatch)
    empty_imap.deliver(email_bytes())
    account = account_from_settings(intake_settings(cast.office))
    client.force_login(cast.caseworker)
    with mailbox_lock(cast.office, account):  # another check is running
        with pytest.raises(MailboxBusy, match="being checked right now"):
            check_office_mailbox(cast.office)
        button = client.post("/inbox/check-mail/", follow=True)
        assert "The mailbox is being checked right now" in button.content.decode()
        busy = CliRunner().invoke(main, ["check-mail"])
        assert busy.exit_code == 0  # not a failure: the other check brings the mail in
        assert "alice: The mailbox is being checked right now" in busy.output
        ingest = CliRunner().invoke(
            main,
            ["ingest", empty_imap.url, "--office", "alice", "--silent"],
            env={"COMPASSION_IMAP_PASSWORD": empty_imap.password},
        )
        assert "being checked right now" in ingest.output
    assert Voice.objects.count() == 0
    assert intake_settings(cast.office).last_error == ""  # busy is not an error
    assert check_office_mailbox(cast.office).line() == "Imported 1, duplicates 0, quarantined 0"


def test_the_settings_page_says_how_often_mail_is_fetched(
    client: Client, cast: Cast, settings: Any
) -> None:
    client.force_login(cast.manager)
    settings.MAIL_POLL_MINUTES = 5
    assert "fetches new mail from it every 5 minutes" in client.get("/inbox/settings/").text
    settings.MAIL_POLL_MINUTES = 0
    assert "fetches new mail from it every" not in client.get("/inbox/settings/").text


def test_serve_starts_the_automatic_check_only_when_it_is_on(settings: Any) -> None:
    settings.MAIL_POLL_MINUTES = 0
    assert start_mail_poller() is None
    settings.MAIL_POLL_MINUTES = 60
    poller = start_mail_poller()
    assert poller is not None
    try:
        assert poller.args[-4:] == ["--every", "60", "--parent-pid", str(os.getpid())]
    finally:
        stop_mail_poller(poller)
    assert poller.returncode is not None


# As an administrator runs it: separate processes, an SQLite data folder of their own.


def compassion_env(data_dir: Path, **extra: str) -> dict[str, str]:
    unwanted = {"DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    clean = {k: v for k, v in os.environ.items() if k not in unwanted}
    return {**clean, "COMPASSION_DATA_DIR": str(data_dir), **extra}


def compassion(*args: str) -> list[str]:
    return [sys.executable, "-c", "from compassion.cli import main; main()", *args]


def read_until(process: subprocess.Popen[str], text: str, seconds: float = 60) -> str:
    """The output so far, once a line containing `text` has appeared."""
    assert process.stdout is not None
    seen = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        seen.append(line)
        if text in line:
            return "".join(seen)
    raise AssertionError(f"{text!r} never appeared in:\n{''.join(seen)}")


def test_check_mail_every_survives_a_missing_database_and_stops_on_sigterm(
    tmp_path: Path,
) -> None:
    process = subprocess.Popen(
        compassion("check-mail", "--every", "60"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=compassion_env(tmp_path),  # never migrated: there are no tables
    )
    try:
        output = read_until(process, "trying next round")
        assert "check-mail: checking every 60 minutes (Ctrl-C to stop)." in output
        assert "could not check mail (OperationalError: no such table" in output
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 0
    assert rest.strip().endswith("check-mail: stopped.")
    assert "Traceback" not in output + rest


def test_check_mail_every_stops_when_the_server_that_started_it_is_gone(tmp_path: Path) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    process = subprocess.run(
        compassion("check-mail", "--every", "60", "--parent-pid", str(gone.pid)),
        capture_output=True,
        text=True,
        env=compassion_env(tmp_path),
        timeout=60,
    )
    assert process.returncode == 0
    assert process.stdout.strip().endswith("check-mail: stopped.")


@pytest.mark.slow  # migrates a fresh database and starts the real server
def test_serve_brings_new_mail_in_by_itself(tmp_path: Path, empty_imap: ImapServer) -> None:
    env = compassion_env(
        tmp_path, COMPASSION_MAIL_POLL_MINUTES="1", ALICE_IMAP_PASSWORD=empty_imap.password
    )
    subprocess.run(compassion("migrate"), env=env, check=True, capture_output=True, timeout=180)
    setup = (
        "from compassion.core.models import Office; from compassion.voices.models import "
        "IntakeSettings; office = Office.objects.create(name='Office of Alice MP', slug='alice');"
        f"IntakeSettings.objects.create(office=office, imap_host='{empty_imap.host}', "
        f"imap_port={empty_imap.port}, imap_ssl=False, imap_user='{empty_imap.user}', "
        "imap_password_env='ALICE_IMAP_PASSWORD')"
    )
    subprocess.run(compassion("shell", "-c", setup), env=env, check=True, timeout=120)
    empty_imap.deliver(email_bytes(subject="Flooded underpass on Station Road"))

    server = subprocess.Popen(
        compassion("serve", "--port", str(free_port()), "--workers", "1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        output = read_until(server, "check-mail: alice: Imported 1, duplicates 0, quarantined 0")
        with sqlite3.connect(tmp_path / "compassion.sqlite3") as database:
            subjects = [row[0] for row in database.execute("SELECT subject FROM voices_voice")]
        assert subjects == ["Flooded underpass on Station Road"]
        server.send_signal(signal.SIGTERM)
        rest, _ = server.communicate(timeout=60)
    finally:
        server.kill()
    assert "check-mail: checking every 1 minute (Ctrl-C to stop)." in output
    assert "check-mail: stopped." in rest
    assert server.returncode == 0
