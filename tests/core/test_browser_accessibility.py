"""In real Chromium: axe-core (through axe-playwright-python) finds no accessibility
violation on the public pages or the staff pages of a small demo office.

Staff are busy and some use screen readers or keyboards only; citizens read the public
pages on any device. axe checks what a machine can (names, labels, contrast, landmarks,
headings, ARIA); it does not replace reading the pages.
"""

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from compassion.cases.models import Case
from compassion.commitments.models import Commitment
from compassion.commonground.models import Conversation
from compassion.core import demo
from compassion.core.models import Person
from compassion.voices.models import Voice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF_PAGES = [
    "/",
    "/inbox/",
    "/inbox/campaigns/",
    "/inbox/note/",
    "/cases/",
    "/cases/team/",
    "/cases/obstacles/",
    "/people/",
    "/audit/",
    "/team/",
    "/team/results/",
    "/team/check-ins/",
    "/team/learning/",
    "/commitments/",
    "/common-ground/",
    "/insights/",
    "/insights/equity/",
    "/insights/briefing/",
    "/insights/voices/",
]


def violations_on(page: Any, base_url: str, paths: list[str]) -> dict[str, str]:
    """For each page with violations: one line per rule broken, with its impact and count."""
    axe = Axe()
    found = {}
    for path in paths:
        page.goto(base_url + path)
        results = axe.run(page)
        if results.violations_count:
            found[path] = results.generate_snapshot()
    return found


def test_no_page_breaks_an_accessibility_rule(page: Any, live_server: Any) -> None:
    office = demo.build_demo_office(seed=7, people=200, messages=500)
    promise = Commitment.objects.filter(office=office).first()
    conversation = Conversation.objects.filter(office=office).first()
    public = [
        "/login/",
        f"/write-to-us/{office.slug}/",
        f"/have-your-say/{office.slug}/{conversation.slug}/",
        f"/promises/{office.slug}/",
        f"/promises/{office.slug}/{promise.pk}/",
    ]
    found = violations_on(page, live_server.url, public)
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("amira")
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    records = [
        f"/cases/{Case.objects.filter(office=office).first().pk}/",
        f"/inbox/{Voice.objects.filter(office=office).first().pk}/",
        f"/people/{Person.objects.filter(office=office).first().pk}/",
        f"/commitments/{promise.pk}/",
        f"/common-ground/{conversation.pk}/",
    ]
    found |= violations_on(page, live_server.url, STAFF_PAGES + records)
    assert found == {}
