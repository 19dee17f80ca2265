"""Cells safe to open in a spreadsheet: no formula runs, and nothing Excel refuses.

Citizens' words reach exports; a cell that starts `=HYPERLINK(...)` would run as a formula
in Excel or LibreOffice, even behind a few spaces. Such text gets a leading apostrophe,
which a spreadsheet shows as text.
"""

from __future__ import annotations

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CELL_LIMIT = 32_767  # characters Excel holds in one cell
CUT_NOTE = " […cut at Excel's limit; the CSV download holds it whole]"


def safe_cell(value: object) -> object:
    """`value`, with text that a spreadsheet would run as a formula made plain text."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS) or value.lstrip(" \u00a0").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def written_text(cell: str) -> str:
    """The text a `safe_cell` was made from: a file exported here and imported again
    reads as it was written."""
    if cell.startswith("'") and safe_cell(cell[1:]) == cell:
        return cell[1:]
    return cell


def xlsx_cell(value: object) -> object:
    """`safe_cell`, without the control characters an XLSX file cannot hold, and cut to
    the length of an Excel cell."""
    value = safe_cell(value)
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > XLSX_CELL_LIMIT:
        value = value[: XLSX_CELL_LIMIT - len(CUT_NOTE)] + CUT_NOTE
    return value
