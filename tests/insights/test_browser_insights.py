"""In real Chromium: the leader reads the four behaviours, finds a gap, acts on it, and
downloads the weekly briefing."""

from typing import Any

import pytest

from compassion.core import demo
from compassion.insights.models import Action
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_leader_finds_a_gap_turns_it_into_an_action_and_gets_the_briefing(
    page: Any, live_server: Any
) -> None:
    demo.build_demo_office(seed=11, people=600, messages=2000)
    log_in(page, live_server, "amira", demo.DEMO_PASSWORD)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Insights").click()
    page.wait_for_url("**/insights/")  # and for the page to load: counts below do not wait
    assert page.get_by_role("heading", level=1).inner_text().startswith("How well the office")
    for behaviour in ("Attending", "Understanding", "Empathizing", "Helping"):
        assert page.get_by_role("heading", name=behaviour, level=2).is_visible()
    share = page.locator('[data-figure="ack_share"]').inner_text()
    assert share.endswith("%") and 0 < int(share[:-1]) <= 100
    assert page.locator("svg.chart").count() >= 7
    page.get_by_text("The figures behind this chart").first.click()
    assert page.locator("details[open] table").first.is_visible()

    page.get_by_role("navigation", name="Insights").get_by_role("link", name="Equity audit").click()
    page.wait_for_url("**/insights/equity/")
    gaps = page.locator(".gap-card")
    assert gaps.count() >= 1
    first = gaps.first.inner_text()
    assert "95% confidence interval" in first
    assert " points (" in first or " hours (" in first
    gaps.first.get_by_role("link", name="Turn into an action").click()

    assert page.get_by_label("Title").input_value().startswith("Close the gap")
    page.get_by_label("Who owns it").select_option(label="Dan Okoro")
    page.get_by_role("button", name="Open the action").click()
    assert "Action opened" in page.get_by_role("status").inner_text()
    action = Action.objects.get()
    assert action.owner.username == "dan" and "confidence interval" in action.evidence

    page.get_by_role("navigation", name="Insights").get_by_role(
        "link", name="Weekly briefing"
    ).click()
    page.wait_for_url("**/insights/briefing/")
    assert page.get_by_role("heading", name="Suggested actions").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the briefing as PDF").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_a_caseworker_does_not_see_insights(page: Any, live_server: Any, cast: Any) -> None:
    log_in(page, live_server, "charlie")
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="Insights").count() == 0
    response = page.goto(f"{live_server.url}/insights/")
    assert response.status == 403
