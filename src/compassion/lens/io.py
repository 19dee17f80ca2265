"""Stream messages from JSONL, CSV, `.eml` and `.mbox` files, one record at a time.

A record that cannot be read (not JSON, not UTF-8, binary junk, empty text) comes out as
a `Record` with an `error` sentence instead of raising, so the rest of the file is read.
"""

from __future__ import annotations

import csv
import email
import email.policy
import html
import io
import json
import mailbox
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from pathlib import Path

import nh3

# Bytes that were not UTF-8 (read as \udc80-\udcff), or half a UTF-16 pair from JSON.
_UNDECODABLE = re.compile("[\ud800-\udfff]")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# A spreadsheet cell can hold a long letter; the lens reads the first 100,000 characters.
csv.field_size_limit(64 * 1024 * 1024)
Dialect = type[csv.Dialect] | csv.Dialect
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_EMAIL_ID = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass
class Record:
    """One input message: `fields` holds the requested text fields, or `error` says why not;
    `warning` says what may be wrong with a record that was read."""

    line: int
    id: str | None
    fields: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    size: int = 0
    warning: str | None = None


def problem_with_text(value: object, name: str) -> str | None:
    """Why `value` cannot be analysed as text, or None if it can."""
    if not isinstance(value, str):
        return f"the {name!r} field is missing or not a string"
    if not value.strip():
        return f"the {name!r} field is empty"
    if broken := _UNDECODABLE.search(value):
        if broken.group() >= "\udc80":  # a byte that was not UTF-8, kept as it was read
            return "it is not valid UTF-8"
        return (
            f"the {name!r} field holds half of a two-part character "
            f"(\\u{ord(broken.group()):04x}), which is not text"
        )
    sample = value[:10_000]
    if "\x00" in sample or len(_CONTROL.findall(sample)) > 0.1 * len(sample):
        return "it looks like binary data, not text"
    return None


def _record(line: int, data: dict, names: Sequence[str], size: int, where: str = "Line") -> Record:
    """A record of `data`'s fields `names`, or of why they cannot be read, naming the
    `where` (a line, or a message of a mailbox) by its number."""
    identifier = data.get("id")
    identifier = None if identifier is None else str(identifier)
    for name in names:
        problem = problem_with_text(data.get(name), name)
        if problem:
            return Record(line, identifier, error=f"{where} {line}: {problem}.", size=size)
    return Record(line, identifier, {name: data[name] for name in names}, size=size)


def read_jsonl(path: Path, names: Sequence[str]) -> Iterator[Record]:
    for number, raw in enumerate(_raw_lines(path), start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw.decode("utf-8-sig"))  # Notepad starts with a BOM
        except UnicodeDecodeError:
            yield _bad_line(number, "it is not valid UTF-8", raw)
            continue
        except json.JSONDecodeError:
            yield _bad_line(number, "it is not valid JSON", raw)
            continue
        except RecursionError:
            yield _bad_line(number, "it is nested too deeply to read", raw)
            continue
        if not isinstance(data, dict):
            yield _bad_line(number, "it is not a JSON object", raw)
            continue
        yield _record(number, data, names, len(raw))


def _raw_lines(path: Path) -> Iterator[bytes]:
    """The file's lines as UTF-8 bytes; a file saved as UTF-16 (some Windows programs do)
    is read as such."""
    with path.open("rb") as handle:
        if handle.read(2) not in _UTF16_BOMS:
            handle.seek(0)
            yield from handle
            return
        handle.seek(0)
        with io.TextIOWrapper(handle, encoding="utf-16", errors="surrogateescape") as text:
            for line in text:
                yield line.encode("utf-8", "surrogateescape")


def _bad_line(number: int, problem: str, raw: bytes) -> Record:
    return Record(number, None, error=f"Line {number}: {problem}.", size=len(raw))


def read_csv(path: Path, names: Sequence[str]) -> Iterator[Record]:
    with path.open(encoding=_csv_encoding(path), errors="surrogateescape", newline="") as handle:
        dialect = _sniff(handle)
        lines = _LinesTaken(handle)
        reader = csv.DictReader(lines, dialect=dialect)
        missing = [name for name in names if name not in (reader.fieldnames or [])]
        if missing:
            columns = ", ".join(reader.fieldnames or []) or "none"
            yield Record(
                1, None, error=f"The CSV has no {missing[0]!r} column (its columns are: {columns})."
            )
            return
        yield from _csv_rows(lines, reader.fieldnames, dialect, names, first_line=2)


class _LinesTaken:
    """The lines of a file, keeping those the CSV reader took for the row it is reading."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = iter(lines)
        self._ahead: list[str] = []
        self.taken: list[str] = []

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = self._ahead.pop() if self._ahead else next(self._lines)
        self.taken.append(line)
        return line

    def at_end(self) -> bool:
        if not self._ahead:
            self._ahead = list(islice(self._lines, 1))
        return not self._ahead


def _csv_rows(
    lines: _LinesTaken,
    fieldnames: Sequence[str],
    dialect: Dialect,
    names: Sequence[str],
    first_line: int,
) -> Iterator[Record]:
    """The records of the CSV rows in `lines`, the first on line `first_line`.

    A quote that is never closed would make one cell of the rest of the file; so that row
    is named and the lines after its first are read again as rows of their own.
    """
    reader = csv.DictReader(lines, fieldnames=fieldnames, dialect=dialect)
    while True:
        number = first_line + reader.line_num
        lines.taken = []
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield Record(number, None, error=f"Line {number}: it cannot be read as CSV ({error}).")
            continue
        if _quote_left_open(lines, dialect):
            yield Record(
                number,
                None,
                error=f"Line {number}: a quote opened here is never closed, so this row was "
                "not read; the lines after it were read as rows of their own.",
            )
            lines, first_line = _LinesTaken(lines.taken[1:]), number + 1
            reader = csv.DictReader(lines, fieldnames=fieldnames, dialect=dialect)
            continue
        size = sum(len(value) for value in row.values() if isinstance(value, str))
        record = _record(number, row, names, size)
        record.warning = _rows_run_together(number, row, lines.taken, fieldnames, dialect)
        yield record


def _rows_run_together(
    number: int, row: dict, taken: list[str], fieldnames: Sequence[str], dialect: Dialect
) -> str | None:
    """A warning where a row's text holds lines laid out like rows of their own: as many
    cells, a space after each comma only if the row has one (a note's "sue@example.org, her
    daughter" is prose), and in the id column an id written as this row's is ("1043" after
    "1042", "web-form-b" after "web-form-a"). A quote opened in this row and closed only in
    a later one joins the rows between into its text. The warning names lines, not what
    they say, which may be personal (a blank line taken before the row is not one of
    them)."""
    identifier = str(row.get("id") or "")
    numbered = [(number + i, line) for i, line in enumerate(taken) if line.strip()]
    if "id" not in fieldnames or len(numbered) < 2 or not _telling_id(identifier):
        return None
    column = list(fieldnames).index("id")
    row_spaced = spaced(next(csv.reader([numbered[0][1]], dialect), []))
    like_rows = [
        at
        for at, line in numbered[1:]
        if len(cells := next(csv.reader([line], dialect), [])) == len(fieldnames)
        and spaced(cells) == row_spaced
        and _written_alike(cells[column], identifier)
    ]
    if not like_rows:
        return None
    return (
        f"Line {numbered[0][0]}: its text holds {len(like_rows)} "
        f"{'line' if len(like_rows) == 1 else 'lines'} laid out like rows of their own "
        f"(the first, line {like_rows[0]}); a quote opened in it may close only in a later "
        "row. Check the quotes."
    )


def _telling_id(identifier: str) -> bool:
    """Whether an id is written unlike words (a digit or a sign in it), so that a line of
    text starting as it does is telling; ids of plain words cannot be checked."""
    return any(kind not in "Aa " for kind in cell_shape(identifier))


def _written_alike(cell: str, identifier: str) -> bool:
    """Whether a cell is written as the id is: both email addresses (of any shape:
    "sue.bell@example.org" after "joan@example.com"), or the same shape, and for an id that
    is just a number the same length too ("1,250 owed" is not a row after "1041")."""
    if _EMAIL_ID.fullmatch(identifier):
        return bool(_EMAIL_ID.fullmatch(cell))
    shape = cell_shape(identifier)
    return cell_shape(cell) == shape and (shape != "9" or len(cell) == len(identifier))


def spaced(cells: list[str]) -> bool:
    """Whether every cell after the first begins with a space, as words after a comma do."""
    return all(cell.startswith(" ") for cell in cells[1:])


def cell_shape(cell: str) -> str:
    """How a cell is written: "Joan Smith" gives "Aa Aa", "CW-1042" gives "A-9"."""
    kinds = (
        "A" if c.isupper() else "a" if c.isalpha() else "9" if c.isdigit() else c for c in cell
    )
    return re.sub(r"(.)\1+", r"\1", "".join(kinds).strip())


def _quote_left_open(lines: _LinesTaken, dialect: Dialect) -> bool:
    """Whether the row just read ran to the end of the file inside a quoted cell."""
    quotes = "".join(lines.taken).count(dialect.quotechar or '"')
    return len(lines.taken) > 1 and quotes % 2 == 1 and lines.at_end()


def _csv_encoding(path: Path) -> str:
    with path.open("rb") as handle:
        return "utf-16" if handle.read(2) in _UTF16_BOMS else "utf-8-sig"


def _sniff(handle) -> Dialect:
    """The dialect of the file; the handle is rewound."""
    sample = handle.read(4096)
    handle.seek(0)
    return csv_dialect(sample)


class ExcelSemicolon(csv.excel):
    """Excel's CSV where a comma is the decimal mark, as in much of Europe."""

    delimiter = ";"


class ExcelSpaced(csv.excel):
    """Cells after a comma and a space ("id, text"), as some programs write them."""

    skipinitialspace = True


def csv_dialect(sample: str) -> Dialect:
    """Commas, or the semicolons or tabs other spreadsheets write: whichever splits the
    first rows into as many cells as the header, more than one, most often (commas when
    none does). Quotes are double quotes, as every spreadsheet writes them: Python's
    Sniffer took the apostrophes of "O'Neil" and "can't" for quotes and cut a row apart,
    and missed the semicolons around a quoted cell."""
    lines = sample.splitlines(keepends=True)
    lines = lines[:-1] if len(lines) > 2 else lines  # the last may be cut short
    dialect = max((csv.excel, ExcelSemicolon, csv.excel_tab), key=partial(_agreeing, lines))
    header = lines[0] if lines else ""
    if dialect is csv.excel and 0 < header.count(",") == header.count(", "):
        return ExcelSpaced
    return dialect


def _agreeing(lines: list[str], dialect: Dialect) -> int:
    """How many of the rows in `lines` have as many cells as the first, if it has two."""
    widths = []
    try:
        for row in csv.reader(lines, dialect):
            if any(cell.strip() for cell in row):
                widths.append(len(row))
    except csv.Error:
        pass  # a cell cut short by the end of the sample
    if not widths or widths[0] < 2:
        return 0
    return widths.count(widths[0])


def _email_text(message: email.message.Message) -> str:
    subject = str(message.get("subject", "") or "")
    body = (
        message.get_body(preferencelist=("plain", "html")) if hasattr(message, "get_body") else None
    )
    content = body.get_content() if body is not None else ""
    if body is not None and body.get_content_type() == "text/html":
        content = html.unescape(nh3.clean(content, tags=set()))  # no script or style text
    return f"{subject}\n\n{content}".strip()


def _email_record(number: int, message, fallback_id: str, names: Sequence[str]) -> Record:
    identifier = str(message.get("message-id") or fallback_id).strip()
    try:
        text = _email_text(message)
    except (LookupError, ValueError) as error:
        return Record(number, identifier, error=f"Message {number}: unreadable ({error}).")
    data = {"id": identifier, names[0]: text}
    return _record(number, data, names[:1], len(text), where="Message")


def read_eml(path: Path, names: Sequence[str]) -> Iterator[Record]:
    with path.open("rb") as handle:
        message = email.message_from_binary_file(handle, policy=email.policy.default)
    yield _email_record(1, message, path.name, names)


def read_mbox(path: Path, names: Sequence[str]) -> Iterator[Record]:
    box = mailbox.mbox(path, factory=None, create=False)
    for number, key in enumerate(box.iterkeys(), start=1):
        message = email.message_from_bytes(box.get_bytes(key), policy=email.policy.default)
        yield _email_record(number, message, f"{path.name}#{number}", names)


def read_records(path: Path, names: Sequence[str] = ("text",)) -> Iterator[Record]:
    """Records from `path`, chosen by its extension (`.csv`, `.eml`, `.mbox`, else JSONL)."""
    suffix = path.suffix.lower()
    readers = {".csv": read_csv, ".eml": read_eml, ".mbox": read_mbox}
    where = "Message" if suffix in {".eml", ".mbox"} else "Line"
    first_line_of: dict[str, int] = {}
    for record in readers.get(suffix, read_jsonl)(path, names):
        _warn_of_a_bad_id(record, first_line_of, where)
        yield record


def _warn_of_a_bad_id(record: Record, first_line_of: dict[str, int], where: str) -> None:
    """Results are matched back to their messages by id: warn of an id left empty or given
    to an earlier record too (`first_line_of` holds the ids seen, with their lines), naming
    the `where` (a line, or a message of a mailbox) by its number."""
    if record.id is None:
        return
    if not record.id.strip():
        problem = f"{where} {record.line}: its id is empty, so its result cannot be matched to it."
    elif record.id in first_line_of:
        problem = (
            f"{where} {record.line}: its id “{record.id[:60]}” is {where.lower()} "
            f"{first_line_of[record.id]}'s too, so their results cannot be told apart."
        )
    else:
        first_line_of[record.id] = record.line
        return
    record.warning = f"{record.warning} {problem}" if record.warning else problem
