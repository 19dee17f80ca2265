"""In real Chromium on a phone-sized screen: no public or staff page of a small demo office
is wider than the screen.

Citizens read the promises on their phones, and a caseworker on a home visit reads the
office's pages on one; a table or card that pushes the page sideways hides its right-hand
side. Wide tables scroll inside their own box.
"""

from typing import Any

import pytest

from compassion.commitments.models import Commitment
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


def pages_wider_than(page: Any, base_url: str, paths: list[str], width: int) -> dict[str, int]:
    too_wide = {}
    for path in paths:
        page.goto(base_url + path)
        assert page.get_by_role("heading", level=1).count() == 1, path
        page_width = page.evaluate("document.documentElement.scrollWidth")
        if page_width > width:
            too_wide[path] = page_width
    return too_wide


def test_no_page_is_wider_than_a_phone(browser: Any, live_server: Any) -> None:
    office = demo.build_demo_office(seed=7, people=200, messages=500)
    promise = Commitment.objects.filter(office=office).first()
    public = [f"/promises/{office.slug}/", f"/promises/{office.slug}/{promise.pk}/"]
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = phone.new_page()
    too_wide = pages_wider_than(page, live_server.url, public, 390)
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("amira")
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    too_wide |= pages_wider_than(page, live_server.url, PAGES, 390)
    phone.close()
    assert too_wide == {}
