"""New mail arrives on its own: the offices' mailboxes are checked every few minutes.

`compassion check-mail --every N` checks in rounds until it is stopped (Ctrl-C or
SIGTERM); a mailbox that is down, or a database that is away, is reported in one line and
tried again next round. `compassion serve` starts it as a child process
(COMPASSION_MAIL_POLL_MINUTES, 0 = off) and stops it with the server. A child process
rather than a thread: gunicorn forks its workers from the serving process, and a fork
must not copy an open database connection or a held mailbox lock.

Two checks of one mailbox never run at once (`sources.mailbox_lock`), and a message
already received is recognised by its Message-ID, so nothing is imported twice.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import connections

from compassion.voices.models import IntakeSettings
from compassion.voices.sources import MailboxBusy, SourceError, check_office_mailbox

Report = Callable[[str, bool], None]  # a line, and whether it is an error
STOP_TIMEOUT_SECONDS = 40  # longer than one IMAP call may take (30 s)


def configured_mailboxes(office_slug: str = "") -> list[IntakeSettings]:
    found = IntakeSettings.objects.select_related("office").exclude(imap_host="")
    if office_slug:
        found = found.filter(office__slug=office_slug)
    return [saved for saved in found.order_by("office__slug") if saved.imap_configured]


def check_mailboxes(mailboxes: list[IntakeSettings], report: Report) -> int:
    """Check each mailbox, one line each; returns how many could not be checked.

    A mailbox that another check is reading right now is not a failure: that check
    brings its mail in.
    """
    failed = 0
    for saved in mailboxes:
        try:
            report(f"{saved.office.slug}: {check_office_mailbox(saved.office).line()}", False)
        except MailboxBusy as busy:
            report(f"{saved.office.slug}: {busy}", False)
        except SourceError as error:
            failed += 1
            report(f"{saved.office.slug}: {error}", True)
    return failed


def check_round(report: Report, office_slug: str = "", mention_none: bool = True) -> int | None:
    """One round of the automatic check: how many mailboxes it found, None if it failed.

    It never raises, so that the next round can try again.
    """
    try:
        mailboxes = configured_mailboxes(office_slug)
        if not mailboxes and mention_none:
            report("no office has a mailbox set up yet (Inbox › Settings).", False)
        check_mailboxes(mailboxes, report)
        return len(mailboxes)
    except Exception as error:  # noqa: BLE001 - e.g. the database is unreachable
        report(f"could not check mail ({type(error).__name__}: {error}); trying next round.", True)
        return None
    finally:
        connections.close_all()  # no connection held open between rounds


def check_every(
    minutes: float, stop: threading.Event, report: Report, office_slug: str = ""
) -> int:
    """Check mail every `minutes` until `stop` is set; returns the number of rounds.

    That no mailbox is set up is said once, not every round; mailboxes set up later
    are checked from the next round on.
    """
    rounds, found = 0, None
    while not stop.is_set():
        found = check_round(report, office_slug, mention_none=found != 0)
        rounds += 1
        stop.wait(minutes * 60)
    return rounds


def stop_when_parent_ends(parent_pid: int, stop: threading.Event) -> None:
    """Stop the loop if the server that started it has gone (even if it was killed)."""

    def watch() -> None:
        while not stop.wait(5):
            if os.getppid() != parent_pid:
                stop.set()

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


# Started by `compassion serve`


def start_mail_poller() -> subprocess.Popen[bytes] | None:
    """Start `compassion check-mail --every N` beside the server, unless switched off.

    It starts even when no office has a mailbox yet, so that one set up later in
    Inbox › Settings is checked without restarting the server.
    """
    minutes = settings.MAIL_POLL_MINUTES
    if minutes <= 0:
        return None
    command = [
        sys.executable,
        "-c",
        "from compassion.cli import main; main()",
        "check-mail",
        "--every",
        str(minutes),
        "--parent-pid",
        str(os.getpid()),
    ]
    return subprocess.Popen(command)


def stop_mail_poller(poller: subprocess.Popen[bytes] | None) -> None:
    if poller is None or poller.poll() is not None:
        return
    poller.terminate()
    try:
        poller.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        poller.kill()
        poller.wait()
