"""Bring a Pol.is export folder into the database as a conversation, and write one out.

Reading is `compassion.bridging.read_polis_export`'s job; here its statements, voters and
votes become rows. Pol.is numbers are kept as statement numbers so that #12 means the same
statement here and in Pol.is. A statement Pol.is left unmoderated (0) but people voted on
was shown to voters, so it is imported as shown; one nobody voted on waits for moderation.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from compassion import bridging
from compassion.commonground.analysis import bridging_input, latest_result
from compassion.commonground.models import (
    Conversation,
    Moderation,
    Participant,
    Statement,
    StatementStatus,
    Vote,
)
from compassion.core.models import Office
from compassion.core.spreadsheets import safe_cell, written_text

POLIS_ATTRIBUTION = (
    "Data gathered with the Polis software (compdemocracy.org/polis), sub-licensed under "
    "CC BY 4.0 with attribution to The Computational Democracy Project."
)
UPLOAD_NAMES = {
    "comments": "comments.csv",
    "votes": "votes.csv",
    "participants_votes": "participants-votes.csv",
}

LARGEST_NUMBER = 2_147_483_647  # what a statement number can hold in every database


class PolisImportError(ValueError):
    """The export cannot be imported; the message says why in plain words."""


VOTE_VALUES = (-1, 0, 1)  # disagree, pass, agree, as Pol.is writes them


@dataclass(frozen=True)
class Imported:
    """A conversation brought in, and how many of the file's votes were left out."""

    conversation: Conversation
    votes_left_out: int

    def report(self) -> str:
        """What to tell whoever imported it about the votes left out, if any."""
        if not self.votes_left_out:
            return ""
        votes = "vote was" if self.votes_left_out == 1 else "votes were"
        return (
            f"{self.votes_left_out:,} {votes} left out: a vote is -1, 0 or 1 (disagree, pass, "
            "agree), as Pol.is writes them."
        )


def import_uploads(
    office: Office, uploads: dict[str, UploadedFile | None], **details: object
) -> Imported:
    """Save the uploaded CSV files into a temporary folder and import that."""
    with tempfile.TemporaryDirectory() as folder:
        for field, filename in UPLOAD_NAMES.items():
            upload = uploads.get(field)
            if upload is not None:
                with open(Path(folder) / filename, "wb") as handle:
                    for chunk in upload.chunks():
                        handle.write(chunk)
        return import_folder(office, Path(folder), **details)


def import_folder(
    office: Office,
    folder: Path,
    title: str,
    question: str,
    source: str = "",
    user: AbstractBaseUser | None = None,
) -> Imported:
    """Create a conversation from a Pol.is export folder, all or nothing."""
    conversation_data = read(folder)
    if not conversation_data.votes:
        raise PolisImportError("That export has no votes, so there is nothing to show.")
    readable = sum(vote.value in VOTE_VALUES for vote in conversation_data.votes)
    if not readable:
        raise PolisImportError(
            "That export's votes cannot be read: none of its votes is -1, 0 or 1 (disagree, "
            "pass, agree), as Pol.is writes them."
        )
    times = [moment(v.timestamp) for v in conversation_data.votes if v.timestamp is not None]
    times = [t for t in times if t is not None]
    with transaction.atomic():
        conversation = Conversation.objects.create(
            office=office,
            title=title,
            question=question,
            slug=free_slug(office, title),
            moderation=Moderation.BEFORE,
            # A finished conversation: shown as closed, so nobody votes on it here.
            opens_at=min(times, default=None),
            closes_at=max(times, default=timezone.now()),
            source=source or POLIS_ATTRIBUTION,
            created_by=user,
        )
        numbers = statement_numbers(conversation_data.statements, conversation_data.votes)
        create_statements(conversation, conversation_data, numbers)
        create_votes(conversation, conversation_data.votes, numbers)
    return Imported(conversation, len(conversation_data.votes) - readable)


def read(folder: Path) -> bridging.Conversation:
    try:
        return bridging.read_polis_export(folder)
    except bridging.PolisExportError as error:
        raise PolisImportError(str(error)) from error
    except UnicodeDecodeError:
        raise PolisImportError(
            "The files are not UTF-8 text. Export them again from Pol.is, or save them as "
            "CSV UTF-8 from your spreadsheet."
        ) from None
    except (KeyError, ValueError) as error:
        raise PolisImportError(
            f"The files do not look like a Pol.is export (a column or value is wrong: {error})."
        ) from None


def free_slug(office: Office, title: str) -> str:
    base = slugify(title)[:70] or "imported"
    slug, n = base, 1
    while Conversation.objects.filter(office=office, slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def statement_numbers(
    statements: Iterable[bridging.Statement], votes: Iterable[bridging.Vote]
) -> dict[object, int]:
    """Pol.is ids to our numbers: the same number when the id is a whole number."""
    ids = list(dict.fromkeys([s.id for s in statements] + [v.statement for v in votes]))
    numeric = {i: i for i in ids if isinstance(i, int) and 0 <= i <= LARGEST_NUMBER}
    top = max(numeric.values(), default=0)
    others = [i for i in ids if i not in numeric]
    return numeric | {i: top + k for k, i in enumerate(others, start=1)}


def create_statements(
    conversation: Conversation, data: bridging.Conversation, numbers: dict[object, int]
) -> None:
    voted = {v.statement for v in data.votes}
    known = {s.id: s for s in data.statements}
    rows = []
    for polis_id, number in numbers.items():
        statement = known.get(polis_id, bridging.Statement(polis_id, moderated=1))
        rows.append(
            Statement(
                conversation=conversation,
                number=number,
                # PostgreSQL cannot store a NUL; an export of ours made formulas plain text.
                text=written_text(statement.text.replace("\x00", ""))
                or f"(Pol.is statement {polis_id}, text not exported)",
                status=imported_status(statement.moderated, polis_id in voted),
                is_meta=statement.is_meta,
                created_at=moment(statement.created) or timezone.now(),
            )
        )
    Statement.objects.bulk_create(rows, batch_size=500)


def imported_status(moderated: int, has_votes: bool) -> str:
    if moderated < 0:
        return StatementStatus.REJECTED
    if moderated > 0 or has_votes:
        return StatementStatus.ACCEPTED
    return StatementStatus.PENDING


def create_votes(
    conversation: Conversation, votes: Iterable[bridging.Vote], numbers: dict[object, int]
) -> None:
    latest: dict[tuple[object, object], bridging.Vote] = {}
    for vote in sorted(votes, key=lambda v: v.timestamp if v.timestamp is not None else 0):
        if vote.value in VOTE_VALUES:
            latest[vote.participant, vote.statement] = vote
    voter_ids = list(dict.fromkeys(p for p, _ in latest))
    participants = Participant.objects.bulk_create(
        [Participant(conversation=conversation, external_id=str(v)[:64]) for v in voter_ids],
        batch_size=500,
    )
    participant_pk = dict(zip(voter_ids, (p.pk for p in participants), strict=True))
    statement_pk = dict(conversation.statements.values_list("number", "pk"))
    now = timezone.now()
    Vote.objects.bulk_create(
        [
            Vote(
                participant_id=participant_pk[v.participant],
                statement_id=statement_pk[numbers[v.statement]],
                value=v.value,
                created_at=moment(v.timestamp) or now,
                updated_at=moment(v.timestamp) or now,
            )
            for v in latest.values()
        ],
        batch_size=1000,
    )


def moment(milliseconds: float | None) -> datetime | None:
    if milliseconds is None:
        return None
    try:
        return datetime.fromtimestamp(milliseconds / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def export_zip(conversation: Conversation) -> bytes:
    """The conversation as a Pol.is export (with our groups as group-id), zipped."""
    votes, statements = bridging_input(conversation)
    # Anyone may write a statement: staff opening comments.csv must not run one.
    statements = [replace(s, text=str(safe_cell(s.text))) for s in statements]
    groups = latest_result(conversation).participant_groups
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as folder:
        bridging.write_polis_export(folder, statements, votes, groups)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(folder).iterdir()):
                archive.write(path, path.name)
    return buffer.getvalue()
