"""CSV import from other casework systems: upload, map the columns, preview, dry run, import.

Cells that a spreadsheet would run as a formula (`=HYPERLINK(...)`, `@SUM(...)`) are
stored with a leading apostrophe, so they can never run when the data is exported and
opened again; the voice notes that it happened. A dry run does the whole import inside a
transaction that is then rolled back, so what it reports is exactly what would happen.
"""

from __future__ import annotations

import csv
import io
import math
import re
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from compassion.core.access import audit, require_edit, staff_required
from compassion.core.models import AuditAction, Office, Person
from compassion.lens.io import cell_shape, csv_dialect, spaced
from compassion.voices import analysis
from compassion.voices.intake import add_contact_details, receive
from compassion.voices.models import Channel, Voice
from compassion.voices.parsing import IncomingMessage, decode_bytes, find_postcode

MAX_CSV_BYTES = 10 * 1024 * 1024
WORKBOOK_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx and .ods (zip), old .xls
csv.field_size_limit(MAX_CSV_BYTES)  # long notes in one cell are fine
PREVIEW_ROWS = 5
TARGETS = [
    ("name", "Full name"),
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("postcode", "Postcode"),
    ("subject", "Subject"),
    ("body", "Message or notes"),
    ("received", "Date received"),
]
GUESSES = {
    "name": {"name", "full name", "fullname", "constituent", "contact"},
    "first_name": {"first name", "firstname", "forename", "given name"},
    "last_name": {"last name", "lastname", "surname", "family name"},
    "email": {"email", "e-mail", "email address"},
    "phone": {"phone", "telephone", "tel", "mobile", "phone number"},
    "postcode": {"postcode", "post code", "postal code", "zip"},
    "subject": {"subject", "title", "summary", "topic"},
    "body": {"body", "message", "notes", "details", "description", "text", "enquiry"},
    "received": {"date", "received", "date received", "created", "opened"},
}
DATE_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d/%m/%y %H:%M",
    "%d/%m/%y",
    "%d %B %Y",
    "%d %b %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
]  # as UK spreadsheets write them; 3/15/2026 (American) is not guessed
EMAIL_IN_TEXT = re.compile(r"[^\s@,;:<>()\[\]\"']+@[^\s@,;:<>()\[\]\"']+")
MAX_EMAIL_LENGTH = Voice._meta.get_field("sender_email").max_length
MAX_POSTCODE_LENGTH = Voice._meta.get_field("postcode").max_length
MAX_PHONE_LENGTH = Person._meta.get_field("phone").max_length
FORMULA = re.compile(r"^[=@\t\r]|^[+\-](?![\d\s(]*$)")


def neutralise(value: str) -> tuple[str, bool]:
    """A cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if value and FORMULA.match(value):
        return "'" + value, True
    return value, False


class UploadForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="Exported from another casework system.")
    channel = forms.ChoiceField(
        label="How these messages came in",
        choices=Channel.choices,
        initial=Channel.LETTER,
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError("The file is over 10 MB: split it into smaller files.")
        return upload


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]
    # Rows that seem to hold other rows, as a quote left open joins them (`joined_rows`).
    joined: list[str] = field(default_factory=list)


def read_table(data: bytes) -> Table:
    """Decode and split into rows, whatever the line endings (Windows, Unix, old Mac)."""
    text = decode_table(data)
    dialect = csv_dialect(text[:4096])
    try:
        rows = rows_of(text, dialect)
    except csv.Error as error:
        raise ValueError(f"its rows are not laid out as CSV ({error}).") from None
    if len(rows) < 2:
        raise ValueError("The file needs a row of column names and at least one row of data.")
    joined = joined_rows(len(rows[0]), rows[1:], dialect)  # a row run in has the blank cells
    rows = without_blank_columns_at_the_end(rows)
    return Table(column_names(rows[0]), rows[1:], joined)


def column_names(header: list[str]) -> list[str]:
    """The header's names, each once: a blank one is "Column 4", a second "Notes" is
    "Notes (2)", so that every column can be matched."""
    names: list[str] = []
    for index, cell in enumerate(header):
        name = cell.strip() or f"Column {index + 1}"
        count = 1
        while (unique := name if count == 1 else f"{name} ({count})") in names:
            count += 1
        names.append(unique)
    return names


def without_blank_columns_at_the_end(rows: list[list[str]]) -> list[list[str]]:
    """The rows without the columns at the end that are blank in every row, the names'
    too (Excel writes ",,," after the last column anything was ever typed in)."""
    width = max(len(row) for row in rows)
    while width > 1 and not any(row[width - 1].strip() for row in rows if len(row) >= width):
        width -= 1
    return [row[:width] for row in rows]


def joined_rows(
    width: int, rows: list[list[str]], dialect: type[csv.Dialect] | csv.Dialect
) -> list[str]:
    """Where a row's cell holds lines laid out like the file's rows, a quote opened in that
    row was probably closed only by a quote in a later row, and the rows between went into
    the cell. A cell with line breaks is common (notes), so a line counts only when it has
    as many cells as the file has columns (three or more) and the columns written one way in
    most rows ("NB1 2AB", "CW-1042", "02/11/2026") are mostly written that way in it, with
    a space after each comma only if the rows have one (a log of "12/03/2026, rang, no
    answer" is prose)."""
    if width < 3:
        return []
    usual = usual_shapes(width, rows)
    if not usual:
        return []
    rows_spaced = sum(map(spaced, rows)) > len(rows) / 2
    found = []
    for number, row in enumerate(rows, start=2):
        lines = [line for cell in row for line in cell.splitlines()[1:]]
        like_rows = [
            line
            for line in lines
            if len(cells := next(csv.reader([line], dialect), [])) == width
            and spaced(cells) == rows_spaced
            and written_as_usual(cells, usual)
        ]
        if like_rows:
            found.append(
                f"Row {number} holds {len(like_rows)} "
                f"{'line' if len(like_rows) == 1 else 'lines'} laid out like rows of their own "
                f"(“{like_rows[0][:60]}”)"
            )
    return found


def written_as_usual(cells: list[str], usual: dict[int, str]) -> bool:
    """Whether at least two thirds of the columns usually written one way are written that
    way in these cells (a notes column of a few rows can look usual by chance)."""
    alike = sum(cell_shape(cells[column]) == shape for column, shape in usual.items())
    return alike >= math.ceil(2 * len(usual) / 3)


def usual_shapes(width: int, rows: list[list[str]]) -> dict[int, str]:
    """The columns written one way in at least 60% of rows, and that way (a column left
    empty in most rows is not one of them, nor one of cells over several lines, which no
    line is written as; a file of one row has its own)."""
    usual = {}
    for column in range(width):
        shapes = Counter(cell_shape(row[column]) for row in rows if column < len(row))
        shape, count = shapes.most_common(1)[0] if shapes else ("", 0)
        if shape and "\n" not in shape and count >= 0.6 * len(rows):
            usual[column] = shape
    return usual


def rows_of(text: str, dialect: type[csv.Dialect] | csv.Dialect) -> list[list[str]]:
    """The rows with anything in them. Where the last row ran over several lines to the end
    of a file with an odd number of quotes, a quote was never closed and the rest of the
    file went into one cell: that is an error, not a row."""
    reader = csv.reader(io.StringIO(text, newline=None), dialect)
    rows, first_line, last_row_lines = [], 1, (1, 1)
    for row in reader:
        if any(cell.strip() for cell in row):
            rows.append(row)
        last_row_lines, first_line = (first_line, reader.line_num), reader.line_num + 1
    quotes_unbalanced = text.count(dialect.quotechar or '"') % 2 == 1
    if quotes_unbalanced and last_row_lines[1] > last_row_lines[0]:
        raise ValueError(
            f"a quote opened on line {last_row_lines[0]} is never closed, so every line "
            "after it reads as one cell. Close the quote (or delete it) and upload the file again."
        )
    return rows


def decode_table(data: bytes) -> str:
    """UTF-8 with or without BOM, UTF-16 (Excel's "Unicode Text"), else Windows-1252."""
    if data.startswith(WORKBOOK_SIGNATURES):
        raise ValueError(
            "it is an Excel workbook (or another spreadsheet's), not a CSV file. In Excel, "
            "choose File › Save As › CSV UTF-8 (Comma delimited), then upload that file."
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        text = decode_bytes(data.removeprefix(b"\xef\xbb\xbf"), None)
    if not looks_like_text(text):
        raise ValueError(
            "it is not text: it may be a picture, a PDF or another program's own file. Open "
            "it in the program that made it, save it as CSV, then upload that file."
        )
    return text.replace("\x00", "")  # a database cannot store it; it is never meant


def looks_like_text(text: str) -> bool:
    """Whether at most 1 in 20 of the first characters (or 2, in a short file) is a control
    character other than tab and line breaks, or one that could not be decoded: about 1 in
    8 of random bytes is."""
    sample = text[:4096]
    odd = sum(1 for char in sample if (char < " " and char not in "\t\r\n") or char == "\ufffd")
    return odd <= max(2, len(sample) // 20)


def guess_mapping(columns: list[str]) -> dict[str, str]:
    mapping = {}
    for target, names in GUESSES.items():
        for column in columns:
            if column.strip().lower() in names:
                mapping[target] = column
                break
    return mapping


@dataclass
class ImportResult:
    imported: int = 0
    duplicates: int = 0
    neutralised: int = 0
    problems: list[str] = field(default_factory=list)
    unread_dates: list[str] = field(default_factory=list)

    def unread_dates_line(self) -> str:
        if not self.unread_dates:
            return ""
        count = len(self.unread_dates)
        dates = "1 date" if count == 1 else f"{count} dates"
        return (
            f"{dates} could not be read, so those rows are dated the day of the import: "
            f"{'; '.join(self.unread_dates[:5])}{' …' if count > 5 else ''}."
        )


def row_values(table: Table, row: list[str], mapping: dict[str, str]) -> dict[str, str]:
    values = {}
    for target, column in mapping.items():
        if column in table.columns:
            index = table.columns.index(column)
            values[target] = row[index].strip() if index < len(row) else ""
    return values


def parse_when(value: str) -> datetime | None:
    for pattern in DATE_FORMATS:
        try:
            return timezone.make_aware(datetime.strptime(value.strip(), pattern))
        except ValueError:
            continue
    return None


def email_in(cell: str) -> tuple[str, str]:
    """The email address in a cell, and a note of what else the cell held, if anything
    ("joan@example.com; j.smith@work.example", "ann at example dot com")."""
    if not cell:
        return "", ""
    found = [address.lower() for address in EMAIL_IN_TEXT.findall(cell) if is_address(address)]
    if found and found[0] == cell.lower():
        return found[0], ""
    if found:
        return found[0], f"The email cell held “{cell[:200]}”; {found[0]} was used."
    return "", f"The email cell held “{cell[:200]}”, which is not an address; it was left out."


def is_address(text: str) -> bool:
    try:
        validate_email(text)
    except ValidationError:
        return False
    return len(text) <= MAX_EMAIL_LENGTH


def postcode_in(cell: str) -> tuple[str, str]:
    """The postcode in a cell, and a note of what else the cell held, if anything (a whole
    address, "not known"); a cell that fits and holds no UK postcode is kept as it is."""
    written = " ".join(cell.upper().split())
    found = find_postcode(cell)
    if found and found.replace(" ", "") == written.replace(" ", ""):
        return found, ""
    if found:
        return found, f"The postcode cell held “{cell[:200]}”; {found} was taken from it."
    if len(written) <= MAX_POSTCODE_LENGTH:
        return written, ""
    return "", f"The postcode cell held “{cell[:200]}”, which is not a postcode; it was left out."


def what_is_lacking(name: str, values: dict[str, str], mapping: dict[str, str]) -> str:
    """Why a row cannot be a voice, in the words of its columns, or "" when it can."""
    if not (values["body"] or values["subject"]):
        columns = " or ".join(mapping[key] for key in ("body", "subject") if key in mapping)
        if not columns:
            return "no column is matched as the message or the subject"
        return f"the message ({columns}) is empty"
    if not (name or values.get("email")):
        return "no name or email, so no one to reply to"
    return ""


def import_rows(
    office: Office,
    table: Table,
    mapping: dict[str, str],
    channel: str,
    source: str,
    user: object,
    dry_run: bool,
) -> ImportResult:
    result = ImportResult()
    received = []
    with transaction.atomic():
        for number, row in enumerate(table.rows, start=2):
            values = row_values(table, row, mapping)
            notes = []
            for key in ("name", "first_name", "last_name", "subject", "body", "postcode"):
                values[key], changed = neutralise(values.get(key, ""))
                if changed:
                    result.neutralised += 1
                    notes.append(
                        f"The {key.replace('_', ' ')} began like a spreadsheet formula; "
                        "it was kept as text with a leading apostrophe."
                    )
            name = values["name"] or " ".join(
                filter(None, [values["first_name"], values["last_name"]])
            )
            if lacking := what_is_lacking(name, values, mapping):
                result.problems.append(f"Row {number}: {lacking}.")
                continue
            when: datetime | None = None  # received now; imported again, still the same row
            if values.get("received"):
                parsed = parse_when(values["received"])
                if parsed is None or parsed > timezone.now():
                    notes.append(f"The date “{values['received']}” could not be read.")
                    result.unread_dates.append(f"Row {number}: “{values['received']}”")
                else:
                    when = parsed
            email, email_note = email_in(values.get("email", ""))
            postcode, postcode_note = postcode_in(values["postcode"])
            notes.extend(filter(None, [email_note, postcode_note]))
            incoming = IncomingMessage(
                sender_name=name[:200],
                sender_email=email,
                subject=(values["subject"] or values["body"][:80])[:300],
                body=values["body"],
                postcode=postcode,
                sent_at=when,
                notes=notes,
            )
            voice = receive(
                office,
                incoming,
                channel=channel,
                source=f"{source} row {number}",
                user=user,
                acknowledge=False,
            )
            if voice is None:
                result.duplicates += 1
                continue
            result.imported += 1
            received.append(voice)
            if voice.person and values.get("phone"):
                add_contact_details(voice.person, values["phone"][:MAX_PHONE_LENGTH])
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run:
        analysis.analyse(received)
    return result


def session_key(token: str) -> str:
    return f"voices-csv-{token}"


# An upload is imported within the session that made it, which ends after a working day
# without a page opened (`SESSION_IDLE_HOURS`); one still here a day later was left.
ABANDONED_AFTER = timedelta(days=1)


def delete_abandoned_uploads(office: Office) -> int:
    """Delete the office's spreadsheets uploaded but never imported more than a day ago:
    they hold people's details, and no record, retention rule or erasure points to them.
    Return how many were deleted."""
    folder = f"imports/{office.pk}"
    try:
        names = default_storage.listdir(folder)[1]
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - ABANDONED_AFTER
    old = [f"{folder}/{name}" for name in names]
    old = [path for path in old if default_storage.get_modified_time(path) < cutoff]
    for path in old:
        default_storage.delete(path)
    return len(old)


@staff_required()
def upload(request: HttpRequest) -> HttpResponse:
    require_edit(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            read_table(data)
        except (ValueError, csv.Error) as error:
            form.add_error("file", f"This file cannot be read as CSV: {error}")
        else:
            delete_abandoned_uploads(request.office)
            token = secrets.token_urlsafe(12)
            path = default_storage.save(
                f"imports/{request.office.pk}/{token}.csv", ContentFile(data)
            )
            request.session[session_key(token)] = {
                "path": path,
                "name": form.cleaned_data["file"].name[:100],
                "office": request.office.pk,
                "channel": form.cleaned_data["channel"],
            }
            return redirect("voices:csv_mapping", token)
    return render(request, "voices/csv_upload.html", {"form": form})


@staff_required()
def mapping(request: HttpRequest, token: str) -> HttpResponse:
    require_edit(request)
    stored = request.session.get(session_key(token))
    if not stored or stored["office"] != request.office.pk:
        raise Http404("This import has expired; upload the file again.")
    with default_storage.open(stored["path"], "rb") as handle:
        table = read_table(handle.read())
    chosen = guess_mapping(table.columns)
    result = None
    if request.method == "POST":
        chosen = {
            target: request.POST.get(f"map_{target}", "")
            for target, _ in TARGETS
            if request.POST.get(f"map_{target}", "") in table.columns
        }
        dry_run = request.POST.get("action") != "import"
        result = import_rows(
            request.office, table, chosen, stored["channel"], stored["name"], request.user, dry_run
        )
        if not dry_run:
            audit(
                request,
                AuditAction.CREATE,
                request.office,
                f"Imported {result.imported} rows from {stored['name']}",
            )
            default_storage.delete(stored["path"])
            del request.session[session_key(token)]
            messages.success(request, import_message(result))
            return redirect("voices:inbox")
    preview = [
        [neutralise(row_values(table, row, chosen).get(target, ""))[0] for target, _ in TARGETS]
        for row in table.rows[:PREVIEW_ROWS]
    ]
    return render(
        request,
        "voices/csv_mapping.html",
        {
            "token": token,
            "name": stored["name"],
            "columns": table.columns,
            "targets": TARGETS,
            "fields": [(target, label, chosen.get(target, "")) for target, label in TARGETS],
            "preview": preview,
            "row_count": len(table.rows),
            "joined": table.joined,
            "result": result,
        },
    )


def import_message(result: ImportResult) -> str:
    text = f"Imported {result.imported}, duplicates {result.duplicates}."
    if result.problems:
        rows = "1 row was" if len(result.problems) == 1 else f"{len(result.problems)} rows were"
        text += f" {rows} not imported: {'; '.join(result.problems[:5])}"
    if result.neutralised:
        count = result.neutralised
        cells = (
            "1 cell that looked like a formula was"
            if count == 1
            else f"{count} cells that looked like formulas were"
        )
        text += f" {cells} made safe."
    if result.unread_dates:
        text += f" {result.unread_dates_line()}"
    return text
