"""In real Chromium: a caseworker corrects the lens's theme; the manager sees the rate."""

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from compassion.cases.models import ThemeCorrection
from compassion.voices.models import Voice
from tests.cases.conftest import make_case
from tests.conftest import Cast, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_caseworker_corrects_a_theme_and_the_manager_sees_the_rate(
    page: Any, browser: Any, live_server: Any, cast: Cast, settings: Any, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    case = make_case(
        cast.office,
        cast.person,
        theme="crime",
        subject="Noise every night",
        body="The pub on our corner has live bands outside until midnight and the noise "
        "carries straight into my bedroom.",
    )
    voice = case.voices.get()
    Voice.objects.filter(pk=voice.pk).update(
        theme="crime", theme_confidence=0.3, analysed_at=timezone.now()
    )

    log_in(page, live_server, "charlie")
    page.goto(f"{live_server.url}/inbox/{voice.pk}/")
    theme = page.locator("[data-theme]")
    assert theme.inner_text() == "Crime and antisocial behaviour"
    page.get_by_text("Change the theme").click()
    page.get_by_label("Theme", exact=True).select_option(label="Environment")
    page.get_by_role("button", name="Save the theme").click()
    assert "The theme is now Environment." in page.get_by_role("status").inner_text()
    page.reload()
    assert theme.inner_text() == "Environment"
    assert "(chosen by staff)" in page.get_by_role("definition").filter(has=theme).inner_text()
    correction = ThemeCorrection.objects.get()
    assert (correction.lens_theme, correction.staff_theme) == ("crime", "environment")

    page.goto(f"{live_server.url}/cases/{case.pk}/")
    assert "Environment" in page.locator(".case-meta").inner_text()

    manager = browser.new_context().new_page()
    log_in(manager, live_server, "mandy")
    manager.goto(f"{live_server.url}/cases/team/")
    themes = manager.get_by_role("region", name="Themes")
    assert (
        "Staff changed the lens's theme on 1 of 1 message they reviewed in the last 90 days "
        "(100.0%); most often Crime and antisocial behaviour → Environment." in themes.inner_text()
    )
    assert "1 theme change not learned yet" in themes.inner_text()
    manager.context.close()
