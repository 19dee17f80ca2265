"""In real Chromium: a caseworker imports a spreadsheet from another casework system, is
warned of rows that a quote left open ran together, tries a dry run, then imports."""

from typing import Any

import pytest

from compassion.voices.models import Voice
from tests.conftest import Cast, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPORT = (
    "Name,Email,Postcode,Notes\r\n"
    'Ann Lee,ann@example.com,NB1 2AB,"The damp is back\r\n'
    "Sue Bell,sue@example.com,NB1 3CD,Parking on the verge\r\n"
    'Tom Ray,tom@example.com,NB2 1AA,"Bins"\r\n'
    "Joan Smith,joan@example.com,NB1 4EF,The roof leaks again\r\n"
)


def test_a_caseworker_imports_a_spreadsheet_after_a_warning_and_a_dry_run(
    page: Any, live_server: Any, cast: Cast, tmp_path: Any
) -> None:
    page.set_default_timeout(60_000)  # the server's first page loads every app (and the lens)
    export = tmp_path / "old-system.csv"
    export.write_bytes(EXPORT.encode("utf-8"))
    log_in(page, live_server, "charlie")
    page.goto(f"{live_server.url}/inbox/import/")
    page.get_by_label("CSV file").set_input_files(str(export))
    page.get_by_role("button", name="Upload and preview").click()

    page.wait_for_selector("h1:has-text('Match the columns')")
    warning = page.locator("[data-joined-rows]")
    assert "Row 2 holds 2 lines laid out like rows of their own" in warning.inner_text()
    assert page.get_by_label("Full name").input_value() == "Name"
    assert page.get_by_label("Message or notes").input_value() == "Notes"
    page.get_by_role("button", name="Dry run").click()
    assert "Would import 2," in page.locator("[data-dry-run]").inner_text()
    assert not Voice.objects.filter(sender_email="ann@example.com").exists()

    page.get_by_role("button", name="Import").click()
    page.wait_for_url("**/inbox/")
    assert "Imported 2, duplicates 0." in page.get_by_role("status").first.inner_text()
    assert Voice.objects.filter(office=cast.office, sender_email="joan@example.com").count() == 1


EUROPEAN_EXPORT = (
    "Name;Email;Postcode;Notes;;\r\n"
    'Ann Lee;ann@example.com;Flat 3, 12 High Street, Northby NB1 2AB;"Owes £250,50; rang.\r\n'
    '12/03/2026, rang, no answer";;\r\n'
    "Sue Bell;sue@example.com;NB1 3CD;;;\r\n"
    "Joan Smith;joan@example.com;NB1 4EF;The roof leaks again;;\r\n"
    ";;;;;\r\n"
)


def test_a_caseworker_imports_an_excel_export_from_europe_and_is_told_what_a_row_lacks(
    page: Any, live_server: Any, cast: Cast, tmp_path: Any
) -> None:
    page.set_default_timeout(60_000)
    export = tmp_path / "export-europe.csv"
    export.write_bytes(EUROPEAN_EXPORT.encode("cp1252"))
    log_in(page, live_server, "charlie")
    page.goto(f"{live_server.url}/inbox/import/")
    page.get_by_label("CSV file").set_input_files(str(export))
    page.get_by_role("button", name="Upload and preview").click()

    page.wait_for_selector("h1:has-text('Match the columns')")
    assert "3 rows." in page.locator(".lede").inner_text()
    assert page.locator("[data-joined-rows]").count() == 0
    assert page.get_by_label("Postcode").input_value() == "Postcode"
    assert "Column 5" not in page.get_by_label("Postcode").inner_text()
    page.get_by_role("button", name="Dry run").click()
    dry_run = page.get_by_role("status").first.inner_text()
    assert "Would import 2, duplicates 0, rows with problems 1" in dry_run
    assert "Row 3: the message (Notes) is empty." in dry_run  # as Excel numbers rows

    page.get_by_role("button", name="Import").click()
    page.wait_for_url("**/inbox/")
    assert "Imported 2, duplicates 0." in page.get_by_role("status").first.inner_text()
    ann = Voice.objects.get(office=cast.office, sender_email="ann@example.com")
    assert (ann.postcode, ann.body) == (
        "NB1 2AB",
        "Owes £250,50; rang.\n12/03/2026, rang, no answer",
    )
