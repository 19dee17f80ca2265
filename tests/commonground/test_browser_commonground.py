"""In real Chromium: staff open a conversation, a citizen votes from another browser, staff
see the groups and bridging statements update, and the public report shows them."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from compassion.commonground.models import Conversation, Statement, StatementStatus, Vote
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE = "/have-your-say/alice/town-centre/"


def figure(page: Any, name: str) -> int:
    return int(page.locator(f'[data-figure="{name}"]').inner_text().replace(",", ""))


def test_a_vote_from_another_browser_reaches_the_staff_results_and_the_report(
    page: Any, browser: Any, live_server: Any, cast: Any, voted: Conversation
) -> None:
    log_in(page, live_server, "charlie")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Common ground").click()
    page.get_by_role("link", name="Town centre").click()
    page.wait_for_url(f"**/common-ground/{voted.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Town centre"
    assert figure(page, "participants") == 36
    assert figure(page, "groups") == 2
    bridging = page.locator("#bridging-list")
    assert "Northby needs public toilets" in bridging.inner_text()
    assert page.get_by_role("img", name="Opinion map").is_visible()
    # Evidence links open the folded table of every statement at the statement cited.
    evidence = page.locator(".cg-evidence a").first
    cited = evidence.get_attribute("href")
    assert not page.locator(cited).is_visible()
    evidence.click()
    expect(page.locator(cited)).to_be_visible()

    citizen = browser.new_context()
    voter = citizen.new_page()
    voter.goto(live_server.url + PAGE)
    assert voter.get_by_role("heading", level=1).inner_text() == (
        "What should the town centre be like?"
    )
    card = voter.locator("#statement-card")
    for done in range(8):
        expect(card).to_contain_text(f"You have voted on {done} of 8")
        voter.get_by_role("button", name="Agree", exact=True).click()
        # After each vote the next statement (or the thank-you) has the keyboard focus.
        expect(voter.locator("#statement-text")).to_be_focused()
    expect(card).to_contain_text("voted on every statement")

    page.reload()
    assert figure(page, "participants") == 37
    assert figure(page, "votes") == voted.votes().count()

    voter.get_by_role("link", name="See the results so far").first.click()
    voter.wait_for_url("**/town-centre/report/")
    assert voter.get_by_role("heading", level=1).inner_text().startswith("What we heard")
    assert figure(voter, "participants") == 37
    report = voter.locator("#bridging-list").inner_text()
    assert "Northby needs public toilets" in report
    assert "Group A" in report and "Group B" in report
    citizen.close()


def test_a_citizen_adds_a_statement_on_a_phone_and_staff_accept_it(
    page: Any, browser: Any, live_server: Any, cast: Any, conversation: Conversation
) -> None:
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    citizen = phone.new_page()
    citizen.goto(live_server.url + PAGE)
    # One column of large buttons, and nothing wider than the screen.
    boxes = [
        citizen.get_by_role("button", name=name, exact=True).bounding_box()
        for name in ("Agree", "Disagree", "Pass / unsure")
    ]
    assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]
    assert all(box["height"] >= 44 for box in boxes)
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 390
    citizen.get_by_label("Your statement").fill("Put a water fountain in the square.")
    citizen.get_by_role("button", name="Add statement").click()
    citizen.get_by_text("will appear once the office has checked it").wait_for()
    phone.close()

    added = Statement.objects.get(text="Put a water fountain in the square.")
    assert added.status == StatementStatus.PENDING
    log_in(page, live_server, "charlie")
    page.goto(f"{live_server.url}/common-ground/{conversation.pk}/")
    page.get_by_role("link", name="Statements").click()
    page.wait_for_url("**/statements/")  # and for htmx: without it Accept posts the whole page
    page.locator(f"#queue-{added.number}").get_by_role("button", name="Accept").click()
    page.locator(f"#queue-{added.number}").get_by_text("Shown to voters").wait_for()
    added.refresh_from_db()
    assert added.status == StatementStatus.ACCEPTED


def test_the_moderation_table_scrolls_inside_its_box_on_a_phone(
    browser: Any, live_server: Any, cast: Any, conversation: Conversation
) -> None:
    """Its hidden labels ("Priority of #1") once sat where the wide table put them, off the
    right of the screen, and dragged the whole page sideways."""
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = phone.new_page()
    log_in(page, live_server, "charlie")
    page.goto(f"{live_server.url}/common-ground/{conversation.pk}/statements/")
    assert page.evaluate("document.querySelector('table').scrollWidth") > 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()


def test_on_a_phone_a_voter_is_told_the_cap_and_puts_a_mis_tap_right(
    browser: Any, live_server: Any, cast: Any, conversation: Conversation
) -> None:
    conversation.session_cap = 3
    conversation.save()
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    voter = phone.new_page()
    voter.goto(live_server.url + PAGE)
    card = voter.locator("#statement-card")
    expect(card).to_contain_text("You have voted on 0 of 3 statements on this visit (8 in all).")
    # The status line stays in the page while the card is swapped, so it is announced.
    status = voter.locator("#vote-status")
    assert status.get_attribute("role") == "status"
    status.evaluate("element => { element.dataset.first = 'yes'; }")
    voted_on = card.locator("[data-statement]").get_attribute("data-statement")
    voter.get_by_role("button", name="Agree", exact=True).click()
    expect(status).to_have_text("Your vote is recorded: Agree.")
    assert status.get_attribute("data-first") == "yes"
    expect(card).to_contain_text("You have voted on 1 of 3 statements on this visit")

    voter.get_by_role("button", name="Change to Disagree").click()
    expect(status).to_have_text("Your vote is recorded: Disagree.")
    expect(card.locator(".cg-last")).to_contain_text("Your last vote: Disagree")
    assert Vote.objects.get(statement__number=voted_on).value == -1
    expect(card).to_contain_text("You have voted on 1 of 3 statements on this visit")
    assert voter.evaluate("document.documentElement.scrollWidth") <= 390
    voter.screenshot(path="/tmp/commonground-vote-changed-phone.png")

    for _ in range(2):
        voter.get_by_role("button", name="Pass / unsure", exact=True).click()
        expect(voter.locator("#statement-text")).to_be_focused()
    expect(card).to_contain_text("you have voted on 3 statements on this visit")
    expect(card).to_contain_text("You can vote on the other 5 from")
    phone.close()


def test_a_volunteer_reads_the_queue_without_a_participants_contact_details(
    page: Any, browser: Any, live_server: Any, cast: Any, conversation: Conversation
) -> None:
    """A participant who writes their phone number or email into a statement trusts the
    moderators with it: a read-only volunteer, who cannot moderate, does not see it."""
    conversation.add_statement(
        "Ask the traders on Bridge St,, ring me on 07700 900123 or email "
        "sue.baker@example.com and I'll tell u what we need!!"
    )
    conversation.add_statement("Shut the whole place. Call 0191 496 0321 if you disagree")
    Statement.objects.filter(conversation=conversation, number=10).update(
        status=StatementStatus.REJECTED
    )
    log_in(page, live_server, "vic")
    page.goto(f"{live_server.url}/common-ground/{conversation.pk}/statements/")
    queue = page.locator("#queue-9").inner_text()
    assert "Ask the traders on Bridge St" in queue
    assert "[PHONE]" in queue and "[EMAIL]" in queue
    text = page.locator("main").inner_text()
    for detail in ("07700 900123", "sue.baker@example.com", "0191 496 0321"):
        assert detail not in text
    assert page.get_by_role("link", name="Download as a Pol.is export").count() == 0

    moderator = browser.new_context().new_page()
    log_in(moderator, live_server, "charlie")
    moderator.goto(f"{live_server.url}/common-ground/{conversation.pk}/statements/")
    assert "07700 900123" in moderator.locator("#queue-9").inner_text()
    moderator.context.close()
