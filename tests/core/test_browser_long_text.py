"""In real Chromium: a pasted link or any long run of characters wraps inside its box, so
no page grows wider than the window (it made a case page 6,844 pixels wide)."""

from typing import Any

import pytest

from compassion.voices.models import Voice
from tests.cases.conftest import make_case
from tests.conftest import Cast, log_in
from tests.core.pages import PANELS_OVERFLOWING

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_EMAIL = "margaret.oconnor-fitzgerald.enquiries@northby-community-housing.org.uk"
PASTED_LINK = "https://www.gov.uk/apply-for-council-housing?" + "ref=abc123" * 75


def test_no_page_is_wider_than_the_window(page: Any, live_server: Any, cast: Cast) -> None:
    case = make_case(
        cast.office,
        cast.person,
        subject=f"Form {PASTED_LINK}"[:300],  # as long as a subject may be
        body=f"The form at {PASTED_LINK} will not load.",
    )
    voice = Voice.objects.get(case=case)
    cast.person.email = LONG_EMAIL
    cast.person.save()
    log_in(page, live_server, "charlie")

    pages = ["/cases/", f"/cases/{case.pk}/", "/inbox/", f"/inbox/{voice.pk}/"]
    for width in (1280, 390):  # a desktop, and a phone, where the page is one column
        page.set_viewport_size({"width": width, "height": 900})
        for path in [*pages, f"/people/{cast.person.pk}/"]:
            page.goto(f"{live_server.url}{path}")
            assert PASTED_LINK[:40] in page.content()
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
            assert page.evaluate(PANELS_OVERFLOWING) == [], path
            if width == 1280:  # and no list scrolls sideways, with its columns out of sight
                assert page.evaluate(WIDEST_TABLE) <= width, path


WIDEST_TABLE = "Math.max(0, ...[...document.querySelectorAll('table')].map(t => t.scrollWidth))"
