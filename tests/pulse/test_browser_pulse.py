"""In real Chromium: schedule a pulse, answer through the links, see results only from five,
compare the self-view with the team's, act on a low score and find it on "you said, we did"."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import log_in
from tests.pulse.conftest import Team, links_by_email

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer_in_browser(page: Any, server: Any, token: str, level: int, comment: str) -> None:
    page.goto(f"{server.url}/team/answer/{token}/")
    for code in ("q9f", "q9g", "q9h", "q9i"):
        page.locator(f'input[name="{code}"][value="{level}"]').check()
    page.get_by_role("group", name="It is safe to take a risk on this team.").get_by_label(
        "Slightly accurate"
    ).check()
    page.get_by_role("group", name="Do you feel burnt out because of your work?").get_by_label(
        "Somewhat"
    ).check()
    page.get_by_label("What one thing would help you most?").fill(comment)
    page.get_by_role("button", name="Send my answers").click()
    # The answers page, at the same address, has a heading too.
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")


def test_it_runs_a_pulse_from_schedule_to_you_said_we_did(
    page: Any, live_server: Any, team: Team
) -> None:
    log_in(page, live_server, "mandy")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Team").click()
    page.get_by_role("link", name="Schedule pulses").click()
    page.get_by_label("First pulse opens on").fill(timezone.localdate().isoformat())
    page.get_by_label("Days each pulse stays open").fill("7")
    page.get_by_role("button", name="Schedule").click()
    assert "Invitations sent to 6 staff" in page.get_by_role("status").inner_text()
    links = links_by_email()
    assert len(links) == 6

    staff = team.staff
    for index, user in enumerate(staff[:4]):
        answer_in_browser(
            page, live_server, links[user.email], level=2, comment=f"Help number {index}"
        )

    cycles_url = f"{live_server.url}/team/pulses/"
    page.goto(cycles_url)
    page.get_by_role("table").get_by_role("link").first.click()
    assert page.locator('[data-figure="answered"]').inner_text() == "4"
    page.goto(f"{live_server.url}/team/results/")
    assert page.locator("[data-no-results]").is_visible()
    assert "Help number" not in page.content()

    answer_in_browser(
        page, live_server, links[staff[4].email], level=2, comment="More time for casework"
    )
    mail.outbox.clear()
    page.goto(cycles_url)
    page.get_by_role("table").get_by_role("link").first.click()
    page.get_by_role("button", name="Remind those who have not answered").click()
    expect(page.get_by_role("status")).to_contain_text("Reminders sent")  # the mail is sent
    assert [m.to[0] for m in mail.outbox] == [staff[5].email]
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Close the pulse now").click()
    expect(page.get_by_role("status")).to_contain_text("closed")  # not the reminders' message

    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/team/results/")
    assert page.locator("[data-no-results]").count() == 0
    assert "5 people answered of 6 invited" in page.locator("[data-window]").inner_text()
    assert page.locator('[data-scale="compassionate_leadership"]').inner_text() == "2.5"
    assert "More time for casework" in page.locator("[data-comments]").inner_text()

    page.get_by_role("link", name="Give your self-view").click()
    for behaviour in ("Understanding", "Attending", "Empathizing", "Helping"):
        page.get_by_role("group", name=behaviour).get_by_label("Strongly agree").check()
    page.get_by_role("button", name="Save my self-view").click()
    page.wait_for_url("**/team/results/")
    gap = page.locator("[data-gap]")
    helping = gap.get_by_role("row", name="Helping")
    assert helping.get_by_role("cell").nth(2).inner_text() == "-7.5"
    change = page.get_by_role("link", name="Give your self-view")  # to change it later
    assert page.locator("p.hint").filter(has=change).count() == 1
    assert page.locator("#trend-heading").is_visible()
    assert page.locator("figure.trend svg").count() == 5

    scale = page.locator("#compassionate_leadership")
    scale.get_by_text("Act on this").click()
    scale.get_by_label("What will you do about it?").fill("Weekly open-door hour with Alice")
    due = (timezone.localdate() + timedelta(days=21)).isoformat()
    scale.get_by_label("By when").fill(due)
    scale.get_by_role("button", name="Commit to this action").click()
    page.wait_for_url("**/team/obstacles/*/")  # the results showed the self-view's message
    assert "Action committed" in page.get_by_role("status").inner_text()

    page.get_by_role("link", name="You said, we did").click()
    page.wait_for_url("**/team/you-said-we-did/")
    said = page.get_by_role("main").inner_text()
    assert "Weekly open-door hour with Alice" in said
    assert "Compassionate leadership: 2.5 of 10" in said
    page.get_by_role("link", name="prompted by the pulse").click()
    page.wait_for_url("**/team/results/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Pulse results"
