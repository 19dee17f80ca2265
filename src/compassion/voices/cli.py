"""`compassion ingest`: bring messages in from files, mailboxes or an IMAP server."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from compassion.core.models import Office
    from compassion.voices.intake import IntakeSummary


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

    Running it again imports nothing twice; what cannot be read goes to quarantine.
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
    from compassion.voices.sources import SourceError, account_from_url, poll_imap

    password = os.environ.get(password_env, "")
    if not password:
        raise SourceError(
            f"Set the mailbox password in the environment variable {password_env} "
            "(it is never given on the command line, where others could see it)."
        )
    account = account_from_url(url, password)
    saved = intake_settings(office)
    state = saved if account.same_as(saved) else None
    if silent:
        return poll_imap(office, account, state)
    with click.progressbar(length=1, label="Fetching mail", file=sys.stderr) as bar:

        def advance(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(1)

        return poll_imap(office, account, state, progress=advance)


@click.command("check-mail")
@click.option("--office", "office_slug", default="", help="Only this office (default: all).")
def check_mail(office_slug: str) -> None:
    """Fetch new mail for every office whose mailbox is set up (run it every few minutes,
    e.g. from cron or a systemd timer). Each mailbox reports on its own line."""
    from compassion.cli import setup_django

    setup_django()
    from compassion.voices.models import IntakeSettings
    from compassion.voices.sources import SourceError, check_office_mailbox

    found = IntakeSettings.objects.select_related("office").exclude(imap_host="")
    if office_slug:
        found = found.filter(office__slug=office_slug)
    mailboxes = [saved for saved in found if saved.imap_configured]
    if not mailboxes:
        raise click.ClickException("No office has a mailbox set up (Inbox › Settings).")
    failed = 0
    for saved in mailboxes:
        try:
            click.echo(f"{saved.office.slug}: {check_office_mailbox(saved.office).line()}")
        except SourceError as error:
            failed += 1
            click.echo(f"{saved.office.slug}: {error}", err=True)
    if failed:
        raise SystemExit(1)


commands = [ingest, check_mail]
