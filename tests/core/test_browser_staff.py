"""In real Chromium: the office manager adds a caseworker, changes a role and removes
someone, handing their cases to themselves; the new caseworker chooses a password through
their link and logs in."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from compassion.core.models import Membership, Role
from tests.conftest import Cast, log_in
from tests.core.test_staff import caseworkers_open_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_adds_a_caseworker_who_then_chooses_a_password(
    page: Any, live_server: Any, cast: Cast, browser: Any
) -> None:
    log_in(page, live_server, "mandy")
    page.get_by_role("link", name="Staff").click()
    page.get_by_label("First name").fill("Nadia")
    page.get_by_label("Last name").fill("Begum")
    page.get_by_label("Email address").fill("nadia@example.org")
    page.get_by_label("Username").fill("nadia")
    page.get_by_label("Role", exact=True).select_option(label="Caseworker")
    page.get_by_role("button", name="Add them").click()

    added = page.get_by_role("status")
    expect(added).to_contain_text("Nadia Begum has been added")
    link = re.search(r"http\S+/password-reset/\S+/", added.inner_text()).group(0)

    vic = page.get_by_label("Role of Vic")
    vic.select_option(label="Caseworker")
    page.get_by_role("button", name="Save the role of Vic").click()
    expect(page.get_by_role("status")).to_contain_text("Vic is now Caseworker")
    case, _ = caseworkers_open_case(cast)
    page.get_by_role("link", name="Remove Charlie").click()
    page.get_by_label("Hand everything of theirs to").select_option(label="Mandy")
    page.get_by_role("button", name="Remove them").click()
    expect(page.get_by_role("status")).to_contain_text("Charlie has been removed")
    expect(page.get_by_role("status")).to_contain_text("Everything of theirs is now Mandy's")
    assert not Membership.objects.filter(user=cast.caseworker).exists()
    case.refresh_from_db()
    assert case.assigned_to == cast.manager
    assert Membership.objects.get(user=cast.volunteer).role == Role.CASEWORKER

    newcomer = browser.new_context().new_page()
    newcomer.goto(link)
    newcomer.get_by_label("New password").fill("a-long-new-password")
    newcomer.get_by_label("The same password again").fill("a-long-new-password")
    newcomer.get_by_role("button", name="Save the new password").click()
    log_in(newcomer, live_server, "nadia", "a-long-new-password")
    expect(newcomer.get_by_text("Nadia Begum · Caseworker")).to_be_visible()


def test_a_username_typed_on_the_login_page_asks_nothing_on_the_way_to_a_new_password(
    page: Any, live_server: Any, cast: Cast
) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("charlie")
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("link", name="Forgotten your password?").click()
    page.wait_for_url("**/password-reset/")
    assert asked == []
