"""In real Chromium on a phone-sized screen: no staff page of a small demo office is wider
than the screen.

A caseworker on a home visit reads the office's pages on a phone; a table or card that
pushes the page sideways hides its right-hand side. Wide tables scroll inside their own box.
"""

from typing import Any

import pytest

from compassion.core import demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/inbox/",
    "/inbox/campaigns/",
    "/cases/",
    "/cases/obstacles/",
    "/people/",
    "/audit/",
    "/team/results/",
    "/commitments/",
    "/commitments/overdue/",
    "/insights/briefing/",
    "/insights/",
    "/insights/areas/",
    "/common-ground/",
]


def test_no_staff_page_is_wider_than_a_phone(browser: Any, live_server: Any) -> None:
    demo.build_demo_office(seed=7, people=200, messages=500)
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = phone.new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("amira")
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    too_wide = {}
    for path in PAGES:
        page.goto(live_server.url + path)
        assert page.get_by_role("heading", level=1).count() == 1, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            too_wide[path] = width
    phone.close()
    assert too_wide == {}
