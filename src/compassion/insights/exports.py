"""CSV and XLSX downloads of a table, safe against spreadsheet formula injection."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from compassion.core.spreadsheets import safe_cell, xlsx_cell
from compassion.insights.tables import Table


def as_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(c) for c in table.columns])
    for row in table.rows:
        writer.writerow([safe_cell("" if cell is None else cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.title[:31].translate(str.maketrans("", "", "[]:*?/\\")) or "Table"
    sheet.append([xlsx_cell(c) for c in table.columns])
    for row in table.rows:
        sheet.append([xlsx_cell(cell) for cell in row])
    if table.note:
        sheet.append([])
        sheet.append([xlsx_cell(table.note)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
