"""Importing area deprivation deciles from a CSV, all or nothing, with plain error messages."""

from __future__ import annotations

import csv
import io

from django.db import transaction

from compassion.core.models import Office
from compassion.insights.models import AreaDeprivation

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
AREA_HEADERS = {"area", "ward", "postcode district", "district", "lsoa name", "area name"}
DECILE_HEADERS = {"decile", "imd decile", "index of multiple deprivation decile", "imd_decile"}
UNSAFE_STARTS = ("=", "+", "-", "@", "\t", "\r")


class AreaFileError(ValueError):
    """The file cannot be imported; the message says why in plain words."""


def read_text(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise AreaFileError("The file is larger than 2 MB; a list of areas should be far smaller.")
    if b"\x00" in raw:
        raise AreaFileError("The file is not readable text; save it as CSV (UTF-8) and try again.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AreaFileError("The file is not readable text; save it as CSV (UTF-8) and try again.")


def column(headers: list[str], names: set[str], what: str) -> int:
    cleaned = [h.strip().lower() for h in headers]
    for index, header in enumerate(cleaned):
        if header in names:
            return index
    raise AreaFileError(
        f"No {what} column: the first row must name the columns, for example "
        f"'area,decile'. The file's first row was: {', '.join(headers)[:120]}."
    )


def parse(raw: bytes) -> list[tuple[str, int]]:
    """Rows of (area, decile); raises AreaFileError naming the first bad line."""
    text = read_text(raw)
    rows = list(csv.reader(io.StringIO(text)))
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if len(rows) < 2:
        raise AreaFileError("The file has no areas in it: a header row and one row per area.")
    if len(rows) > MAX_ROWS:
        raise AreaFileError(f"The file has more than {MAX_ROWS:,} rows.")
    area_at = column(rows[0], AREA_HEADERS, "area")
    decile_at = column(rows[0], DECILE_HEADERS, "decile")
    seen: dict[str, int] = {}
    for line, row in enumerate(rows[1:], start=2):
        if len(row) <= max(area_at, decile_at):
            raise AreaFileError(f"Line {line} has fewer columns than the header.")
        area, decile_text = row[area_at].strip(), row[decile_at].strip()
        if not area:
            raise AreaFileError(f"Line {line} has no area name.")
        if area.startswith(UNSAFE_STARTS):
            raise AreaFileError(
                f"Line {line}: the area {area[:40]!r} starts with {area[0]!r}, which a "
                "spreadsheet would run as a formula; remove it and try again."
            )
        if len(area) > 100:
            raise AreaFileError(f"Line {line}: the area name is longer than 100 characters.")
        try:
            decile = int(decile_text)
        except ValueError:
            raise AreaFileError(
                f"Line {line}: the decile {decile_text[:20]!r} is not a whole number from 1 to 10."
            ) from None
        if not 1 <= decile <= 10:
            raise AreaFileError(f"Line {line}: the decile {decile} is not between 1 and 10.")
        key = area.upper()
        if key in seen and seen[key] != decile:
            raise AreaFileError(f"Line {line}: {area} appears twice with different deciles.")
        seen[key] = decile
    return [(row[area_at].strip(), int(row[decile_at])) for row in rows[1:]]


@transaction.atomic
def replace_areas(office: Office, rows: list[tuple[str, int]], source: str) -> int:
    """Replace the office's deciles with the file's, all or nothing."""
    AreaDeprivation.objects.filter(office=office).delete()
    unique = {}
    for area, decile in rows:
        kind = AreaDeprivation.kind_of(area)
        name = area.upper() if kind == "district" else area
        unique[(kind, name.lower())] = AreaDeprivation(
            office=office, kind=kind, area=name, decile=decile, source=source[:200]
        )
    AreaDeprivation.objects.bulk_create(unique.values())
    return len(unique)
