"""Read and write the Pol.is export format.

An export is a folder with `comments.csv`, `votes.csv` and
`participants-votes.csv` (and a few summary files this module ignores). When
`votes.csv` is missing the votes are rebuilt from `participants-votes.csv`,
which holds each participant's latest vote, without times.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from compassion.bridging.model import ParticipantId, Statement, StatementId, Vote

PARTICIPANT_VOTE_COLUMNS = (
    "participant",
    "group-id",
    "n-comments",
    "n-votes",
    "n-agree",
    "n-disagree",
)


class PolisExportError(ValueError):
    """The folder is not a usable Pol.is export; the message says why, plainly."""


@dataclass(frozen=True)
class Conversation:
    """A conversation as read from an export.

    polis_groups: participant id to the group Pol.is gave them (None when
        Pol.is did not group them), from `participants-votes.csv`; empty when
        that file is missing.
    """

    statements: tuple[Statement, ...]
    votes: tuple[Vote, ...]
    polis_groups: dict[ParticipantId, int | None]


def _id(text: str) -> StatementId:
    """Ids are numbers in Pol.is; keep any other id as text."""
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        return text


def _number(text: str | None) -> float | None:
    if text is None or not text.strip():
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _rows(path: Path) -> list[dict[str, str]]:
    # utf-8-sig: a spreadsheet's "CSV UTF-8" starts with a byte-order mark, which would
    # otherwise become part of the first column's name.
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def read_statements(path: Path) -> tuple[Statement, ...]:
    rows = _rows(path)
    if rows and "comment-id" not in rows[0]:
        raise PolisExportError(
            f"{path.name} has no comment-id column, so it is not a Pol.is export."
        )
    return tuple(
        Statement(
            id=_id(row["comment-id"]),
            text=row.get("comment-body") or "",
            moderated=int(_number(row.get("moderated")) or 0),
            is_meta=(row.get("is-meta") or "").strip().lower() in ("1", "true", "t"),
            author=_id(row["author-id"]) if (row.get("author-id") or "").strip() else None,
            created=_number(row.get("timestamp")),
        )
        for row in rows
    )


def read_votes(path: Path) -> tuple[Vote, ...]:
    rows = _rows(path)
    if rows and not {"comment-id", "voter-id", "vote"} <= rows[0].keys():
        raise PolisExportError(f"{path.name} needs comment-id, voter-id and vote columns.")
    return tuple(
        Vote(
            participant=_id(row["voter-id"]),
            statement=_id(row["comment-id"]),
            value=int(float(row["vote"])),
            timestamp=_number(row.get("timestamp")),
        )
        for row in rows
        if (row.get("vote") or "").strip()
    )


def read_participant_votes(path: Path) -> tuple[tuple[Vote, ...], dict[ParticipantId, int | None]]:
    """Votes and Pol.is groups from the wide `participants-votes.csv`."""
    votes = []
    groups: dict[ParticipantId, int | None] = {}
    for row in _rows(path):
        participant = _id(row["participant"])
        group = _number(row.get("group-id"))
        groups[participant] = None if group is None else int(group)
        for column, value in row.items():
            if column in PARTICIPANT_VOTE_COLUMNS or column is None or not (value or "").strip():
                continue
            votes.append(Vote(participant, _id(column), int(float(value))))
    return tuple(votes), groups


def read_polis_export(folder: str | Path) -> Conversation:
    """Read an export folder; raise PolisExportError with a plain sentence if unusable."""
    folder = Path(folder)
    if not folder.is_dir():
        raise PolisExportError(f"There is no folder at {folder}.")
    comments = folder / "comments.csv"
    votes_file = folder / "votes.csv"
    wide_file = folder / "participants-votes.csv"
    if not comments.exists():
        raise PolisExportError(f"{folder} has no comments.csv, so it is not a Pol.is export.")
    statements = read_statements(comments)
    polis_groups: dict[ParticipantId, int | None] = {}
    votes: tuple[Vote, ...] = ()
    if wide_file.exists():
        votes, polis_groups = read_participant_votes(wide_file)
    if votes_file.exists():
        votes = read_votes(votes_file)
    elif not wide_file.exists():
        raise PolisExportError("That folder has comments.csv but no votes: nothing to analyse yet.")
    return Conversation(statements, votes, polis_groups)


def _timestamp_text(timestamp: float | None) -> str:
    if timestamp is None:
        return ""
    moment = datetime.datetime.fromtimestamp(timestamp / 1000, tz=datetime.UTC)
    return moment.strftime("%a %b %d %H:%M:%S UTC %Y")


def _write(path: Path, header: Iterable[str], rows: Iterable[Iterable]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _latest_votes(votes: Iterable[Vote]) -> dict[tuple[ParticipantId, StatementId], Vote]:
    latest: dict[tuple[ParticipantId, StatementId], Vote] = {}
    for vote in sorted(votes, key=lambda v: v.timestamp if v.timestamp is not None else 0):
        latest[vote.participant, vote.statement] = vote
    return latest


def write_polis_export(
    folder: str | Path,
    statements: Iterable[Statement],
    votes: Iterable[Vote],
    groups: dict[ParticipantId, int | None] | None = None,
) -> None:
    """Write `comments.csv`, `votes.csv` and `participants-votes.csv`.

    `groups` (for example `Result.participant_groups`) fills the group-id
    column; without it the column is left empty.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    statements = list(statements)
    votes = list(votes)
    latest = _latest_votes(votes)
    agrees = {s.id: 0 for s in statements}
    disagrees = {s.id: 0 for s in statements}
    for vote in latest.values():
        if vote.value == 1:
            agrees[vote.statement] = agrees.get(vote.statement, 0) + 1
        elif vote.value == -1:
            disagrees[vote.statement] = disagrees.get(vote.statement, 0) + 1
    _write(
        folder / "comments.csv",
        (
            "timestamp",
            "datetime",
            "comment-id",
            "author-id",
            "agrees",
            "disagrees",
            "moderated",
            "comment-body",
            "is-meta",
        ),
        (
            (
                "" if s.created is None else int(s.created),
                _timestamp_text(s.created),
                s.id,
                "" if s.author is None else s.author,
                agrees[s.id],
                disagrees[s.id],
                s.moderated,
                s.text,
                int(s.is_meta),
            )
            for s in statements
        ),
    )
    _write(
        folder / "votes.csv",
        ("timestamp", "datetime", "comment-id", "voter-id", "vote"),
        (
            (
                "" if v.timestamp is None else int(v.timestamp),
                _timestamp_text(v.timestamp),
                v.statement,
                v.participant,
                v.value,
            )
            for v in votes
        ),
    )
    _write_participant_votes(folder / "participants-votes.csv", statements, latest, groups or {})


def _write_participant_votes(
    path: Path,
    statements: list[Statement],
    latest: dict[tuple[ParticipantId, StatementId], Vote],
    groups: dict[ParticipantId, int | None],
) -> None:
    statement_ids = [s.id for s in statements]
    statement_ids += sorted({s for _, s in latest} - set(statement_ids), key=str)
    authored: dict[ParticipantId, int] = {}
    for statement in statements:
        if statement.author is not None:
            authored[statement.author] = authored.get(statement.author, 0) + 1
    by_participant: dict[ParticipantId, dict[StatementId, int]] = {}
    for (participant, statement), vote in latest.items():
        by_participant.setdefault(participant, {})[statement] = vote.value
    rows = []
    for participant in sorted(by_participant, key=lambda p: (isinstance(p, str), p)):
        mine = by_participant[participant]
        group = groups.get(participant)
        rows.append(
            (
                participant,
                "" if group is None else group,
                authored.get(participant, 0),
                len(mine),
                sum(v == 1 for v in mine.values()),
                sum(v == -1 for v in mine.values()),
                *(mine.get(s, "") for s in statement_ids),
            )
        )
    _write(path, (*PARTICIPANT_VOTE_COLUMNS, *statement_ids), rows)
