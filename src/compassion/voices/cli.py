"""`compassion ingest`: bring messages in from files, mailboxes or an IMAP server."""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from compassion.core.models import Office
    from compassion.voices.intake import IntakeSummary
    from compassion.voices.models import IntakeSettings
    from compassion.voices.sources import ImapAccount


@click.command()
@click.argument("source")
@click.option("--office", "office_slug", required=True, help="The office's short name (slug).")
@click.option(
    "--password-env",
    default="COMPASSION_IMAP_PASSWORD",
    show_default=True,
    help="For imap://: the environment variable that holds the mailbox password.",
)
@click.option("--silent", is_flag=True, help="No progress bar.")
def ingest(source: str, office_slug: str, password_env: str, silent: bool) -> None:
    """Import messages from SOURCE: an .eml, .msg or mbox file, a folder of them, or
    imap://user@host:port/INBOX (imaps:// for TLS).

    Running it again imports nothing twice; what cannot be read goes to quarantine. A
    spreadsheet (CSV) is imported in the browser: Inbox › Import a spreadsheet.
    """
    from compassion.cli import setup_django

    setup_django()
    from compassion.core.models import Office
    from compassion.voices.sources import SourceError

    office = Office.objects.filter(slug=office_slug).first()
    if office is None:
        known = ", ".join(Office.objects.order_by("slug").values_list("slug", flat=True)[:10])
        raise click.ClickException(
            f"There is no office called {office_slug!r}. Offices here: {known or 'none yet'}."
        )
    try:
        if source.startswith(("imap://", "imaps://")):
            summary = ingest_imap(office, source, password_env, silent)
        else:
            summary = ingest_files(office, Path(source), silent)
    except SourceError as error:
        raise click.ClickException(str(error)) from None
    click.echo(summary.line())


def ingest_files(office: Office, path: Path, silent: bool) -> IntakeSummary:
    from compassion.voices.sources import SourceError, ingest_path, total_size

    if not path.exists():
        raise SourceError(f"There is no file or folder at {path}.")
    if silent:
        return ingest_path(office, path)
    with click.progressbar(
        length=total_size(path), label=f"Importing {path.name}", file=sys.stderr
    ) as bar:
        return ingest_path(office, path, progress=bar.update)


def ingest_imap(office: Office, url: str, password_env: str, silent: bool) -> IntakeSummary:
    from compassion.voices.replies import intake_settings
    from compassion.voices.sources import SourceError, account_from_url, mailbox_lock, poll_imap

    password = os.environ.get(password_env, "")
    if not password:
        raise SourceError(
            f"Set the mailbox password in the environment variable {password_env} "
            "(it is never given on the command line, where others could see it)."
        )
    account = account_from_url(url, password)
    saved = intake_settings(office)
    state = saved if account.same_as(saved) else None
    with mailbox_lock(office, account):
        if state:
            state.refresh_from_db()  # another check may have finished since it was read
        if silent:
            return poll_imap(office, account, state)
        return poll_imap_with_progress(office, account, state)


def poll_imap_with_progress(
    office: Office, account: ImapAccount, state: IntakeSettings | None
) -> IntakeSummary:
    from compassion.voices.sources import poll_imap

    with click.progressbar(length=1, label="Fetching mail", file=sys.stderr) as bar:

        def advance(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(1)

        return poll_imap(office, account, state, progress=advance)


@click.command("check-mail")
@click.option("--office", "office_slug", default="", help="Only this office (default: all).")
@click.option(
    "--every",
    "minutes",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Keep running: check every N minutes until Ctrl-C or SIGTERM.",
)
@click.option("--parent-pid", type=int, default=None, hidden=True)
def check_mail(office_slug: str, minutes: float | None, parent_pid: int | None) -> None:
    """Fetch new mail for every office whose mailbox is set up; each mailbox reports on
    its own line. Once (e.g. from cron), or with --every N until stopped: a mailbox that
    is down is reported and tried again next round. `compassion serve` does this by
    itself every COMPASSION_MAIL_POLL_MINUTES (default 5)."""
    from compassion.cli import setup_django

    setup_django()
    if minutes is None:
        check_once(office_slug)
    else:
        check_repeatedly(office_slug, minutes, parent_pid)


def check_once(office_slug: str) -> None:
    from compassion.voices.polling import check_mailboxes, configured_mailboxes

    mailboxes = configured_mailboxes(office_slug)
    if not mailboxes:
        raise click.ClickException("No office has a mailbox set up (Inbox › Settings).")
    if check_mailboxes(mailboxes, echo_line):
        raise SystemExit(1)


def echo_line(line: str, error: bool) -> None:
    click.echo(line, err=error)


def echo_timestamped(line: str, error: bool) -> None:
    from django.utils import timezone

    click.echo(f"{timezone.localtime():%Y-%m-%d %H:%M:%S} check-mail: {line}", err=error)


def check_repeatedly(office_slug: str, minutes: float, parent_pid: int | None) -> None:
    """Rounds until a signal: the first Ctrl-C or SIGTERM lets the round in hand finish,
    a second Ctrl-C stops at once (each message is stored in its own transaction)."""
    from compassion.voices.polling import check_every, stop_when_parent_ends

    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    if parent_pid:
        stop_when_parent_ends(parent_pid, stop)
    unit = "minute" if minutes == 1 else "minutes"
    echo_timestamped(f"checking every {minutes:g} {unit} (Ctrl-C to stop).", False)
    try:
        check_every(minutes, stop, echo_timestamped, office_slug)
    except KeyboardInterrupt:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    echo_timestamped("stopped.", False)


commands = [ingest, check_mail]
