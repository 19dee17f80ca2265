"""Exports never let a cell run as a formula in a spreadsheet."""

import io

from openpyxl import load_workbook

from compassion.insights import exports
from compassion.insights.tables import Table

TABLE = Table(
    "t",
    "Messy: [table]/name?",
    ["Area", "Count"],
    [['=HYPERLINK("http://evil")', 3], ["+44 7700", -2], ["@SUM(A1)", None], ["Plain", 1.5]],
    note="-note",
)


def test_it_escapes_formulas_in_csv() -> None:
    text = exports.as_csv(TABLE).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+44 7700" in text and "'@SUM(A1)" in text
    assert ",-2" in text  # numbers stay numbers
    assert "\n=" not in text


def test_it_escapes_formulas_in_xlsx() -> None:
    sheet = load_workbook(io.BytesIO(exports.as_xlsx(TABLE))).active
    values = [row[0].value for row in sheet.iter_rows(min_row=2, max_row=5)]
    assert values == ['\'=HYPERLINK("http://evil")', "'+44 7700", "'@SUM(A1)", "Plain"]
    assert sheet.cell(row=3, column=2).value == -2
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet.title == "Messy tablename"


def test_an_xlsx_takes_control_characters_long_text_and_formulas_behind_spaces() -> None:
    """A citizen's words pasted from anywhere: a form feed, a 40,000-character letter, and a
    formula hidden behind spaces. openpyxl refuses the first, Excel cuts the second, and
    the third would run."""
    table = Table(
        "t",
        "Quotes",
        ["Quote"],
        [["Page one\x0cPage two\x00"], ["word " * 8_000], ['  =HYPERLINK("http://evil")']],
    )
    sheet = load_workbook(io.BytesIO(exports.as_xlsx(table))).active
    first, long, hidden = (row[0].value for row in sheet.iter_rows(min_row=2, max_row=4))
    assert first == "Page onePage two"
    assert len(long) == 32_767 and long.endswith("the CSV download holds it whole]")
    assert hidden == '\'  =HYPERLINK("http://evil")'
    csv_text = exports.as_csv(table).decode("utf-8-sig")
    assert "'  =HYPERLINK" in csv_text and ("word " * 8_000).strip() in csv_text
