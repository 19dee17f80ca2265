"""In real Chromium: the demo office loads, a caseworker logs in and sees the figures."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from compassion.cases.models import Case
from compassion.core import demo
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_logs_in_to_the_demo_office_and_sees_its_figures(page: Any, live_server: Any) -> None:
    office = demo.build_demo_office(seed=7, people=200, messages=500)
    open_cases = Case.objects.for_office(office).open().count()
    assert open_cases > 0

    log_in(page, live_server, "priya", demo.DEMO_PASSWORD)

    assert page.get_by_role("heading", level=1).inner_text().startswith("Good")
    shown = page.locator('[data-figure="open_cases"]').inner_text()
    assert int(shown.replace(",", "")) == open_cases
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="Home").get_attribute("aria-current") == "page"


def test_it_explains_a_wrong_password(page: Any, live_server: Any, cast: Any) -> None:
    log_in(page, live_server, "charlie", "not-the-password")
    alert = page.get_by_role("alert").inner_text()
    assert alert.startswith("That username and password did not match")
    assert page.url.endswith("/login/")
    assert page.get_by_label("Username").input_value() == "charlie"


def test_a_refused_password_is_read_out_with_its_field(
    page: Any, live_server: Any, cast: Any
) -> None:
    """The reasons stood under the boxes, tied to none of them: a screen reader on the box
    said nothing of why the password was refused."""
    log_in(page, live_server, "charlie")
    page.goto(f"{live_server.url}/password/")
    page.get_by_label("Your password now").fill("not-the-password")
    page.get_by_label("New password").fill("a-long-new-password")
    page.get_by_label("The same password again").fill("another-long-password")
    page.get_by_role("button", name="Save the new password").click()
    now = page.get_by_label("Your password now")
    expect(now).to_have_attribute("aria-invalid", "true")
    expect(now).to_have_accessible_description(re.compile("old password was entered incorrectly"))
    again = page.get_by_label("The same password again")
    expect(again).to_have_accessible_description(re.compile("didn.t match"))
