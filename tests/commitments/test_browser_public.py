"""In real Chromium: another site embeds the widget, but never the tracker's own pages;
a citizen uses the tracker with the keyboard alone."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from tests.commitments.conftest import new_commitment


@contextmanager
def other_site(html: str) -> Iterator[str]:
    """Serve one page from another origin (a second local port) for as long as needed."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html.encode())

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/news/"
    finally:
        server.shutdown()


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_can_be_embedded_only_through_the_widget(page: Any, live_server: Any, cast: Any) -> None:
    new_commitment(cast, title="Light the park", status="kept")
    new_commitment(cast, title="Repair damp homes", status="in_the_works")
    widget = f"{live_server.url}/promises/alice/widget/"
    tracker = f"{live_server.url}/promises/alice/"
    # A page of another site, on another origin, embeds both.
    host_page = (
        "<!doctype html><title>Northby Gazette</title>"
        f'<iframe id="w" title="Promises" src="{widget}"></iframe>'
        f'<iframe id="t" title="Tracker" src="{tracker}"></iframe>'
    )
    with other_site(host_page) as url:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        embedded = page.frame_locator("#w")
        assert embedded.get_by_role("heading", level=1).inner_text().startswith("Promises of")
        assert "1 of 2 promises kept" in embedded.locator("main").inner_text().replace("\n", " ")
        refused = page.locator("#t").element_handle().content_frame()
        assert "Light the park" not in refused.content()  # the tracker itself refuses framing
        assert "Light the park" in page.request.get(tracker).text()  # though it is public


def test_it_lets_a_citizen_filter_with_the_keyboard(page: Any, live_server: Any, cast: Any) -> None:
    new_commitment(cast, title="Light the park", topic="crime", status="kept")
    new_commitment(cast, title="Repair damp homes", topic="housing", status="in_the_works")
    page.goto(f"{live_server.url}/promises/alice/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Promises made by")
    page.get_by_label("Search the promises").focus()
    page.keyboard.type("damp")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    results = page.locator(".promise-list").inner_text()
    assert "Repair damp homes" in results and "Light the park" not in results
    assert page.get_by_role("status").inner_text() == "1 of 2 promises match."
    page.get_by_role("link", name="Repair damp homes").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "Repair damp homes"
    page.screenshot(path="/tmp/commitments-public-keyboard.png", full_page=True)


def test_its_filters_fit_a_phone(browser: Any, live_server: Any, cast: Any) -> None:
    """The longest choice of "Meant to help" once widened its list past the screen's edge."""
    new_commitment(cast, title="Cut waits for EHC plans", beneficiaries="send")
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = phone.new_page()
    page.goto(f"{live_server.url}/promises/alice/")
    form = page.get_by_role("search", name="Find a promise")
    box, select = form.bounding_box(), form.get_by_label("Meant to help").bounding_box()
    assert select["x"] + select["width"] <= box["x"] + box["width"]
    assert form.evaluate("form => form.scrollWidth <= form.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()
