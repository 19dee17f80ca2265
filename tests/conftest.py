"""The shared cast of every test: two offices and their staff, and a real Chromium.

Browser tests use Debian's chromium (or CHROMIUM_PATH) through Playwright. In CI they are
required; on a machine without Chromium they skip with a one-line reason.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import override_settings

from compassion.core.models import Membership, Office, Person, Role

# Playwright's sync API runs an event loop in the test thread; Django must still allow
# the test's own database calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "a-long-test-password"
# Mail sent to a server that cannot be reached: for what a page does when mail fails.
NO_MAIL_SERVER = override_settings(
    EMAIL_HOST="127.0.0.1",
    EMAIL_PORT=1,  # nothing listens there: the mail server cannot be reached
    EMAIL_TIMEOUT=2,
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def own_data_dir(settings: Any, tmp_path: Any) -> None:
    """What an office writes to disk (its theme model, attachments, uploads) goes to the
    test's own folder: the databases of parallel test workers number their offices alike."""
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path / "files"}},
    }


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """Figures, results and rate limits are cached by office and record ids, which the next
    test's database numbers alike: each test starts and ends with an empty cache."""
    cache.clear()
    yield
    cache.clear()


@dataclass
class Cast:
    office: Office
    other_office: Office
    leader: User
    manager: User
    caseworker: User
    volunteer: User
    outsider: User
    person: Person
    other_person: Person


def make_user(username: str, office: Office, role: str) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.org",
        first_name=username.title(),
    )
    Membership.objects.create(user=user, office=office, role=role)
    return user


@pytest.fixture
def cast(db: Any) -> Cast:
    office = Office.objects.create(
        name="Office of Alice MP", slug="alice", area_postcodes="NB1\nNB2"
    )
    other = Office.objects.create(name="Office of Bob MP", slug="bob")
    return Cast(
        office=office,
        other_office=other,
        leader=make_user("alice", office, Role.LEADER),
        manager=make_user("mandy", office, Role.MANAGER),
        caseworker=make_user("charlie", office, Role.CASEWORKER),
        volunteer=make_user("vic", office, Role.VOLUNTEER),
        outsider=make_user("bob", other, Role.LEADER),
        person=Person.objects.create(
            office=office,
            first_name="Joan",
            last_name="Smith",
            email="joan@example.com",
            postcode="NB1 2AB",
        ),
        other_person=Person.objects.create(
            office=other, first_name="Ken", last_name="Jones", email="ken@example.com"
        ),
    )


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser(live_server: Any) -> Iterator[Any]:
    """Chromium, closed before the live server stops (it asks for `live_server` so that it is
    set up after it, and so torn down before it)."""
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required for browser tests in CI (apt-get install chromium).")
        pytest.skip("Browser tests need Chromium: apt-get install chromium, or set CHROMIUM_PATH.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield launched
        launched.close()
    let_live_server_requests_finish()


def let_live_server_requests_finish() -> None:
    """On SQLite the live server's request threads share the tests' own connection, which
    they close as each request ends; once the server has stopped, that connection may no
    longer be used from another thread. So wait for the last requests before it stops."""
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout=10)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def log_in(page: Any, live_server: Any, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
