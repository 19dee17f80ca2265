"""In real Chromium, in a small demo office: axe-core (through axe-playwright-python) finds
no accessibility violation on the public pages and on one page of every address shape a
leader is shown a link to, forms included (about 70); and on a phone-sized screen no main
page is wider than the screen or pressed against its header.

Staff are busy and some use screen readers or keyboards only; citizens read the promises on
their phones, and a caseworker on a home visit reads the office's pages on one. A table or
card that pushes a page sideways hides its right-hand side, so wide tables scroll inside
their own box. axe checks what a machine can (names, labels, contrast, landmarks, headings,
ARIA); it does not replace reading the pages.
"""

from collections import Counter
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from compassion.cases.models import Action
from compassion.core import demo
from tests.conftest import log_in
from tests.core.pages import PANELS_OVERFLOWING, crawl, public_pages, staff_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def visit_each(page: Any, base_url: str, paths: list[str], check: Any) -> dict[str, Any]:
    """`check(page)` on each page; the pages where it found something, with what it found."""
    found = {}
    for path in paths:
        page.goto(base_url + path)
        assert page.get_by_role("heading", level=1).count() == 1, path
        finding = check(page)
        if finding:
            found[path] = finding
    return found


def accessibility_faults(page: Any) -> str:
    """One line per rule broken, with its impact and the number of elements, and the
    panels something runs out of."""
    overflowing = page.evaluate(PANELS_OVERFLOWING)
    return Axe().run(page).generate_snapshot() + (
        f"\nsomething runs out of these panels: {overflowing[:3]}" if overflowing else ""
    )


# The case references ("NE-26-02428") in the page's text that the browser set on two lines.
SPLIT_CASE_REFERENCES = """() => {
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  const split = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.textContent.matchAll(/[A-Z]{2,}-\\d{2}-\\d{4,}/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      if (range.getClientRects().length > 1) split.push(match[0]);
    }
  }
  return split;
}"""


def layout_faults(page: Any) -> list[str]:
    """What is wrong with the page's layout on a phone: wider than the screen, its content
    pressed against the header, something running out of its panel, or a case reference
    ("NE-26-02428") split at a hyphen."""
    faults = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 390:
        faults.append(f"{width} px wide")
    gap = page.evaluate(
        "document.querySelector('main').firstElementChild.getBoundingClientRect().top"
        " - document.querySelector('.site-header').getBoundingClientRect().bottom"
    )
    if gap < 16:
        faults.append(f"content {gap:.0f} px below the header")
    overflowing = page.evaluate(PANELS_OVERFLOWING)
    if overflowing:
        faults.append(f"something runs out of these panels: {overflowing[:3]}")
    broken = page.evaluate(SPLIT_CASE_REFERENCES)
    if broken:
        faults.append(f"case references split over two lines: {broken[:3]}")
    return faults


def test_no_page_breaks_an_accessibility_rule(page: Any, live_server: Any) -> None:
    """Every public page, and one page of each address shape a leader is shown a link to
    (forms included)."""
    office = demo.build_demo_office(seed=7, people=200, messages=500)
    leader = Client()
    leader.force_login(get_user_model().objects.get(username="amira"))
    staff = list(crawl(leader, ["/"], per_shape=1))
    assert len(staff) > 60
    found = visit_each(page, live_server.url, public_pages(office), accessibility_faults)
    log_in(page, live_server, "amira", demo.DEMO_PASSWORD)
    found |= visit_each(page, live_server.url, staff, accessibility_faults)
    assert found == {}


def busiest_caseworker() -> str:
    """The username with the most actions due by today: their home and case list show them."""
    due = Action.objects.due_by(timezone.localdate()).values("owner__username")
    return Counter(row["owner__username"] for row in due).most_common(1)[0][0]


def test_every_page_fits_a_phone_clear_of_the_header(browser: Any, live_server: Any) -> None:
    office = demo.build_demo_office(seed=7, people=200, messages=500)
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = phone.new_page()
    found = visit_each(page, live_server.url, public_pages(office), layout_faults)
    log_in(page, live_server, "amira", demo.DEMO_PASSWORD)
    found |= visit_each(page, live_server.url, staff_pages(office), layout_faults)
    phone.close()
    caseworker = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = caseworker.new_page()
    log_in(page, live_server, busiest_caseworker(), demo.DEMO_PASSWORD)
    found |= visit_each(page, live_server.url, ["/cases/", "/"], layout_faults)
    assert page.locator(".reminders li").count() > 0
    caseworker.close()
    assert found == {}
