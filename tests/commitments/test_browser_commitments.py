"""In real Chromium: the leader records a commitment from a campaign, plans it, takes stock
twice and changes its status; a manager approves; a citizen without an account sees it."""

from typing import Any

import pytest
from django.utils import timezone

from compassion.commitments.models import (
    Commitment,
    Notice,
    PublicStatus,
    StatusChange,
    Stocktake,
)
from compassion.core.models import Person, Role
from tests.conftest import log_in, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "The council agreed a repair programme for the library roof and hours."
EVIDENCE = "https://www.northby.gov.uk/decisions/library-2026"


def take_stock(page: Any, likelihood: str, progress: str, reason: str) -> None:
    page.get_by_role("link", name="Take stock").click()
    page.get_by_label(likelihood).check()
    page.get_by_label("Progress since the last stocktake").fill(progress)
    page.get_by_label("Why this judgement").fill(reason)
    page.get_by_role("button", name="Record the stocktake").click()
    page.wait_for_load_state()


def test_it_tracks_a_promise_from_campaign_to_public_page(
    page: Any, browser: Any, live_server: Any, cast: Any, campaign: Any
) -> None:
    log_in(page, live_server, "alice")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Commitments").click()
    page.wait_for_url("**/commitments/")
    assert page.get_by_role("heading", level=1).inner_text() == "Commitments"

    # Record it from the campaign (the inbox links here with ?campaign=).
    page.goto(f"{live_server.url}/commitments/new/?campaign={campaign.pk}")
    assert page.get_by_label("Title").input_value() == "Save Eastfield Library"
    assert page.get_by_label("Save Eastfield Library").is_checked()
    page.get_by_label("Wording").fill("I will keep Eastfield Library open five days a week.")
    page.get_by_label("Deadline").fill("2027-06-30")
    page.get_by_label("What is counted").fill("opening days a week")
    page.get_by_label("Target value").fill("5")
    page.get_by_label("Starting value").fill("3")
    page.get_by_role("button", name="Record the commitment").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Save Eastfield Library"
    assert "1 person asked for it" in page.locator("main").inner_text()

    # Plan it: a milestone and the trajectory.
    page.get_by_role("textbox", name="Milestone").fill("Present the petition to full council")
    page.get_by_label("Due on").fill("2026-12-10")
    page.get_by_role("button", name="Add the milestone").click()
    page.get_by_label("Date", exact=True).fill(timezone.localdate().isoformat())
    page.get_by_label("Planned value").fill("4")
    page.get_by_label("Actual value").fill("3")
    page.get_by_role("button", name="Add to the trajectory").click()
    assert page.locator("svg.trajectory title").text_content().startswith("Trajectory of")

    # Two stocktakes; both are kept.
    take_stock(page, "Amber-red", "The council has not decided.", "The budget vote is late.")
    take_stock(page, "Amber-green", "Petition presented.", "Cabinet member supports it.")
    stocktakes = page.get_by_role("region", name="Stocktakes").inner_text()
    assert "The council has not decided." in stocktakes and "Petition presented." in stocktakes
    assert Stocktake.objects.count() == 2

    # Change the public status; it waits for a second person.
    page.get_by_role("link", name="Change the public status").click()
    page.get_by_label("In the works").check()
    page.get_by_label("Evidence link").fill(EVIDENCE)
    page.get_by_label("Editor's note").fill(NOTE)
    page.get_by_role("button", name="Propose the change").click()
    assert "waiting for a second person" in page.locator(".messages").inner_text()

    commitment = Commitment.objects.get()
    manager = browser.new_context().new_page()
    log_in(manager, live_server, "mandy")
    manager.goto(f"{live_server.url}/commitments/{commitment.pk}/")
    manager.get_by_role("button", name="Approve and publish").click()
    assert "Approved" in manager.locator(".messages").inner_text()

    # A citizen, without an account, finds it on the public tracker.
    citizen = browser.new_context().new_page()
    citizen.goto(f"{live_server.url}/promises/alice/")
    citizen.get_by_label("Status", exact=True).select_option("in_the_works")
    citizen.get_by_role("button", name="Show").click()
    citizen.get_by_role("link", name="Save Eastfield Library").click()
    current = citizen.locator('.meter [aria-current="true"]').inner_text()
    assert current.endswith("In the works")
    history = citizen.get_by_role("region", name="History and evidence").inner_text()
    assert NOTE in history
    evidence = citizen.get_by_role("link", name="Evidence for this change")
    assert evidence.get_attribute("href") == EVIDENCE
    main = citizen.locator("main").inner_text()
    assert "Joan" not in main and "NE-26-00042" not in main
    assert "The council has not decided." not in main  # stocktake notes stay inside the office
    feed = citizen.request.get(f"{live_server.url}/promises/alice/feed.atom").text()
    assert "Save Eastfield Library: now in the works" in feed and NOTE in feed
    citizen.screenshot(path="/tmp/commitments-public-detail.png", full_page=True)


def test_a_caseworker_is_told_who_reviews_a_colleagues_change_of_status(
    page: Any, browser: Any, live_server: Any, cast: Any, commitment: Commitment
) -> None:
    StatusChange.objects.create(
        commitment=commitment,
        from_status=PublicStatus.NOT_RATED,
        to_status=PublicStatus.KEPT,
        evidence_url=EVIDENCE,
        editor_note="Library open 5 days a week from Jan (council decision 12/11)",
        proposed_by=make_user("cara", cast.office, Role.CASEWORKER),
    )
    log_in(page, live_server, "charlie")
    page.goto(f"{live_server.url}/commitments/{commitment.pk}/")
    review = page.locator("#review")
    assert "Library open 5 days a week" in review.inner_text()
    assert review.get_by_role("button").count() == 0
    assert "The leader or the office manager reviews it" in review.inner_text()

    manager = browser.new_context().new_page()
    log_in(manager, live_server, "mandy")
    manager.goto(f"{live_server.url}/commitments/{commitment.pk}/")
    manager.locator("#review").get_by_role("button", name="Approve and publish").click()
    manager.wait_for_load_state()
    manager.context.close()
    commitment.refresh_from_db()
    assert commitment.status == PublicStatus.KEPT


def test_you_said_we_did_says_so_when_nobody_who_asked_has_an_email_address(
    page: Any, live_server: Any, cast: Any, commitment: Commitment
) -> None:
    """Everyone behind it wrote by letter: the page offered 'Send to 0 people', which
    recorded them as told."""
    Person.objects.filter(pk=cast.person.pk).update(email="")
    Commitment.objects.filter(pk=commitment.pk).update(status=PublicStatus.KEPT)
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/commitments/{commitment.pk}/")
    page.get_by_role("link", name="You said, we did").click()
    page.wait_for_url("**/notify/")
    text = page.locator("main").inner_text()
    assert "None of the 1 person who asked for it has an email address" in text
    assert page.get_by_role("button", name="Send to 0 people").count() == 0
    assert page.get_by_role("button").filter(has_text="Send").count() == 0
    assert not Notice.objects.exists()


def test_a_caseworker_is_offered_no_way_to_reword_the_leaders_promise(
    page: Any, live_server: Any, cast: Any, commitment: Commitment
) -> None:
    log_in(page, live_server, "charlie")
    page.goto(f"{live_server.url}/commitments/{commitment.pk}/")
    assert page.get_by_role("link", name="Take stock").is_visible()
    assert page.get_by_role("link", name="Reword").count() == 0
