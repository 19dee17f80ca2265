"""Where messages come from: .eml and .msg files, mbox mailboxes, folders of them, IMAP.

Each source streams its messages one at a time into `intake.ingest_raw`, so memory stays
flat however large the mailbox, and each message is stored (or quarantined) in its own
transaction: an interrupted import keeps what it had done and can simply be run again.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import imaplib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.utils import timezone

from compassion.core.models import Office
from compassion.voices import analysis
from compassion.voices.intake import IntakeSummary, ingest_raw
from compassion.voices.models import IntakeSettings, RawKind
from compassion.voices.parsing import clean_line, iter_mbox, looks_like_mbox

Progress = Callable[[int], None]
ANALYSE_EVERY = 500
SPREADSHEET_SUFFIXES = {".csv", ".tsv", ".xlsx", ".xls", ".ods"}


class SourceError(Exception):
    """The source itself cannot be used (missing file, wrong password); said in plain words."""


def message_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
    return [path]


def total_size(path: Path) -> int:
    return sum(p.stat().st_size for p in message_files(path))


def ingest_path(office: Office, path: Path, progress: Progress | None = None) -> IntakeSummary:
    """Import a file (.eml, .msg or mbox) or a folder of them."""
    if not path.exists():
        raise SourceError(f"There is no file or folder at {path}.")
    files = message_files(path)
    refuse_spreadsheets(files)
    summary = IntakeSummary()
    batch = Batch(summary)
    try:
        for file in files:
            for part in ingest_file(office, file, progress):
                batch.add(part)
    finally:
        batch.finish()  # what was stored is read by the lens, even when stopped (Ctrl-C)
    return summary


def refuse_spreadsheets(files: list[Path]) -> None:
    """A spreadsheet needs its columns matched, which the import page does; read as an
    email it would go whole to quarantine. Said before anything is stored."""
    sheets = [file for file in files if file.suffix.lower() in SPREADSHEET_SUFFIXES]
    if sheets:
        raise SourceError(
            f"{clean_line(sheets[0].name)} is a spreadsheet, not a message: import it in the "
            "browser at Inbox › Import a spreadsheet, where its columns are matched. "
            f"{'Move it out of the folder and run this again. ' if len(files) > 1 else ''}"
            "Nothing was imported."
        )


@dataclass
class Batch:
    """Runs the lens over newly received voices every few hundred, then lets them go."""

    summary: IntakeSummary
    pending: int = 0

    def add(self, part: IntakeSummary) -> None:
        self.summary.imported += part.imported
        self.summary.duplicates += part.duplicates
        self.summary.quarantined += part.quarantined
        self.summary.voices += part.voices
        self.pending += len(part.voices)
        if self.pending >= ANALYSE_EVERY:
            self.finish()

    def finish(self) -> None:
        if self.summary.voices:
            analysis.analyse(self.summary.voices)
        self.summary.voices = []
        self.pending = 0


def ingest_file(office: Office, file: Path, progress: Progress | None) -> Iterator[IntakeSummary]:
    source = clean_line(file.name)  # a name unpacked from an old zip may not be UTF-8
    with file.open("rb") as handle:
        head = handle.read(5)
    if file.suffix.lower() == ".msg":
        yield ingest_raw(office, file.read_bytes(), source, kind=RawKind.OUTLOOK)
        tick(progress, file.stat().st_size)
    elif looks_like_mbox(head) or file.suffix.lower() in {".mbox", ".mbx"}:
        with file.open("rb") as handle:
            for number, message in enumerate(iter_mbox(handle, progress), start=1):
                yield ingest_raw(
                    office, message.raw, f"{source} #{number}", complete=message.complete
                )
    else:
        yield ingest_raw(office, file.read_bytes(), source)
        tick(progress, file.stat().st_size)


def tick(progress: Progress | None, size: int) -> None:
    if progress:
        progress(size)


# IMAP


@dataclass
class ImapAccount:
    host: str
    port: int
    user: str
    password: str
    mailbox: str = "INBOX"
    ssl: bool = False

    def same_as(self, saved: IntakeSettings) -> bool:
        return (saved.imap_host, saved.imap_port, saved.imap_user, saved.imap_mailbox) == (
            self.host,
            self.port,
            self.user,
            self.mailbox,
        )


def account_from_url(url: str, password: str) -> ImapAccount:
    """imap://user@host:port/MAILBOX (imaps:// for TLS)."""
    parsed = urlparse(url)
    if parsed.scheme not in {"imap", "imaps"} or not parsed.hostname or not parsed.username:
        raise SourceError(
            "An IMAP address looks like imap://user@host:143/INBOX (or imaps:// on port 993)."
        )
    ssl = parsed.scheme == "imaps"
    return ImapAccount(
        host=parsed.hostname,
        port=parsed.port or (993 if ssl else 143),
        user=unquote(parsed.username),
        password=password,
        mailbox=unquote(parsed.path.lstrip("/")) or "INBOX",
        ssl=ssl,
    )


def account_from_settings(saved: IntakeSettings) -> ImapAccount:
    if not saved.imap_configured:
        raise SourceError("This office has no mailbox set up yet.")
    password = os.environ.get(saved.imap_password_env, "")
    if not password:
        raise SourceError(
            f"The mailbox password is not available: set the environment variable "
            f"{saved.imap_password_env} on the server."
        )
    return ImapAccount(
        host=saved.imap_host,
        port=saved.imap_port,
        user=saved.imap_user,
        password=password,
        mailbox=saved.imap_mailbox or "INBOX",
        ssl=saved.imap_ssl,
    )


def connect(account: ImapAccount) -> imaplib.IMAP4:
    try:
        if account.ssl:
            connection = imaplib.IMAP4_SSL(account.host, account.port, timeout=30)
        else:
            connection = imaplib.IMAP4(account.host, account.port, timeout=30)
    except (OSError, imaplib.IMAP4.error) as error:  # no answer, or not a mail server's
        raise SourceError(
            f"Could not reach the mail server {account.host}:{account.port} ({error})."
        ) from None
    try:
        connection.login(account.user, account.password)
    except imaplib.IMAP4.error:
        connection.shutdown()
        raise SourceError(
            f"The mail server refused the user name or password for {account.user}."
        ) from None
    return connection


def poll_imap(
    office: Office,
    account: ImapAccount,
    saved: IntakeSettings | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> IntakeSummary:
    """Fetch new messages without marking them read (the mailbox is opened read-only).

    With the office's saved settings, only messages after the last UID seen are fetched;
    otherwise every message is read and duplicates are recognised by Message-ID.
    """
    summary = IntakeSummary()
    batch = Batch(summary)
    connection = connect(account)
    try:
        fetch_new(office, account, connection, batch, saved, progress)
    except (imaplib.IMAP4.error, OSError) as error:
        raise SourceError(
            f"The connection to the mail server {account.host} was lost ({error}). The "
            "messages fetched before are kept; the rest will come at the next check."
        ) from None
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            connection.logout()
        batch.finish()  # what arrived is read by the lens, even when the check broke off
    if saved:
        saved.last_checked_at = timezone.now()
        saved.last_error = ""
        saved.save(update_fields=["last_checked_at", "last_error"])
    return summary


def fetch_new(
    office: Office,
    account: ImapAccount,
    connection: imaplib.IMAP4,
    batch: Batch,
    saved: IntakeSettings | None,
    progress: Callable[[int, int], None] | None,
) -> None:
    """Receive each message after the last UID seen, remembering each UID as it is stored."""
    status, _ = connection.select(imap_quote(account.mailbox), readonly=True)
    if status != "OK":
        raise SourceError(f"There is no mailbox called {account.mailbox} on the server.")
    validity = int((connection.response("UIDVALIDITY")[1] or [b"0"])[0] or 0)
    last_uid = 0
    if saved and saved.imap_uid_validity == validity:
        last_uid = saved.imap_last_uid
    status, data = connection.uid("SEARCH", None, f"UID {last_uid + 1}:*")
    uids = [int(uid) for uid in (data[0] or b"").split() if int(uid) > last_uid]
    for done, uid in enumerate(uids, start=1):
        status, fetched = connection.uid("FETCH", str(uid), "(BODY.PEEK[])")
        raw = next((item[1] for item in fetched if isinstance(item, tuple)), b"")
        source = f"{account.user}@{account.host}/{account.mailbox} UID {uid}"
        batch.add(ingest_raw(office, raw, source))
        if saved:
            saved.imap_uid_validity, saved.imap_last_uid = validity, uid
            saved.save(update_fields=["imap_uid_validity", "imap_last_uid"])
        if progress:
            progress(done, len(uids))


def imap_quote(mailbox: str) -> str:
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


class MailboxBusy(SourceError):
    """Another check of the same mailbox is running right now."""


@contextlib.contextmanager
def mailbox_lock(office: Office, account: ImapAccount) -> Iterator[None]:
    """Let only one check of a mailbox run at a time, across every process on this server.

    A lock file per office and mailbox in the data folder: the automatic check, a
    colleague's "Check mail now" and `compassion ingest` wait their turn instead of
    reading the same messages at once. The system releases it if the process dies.
    """
    identity = f"{office.pk}:{account.user}@{account.host}:{account.port}/{account.mailbox}"
    name = hashlib.sha256(identity.encode()).hexdigest()[:20]
    path = Path(settings.DATA_DIR) / "locks" / f"mailbox-{name}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise MailboxBusy(
                "The mailbox is being checked right now (automatically or by a colleague); "
                "new mail will appear when that check ends."
            ) from None
        yield  # closing the file releases the lock


def check_office_mailbox(office: Office) -> IntakeSummary:
    """Poll the office's own mailbox (the button, `check-mail` and the automatic check),
    remembering any error for the settings page."""
    saved, _ = IntakeSettings.objects.get_or_create(office=office)
    try:
        account = account_from_settings(saved)
        with mailbox_lock(office, account):
            saved.refresh_from_db()  # another check may have finished since it was read
            return poll_imap(office, account, saved)
    except MailboxBusy:
        raise
    except SourceError as error:
        saved.last_error = str(error)[:500]
        saved.last_checked_at = timezone.now()
        saved.save(update_fields=["last_error", "last_checked_at"])
        raise
