"""In real Chromium: the manager imports area deciles, prepares voices for a speech, and a
citizen reads the public "you said, we did" page without logging in."""

from typing import Any

import pytest
from playwright.sync_api import expect

from compassion.cases.models import Case
from compassion.core.models import Consent, ConsentPurpose
from compassion.insights.models import AreaDeprivation
from compassion.voices.models import Campaign
from tests.conftest import log_in
from tests.insights import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_manager_imports_deciles_and_gets_a_clear_error_for_a_bad_file(
    page: Any, live_server: Any, cast: Any, tmp_path: Any
) -> None:
    page.set_default_timeout(60_000)  # the server's first page loads every app (and the lens)
    log_in(page, live_server, "mandy")
    page.goto(f"{live_server.url}/insights/areas/")
    bad = tmp_path / "bad.csv"
    bad.write_text("area,decile\nEastfield,worst\n")
    page.get_by_label("CSV file of areas and deciles").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    assert "not a whole number from 1 to 10" in page.get_by_role("alert").inner_text()

    good = tmp_path / "imd.csv"
    good.write_text("Ward,IMD decile\nEastfield,1\nNB4,7\n")
    page.get_by_label("CSV file of areas and deciles").set_input_files(str(good))
    page.get_by_label("Where the deciles come from").fill("IMD 2019")
    page.get_by_role("button", name="Import").click()
    assert "Imported deprivation deciles for 2 areas" in page.get_by_role("status").inner_text()
    expect(page.get_by_role("rowheader", name="Eastfield")).to_be_visible()
    assert AreaDeprivation.objects.filter(office=cast.office).count() == 2


def test_the_leader_gathers_voices_for_a_speech(page: Any, live_server: Any, cast: Any) -> None:
    for words in ("The damp made my son ill", "We have waited two years for a repair"):
        who = factories.person(cast.office)
        Consent.objects.create(person=who, purpose=ConsentPurpose.QUOTE, given=True)
        factories.case(cast.office, who, theme="housing", days_ago=12, heard=words)
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/insights/voices/")
    page.get_by_label("Theme").select_option(label="Housing and repairs")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**theme=housing**")  # the page opened on a theme already
    assert page.locator('[data-figure="people"]').inner_text() == "2"
    quotes = page.locator("blockquote").all_inner_texts()
    assert any("The damp made my son ill" in quote for quote in quotes)
    assert page.get_by_role("link", name="PNG of Messages about housing and repairs").count() == 1


def test_a_citizen_reads_you_said_we_did(page: Any, live_server: Any, cast: Any) -> None:
    for _ in range(11):
        factories.case(
            cast.office, factories.person(cast.office), theme="transport", outcome="helped"
        )
    page.goto(f"{live_server.url}/you-said-we-did/{cast.office.slug}/")
    assert page.get_by_role("heading", level=1).inner_text() == "You said, we did"
    row = page.get_by_role("row", name="Transport")
    assert "about 10" in row.inner_text()
    assert "Joan" not in page.content()


def test_the_share_acknowledged_in_time_reads_the_same_on_insights_and_the_caseload_page(
    page: Any, live_server: Any, cast: Any
) -> None:
    """Campaign letters all get the campaign's reply within the hour: counted in, they lifted
    the insights figure above the caseload page's (81% against 75% in the demo office) for
    the same words, 'acknowledged within 2 working days'."""
    campaign = Campaign.objects.create(office=cast.office, title="Save the pool")
    for hours in (3, 5, 200, 300):  # two in time, two a week or more late
        factories.case(cast.office, factories.person(cast.office), days_ago=20, ack_hours=hours)
    for _ in range(6):
        letter = factories.case(
            cast.office, factories.person(cast.office), days_ago=20, ack_hours=1
        )
        Case.objects.filter(pk=letter.pk).update(campaign=campaign)
    log_in(page, live_server, "alice")

    page.goto(f"{live_server.url}/insights/")
    assert page.locator('[data-figure="ack_share"]').inner_text() == "50%"
    median = page.locator('[data-figure="ack_median"]').inner_text()
    assert median == "4.3 days"  # of 3, 5, 200 and 300 hours, not of the letters too
    page.goto(f"{live_server.url}/cases/team/")
    assert page.locator('[data-figure="acknowledged_share"]').inner_text() == "50%"


def test_a_new_office_reads_that_the_equity_audit_has_nothing_to_compare_yet(
    page: Any, live_server: Any, cast: Any
) -> None:
    log_in(page, live_server, "bob")  # the leader of an office with no cases yet
    page.goto(f"{live_server.url}/insights/equity/?by=age")
    main = page.get_by_role("main")
    gaps = main.get_by_role("region", name="Gaps that are statistically clear")
    expect(gaps).to_contain_text("Nothing to compare yet: no cases were opened")
    expect(gaps).not_to_contain_text("small groups give wide intervals")
    expect(main).not_to_contain_text("0 comparisons")
    expect(main).not_to_contain_text("0-fold")
    page.goto(f"{live_server.url}/insights/equity/?by=area")  # no deciles imported: no groups
    tables = page.locator("table.audit-table")
    expect(tables).to_have_count(3)
    for table in tables.all():
        expect(table.locator("tbody")).to_have_text("Nothing to compare yet.")


def test_the_briefing_says_its_urgent_list_is_the_oldest_of_more(
    page: Any, live_server: Any, cast: Any
) -> None:
    """'12 urgent cases open' above a table of ten read as if two had gone missing."""
    for days in range(12):
        factories.case(cast.office, factories.person(cast.office), days_ago=days, urgent=True)
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/insights/briefing/")
    urgent = page.get_by_role("region", name="Urgent cases, oldest first")
    expect(urgent.locator("tbody tr")).to_have_count(10)
    expect(urgent).to_contain_text("The 10 oldest of the 12 urgent cases open.")
    urgent.get_by_role("link", name="All 12 in the case list").click()
    page.wait_for_url("**/cases/?status=open&urgent=on")
    expect(page.get_by_role("main")).to_contain_text("12")
