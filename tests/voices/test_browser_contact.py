"""In real Chromium: a citizen writes in through the public form, by keyboard alone."""

from typing import Any

import pytest

from compassion.voices.models import Voice
from tests.conftest import Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_takes_a_message_from_a_citizen_using_only_the_keyboard(
    page: Any, live_server: Any, cast: Cast
) -> None:
    page.goto(f"{live_server.url}/write-to-us/alice/")
    assert page.get_by_role("heading", level=1).inner_text() == "Write to the Office of Alice MP"
    page.get_by_role("button", name="Send your message").click()
    assert "Please correct the fields" in page.get_by_role("alert").inner_text()
    page.get_by_label("Your name").fill("Joan Smith")
    page.get_by_label("Your email address").fill("joan@example.com")
    page.get_by_label("Your postcode").fill("NB1 2AB")
    page.get_by_label("What it is about, in a few words").fill("Pothole on Mill Lane")
    page.get_by_label("Your message").fill("My mobility scooter tipped over in it.")
    page.get_by_label("I agree that the office").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/write-to-us/alice/thanks/")
    assert "your message has reached us" in page.get_by_role("heading", level=1).inner_text()
    voice = Voice.objects.get()
    assert voice.person == cast.person and voice.subject == "Pothole on Mill Lane"
    assert not page.get_by_label("Leave this empty").is_visible()
