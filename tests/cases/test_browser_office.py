"""In real Chromium: the manager keeps the agency directory and templates, reads the
systemic obstacles, and answers a subject access request."""

import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from compassion.cases.models import Agency, Obstacle, ReplyTemplate
from tests.cases.conftest import make_case
from tests.conftest import Cast, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_manager_keeps_agencies_and_templates(page: Any, live_server: Any, cast: Cast) -> None:
    log_in(page, live_server, "mandy")
    page.goto(f"{live_server.url}/cases/agencies/")
    page.get_by_role("link", name="Add an agency").click()
    page.get_by_label("Kind").select_option(label="DWP")
    page.get_by_label("Name").fill("Department for Work and Pensions")
    page.get_by_label("Hotline").fill("0808 157 0101")
    page.get_by_label("Address").fill("DWP Correspondence\nWolverhampton WV98 1AA")
    page.get_by_role("button", name="Save").click()
    row = page.get_by_role("row", name="Department for Work and Pensions")
    assert "0808 157 0101" in row.inner_text()

    page.get_by_role("link", name="Templates", exact=True).click()
    page.get_by_role("button", name="Add any missing standard templates and checklists").click()
    assert "Added" in page.get_by_role("status").inner_text()
    page.get_by_role("link", name="Chaser: no reply yet").click()
    page.get_by_label("Body").fill("Dear {{ agency_team }},\n\nA reply please, by Friday.")
    page.get_by_role("button", name="Save as a new version").click()
    assert "version 2" in page.get_by_role("status").inner_text()
    versions = ReplyTemplate.objects.filter(office=cast.office, name="Chaser: no reply yet")
    assert sorted(versions.values_list("version", "is_current")) == [(1, False), (2, True)]

    page.get_by_role("link", name="Checklists").click()
    page.get_by_label("Add a question about housing and repairs").fill("Is anyone pregnant?")
    page.get_by_label("Add a question about housing and repairs").press("Enter")
    housing = page.get_by_role("region", name="Housing and repairs")
    housing.get_by_text("Is anyone pregnant?").wait_for()
    housing.get_by_role("button", name="Remove: Is anyone pregnant?").click()
    # The same address, and the page before showed "Question added."
    expect(page.get_by_role("status")).to_contain_text("Question removed")


def test_the_leader_reads_obstacles_and_exports_a_persons_record(
    page: Any, live_server: Any, cast: Cast, tmp_path: Path
) -> None:
    agency = Agency.objects.create(office=cast.office, kind="dwp", name="DWP")
    for subject in ("PIP refused", "UC stopped"):
        case = make_case(cast.office, cast.person, subject=subject, body=f"{subject}, help.")
        Obstacle.objects.create(
            office=cast.office,
            case=case,
            kind="no_answer",
            agency=agency,
            description="No answer to two letters",
        )
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/cases/obstacles/")
    row = page.get_by_role("row", name="An agency does not answer DWP")
    assert row.get_by_role("cell").last.inner_text() == "2"

    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_role("link", name="Subject access and erasure").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the archive").click()
    saved = tmp_path / "sar.zip"
    download.value.save_as(saved)
    names = zipfile.ZipFile(saved).namelist()
    assert "record.json" in names and "record.pdf" in names


def test_the_manager_sets_policy_and_a_citizen_answers_did_we_help(
    page: Any, live_server: Any, cast: Cast
) -> None:
    from compassion.cases.models import CaseworkPolicy, SatisfactionRequest

    log_in(page, live_server, "mandy")
    page.goto(f"{live_server.url}/cases/settings/")
    page.get_by_label("Anonymise closed cases after (years)").fill("4")
    page.get_by_label("Ask people “Did we help?” after closing their case").uncheck()
    page.get_by_role("button", name="Save").click()
    assert "Casework settings saved" in page.get_by_role("status").inner_text()
    policy = CaseworkPolicy.for_office(cast.office)
    assert policy.anonymise_after_years == 4 and not policy.ask_satisfaction

    case = make_case(cast.office, cast.person, status="closed", outcome="helped")
    asked = SatisfactionRequest.objects.create(case=case, token="a-private-token-123")
    citizen = page.context.browser.new_context().new_page()
    citizen.goto(f"{live_server.url}/cases/feedback/{asked.token}/")
    citizen.get_by_label("Partly").check()
    citizen.get_by_label("Anything you would like to tell us (optional)").fill("Kind but slow.")
    citizen.get_by_role("button", name="Send").click()
    assert "Thank you" in citizen.get_by_role("status").inner_text()
    asked.refresh_from_db()
    assert asked.answer == "partly" and asked.comment == "Kind but slow."


def test_a_new_office_without_caseworkers_is_not_told_everyone_is_at_capacity(
    page: Any, live_server: Any, cast: Cast
) -> None:
    log_in(page, live_server, "bob")  # the leader of an office with no other staff yet
    page.goto(f"{live_server.url}/cases/team/")
    main = page.get_by_role("main")
    expect(main).not_to_contain_text("at capacity")
    expect(main).to_contain_text("No caseworkers yet")
    main.get_by_role("link", name="add them under Staff").click()
    page.wait_for_url("**/staff/")
