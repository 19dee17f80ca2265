"""In real Chromium: Save pressed again while the page is slow adds one action."""

import time
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from compassion.cases import views as cases_views
from compassion.cases.models import Action
from tests.cases.conftest import make_case
from tests.conftest import Cast, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_action_saved_again_while_the_page_is_slow_is_added_once(
    page: Any, live_server: Any, cast: Cast, monkeypatch: Any
) -> None:
    """The server takes a second to save it (a busy day): the caseworker, seeing nothing
    happen, presses the button again. Chromium sends the form twice."""
    slow_audit = cases_views.audit

    def slowly(*args: Any, **kwargs: Any) -> None:
        time.sleep(1)
        slow_audit(*args, **kwargs)

    monkeypatch.setattr(cases_views, "audit", slowly)
    case = make_case(cast.office, cast.person, subject="Mould in the bedroom", theme="housing")
    log_in(page, live_server, "charlie")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_text("Add an action").click()
    page.get_by_label("What will be done").fill("Ring Northby Homes about the mould")
    page.locator("#id_owner").select_option(label="Charlie")
    due = timezone.localdate() + timedelta(days=3)
    page.get_by_label("Due on").fill(due.isoformat())
    save = page.get_by_role("button", name="Add the action")
    save.evaluate("button => { button.click(); setTimeout(() => button.click(), 300); }")
    expect(page.get_by_text("nothing was added twice")).to_be_visible()
    expect(page.locator("#actions li", has_text="Ring Northby Homes")).to_have_count(1)
    assert Action.objects.filter(case=case).count() == 1
