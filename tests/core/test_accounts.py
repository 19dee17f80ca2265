import re
from datetime import timedelta
from typing import Any

from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.utils import timezone

from compassion.core.models import Office
from tests.conftest import PASSWORD, Cast


def test_it_logs_in_and_out(client: Client, cast: Cast) -> None:
    response = client.post("/login/", {"username": "charlie", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/logout/")
    assert client.get("/").status_code == 302


def test_it_hashes_passwords_with_argon2(db: None, settings: Any) -> None:
    from django.contrib.auth.models import User

    from compassion import settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = User.objects.create_user("hashed", password=PASSWORD)
    assert user.password.startswith("argon2")


def test_it_locks_an_account_after_repeated_failures(client: Client, cast: Cast) -> None:
    for _ in range(5):
        client.post("/login/", {"username": "charlie", "password": "wrong"})
    response = client.post("/login/", {"username": "charlie", "password": PASSWORD})
    assert response.status_code == 429
    assert b"too many failed attempts" in response.content
    # No page lets an office manager open it: it read "ask your office manager to unlock it".
    assert "it is locked for 30 minutes. It opens again by itself" in response.content.decode()
    assert "manager" not in response.content.decode()


def test_it_sends_a_password_reset_email(client: Client, cast: Cast) -> None:
    response = client.post("/password-reset/", {"email": "charlie@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/password-reset/" in mail.outbox[0].body


def test_it_refuses_a_forged_login_post(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "charlie", "password": PASSWORD})
    assert response.status_code == 403
    assert b"nothing was saved" in response.content


def test_it_sends_a_strict_content_security_policy(client: Client, cast: Cast) -> None:
    response = client.get("/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert b"<script>" not in response.content


def test_it_lets_staff_of_two_offices_switch(client: Client, cast: Cast) -> None:
    from compassion.core.models import Membership

    Membership.objects.create(user=cast.caseworker, office=cast.other_office, role="caseworker")
    client.force_login(cast.caseworker)
    assert client.get("/").context["office"] == cast.office
    client.post("/office/switch/", {"office": cast.other_office.pk})
    assert client.get("/").context["office"] == cast.other_office
    stranger = Office.objects.create(name="Not mine", slug="nm")
    client.post("/office/switch/", {"office": stranger.pk})
    assert client.get("/").context["office"] == cast.other_office


def test_it_serves_its_own_static_files(client: Client, db: None) -> None:
    response = client.get("/static/compassion/compassion.css")
    assert response.status_code == 200
    assert b"--accent" in b"".join(response.streaming_content)


def test_it_logs_staff_out_after_a_working_day_without_a_page_opened(
    client: Client, cast: Cast
) -> None:
    """A shared office computer left on overnight stayed logged in to casework for two weeks."""
    client.post("/login/", {"username": "alice", "password": PASSWORD})

    def hours_left() -> float:
        return (Session.objects.get().expire_date - timezone.now()) / timedelta(hours=1)

    assert 7.9 < hours_left() <= 8
    idle(client, hours=6)
    assert client.get("/").status_code == 200
    assert 7.9 < hours_left() <= 8  # a page opened starts the 8 hours again
    renewed = Session.objects.get().expire_date
    assert client.get("/").status_code == 200
    assert Session.objects.get().expire_date == renewed  # saved at most every 5 minutes
    Session.objects.update(expire_date=timezone.now() - timedelta(minutes=1))  # 8 hours idle
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def idle(client: Client, hours: float) -> None:
    """As if the session had last been saved `hours` ago."""
    session = client.session
    session["seen_at"] -= int(hours * 3600)
    session.save()
    Session.objects.update(expire_date=timezone.now() + timedelta(hours=8 - hours))


def test_a_failed_login_names_only_what_the_page_asks_for(client: Client, cast: Cast) -> None:
    """The page asks for a username, and an email address does not log in: the error said
    'That email or username and password did not match', so staff typed their email again."""
    page = client.post("/login/", {"username": "charlie@example.org", "password": PASSWORD})
    assert "That username and password did not match" in page.content.decode()
    assert "email" not in page.content.decode().lower()


def test_a_phone_does_not_capitalise_the_username(client: Client, db: None) -> None:
    """Usernames are matched as typed: a phone's capital first letter ('Priya') failed."""
    field = re.search(
        r"<input[^>]*id=\"id_username\"[^>]*>", client.get("/login/").content.decode()
    )
    assert 'autocapitalize="none"' in field.group(0)
    assert 'autocorrect="off"' in field.group(0)


def test_a_username_logs_in_whatever_its_capitals(client: Client, cast: Cast) -> None:
    """ "Priya" did not log in as priya: the phone had capitalised it."""
    response = client.post("/login/", {"username": "Charlie", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_the_lockout_counts_attempts_under_one_username_whatever_their_capitals(
    client: Client, cast: Cast
) -> None:
    for typed in ["charlie", "Charlie", "CHARLIE", "charlie", "Charlie"]:
        client.post("/login/", {"username": typed, "password": "wrong"})
    response = client.post("/login/", {"username": "charlie", "password": PASSWORD})
    assert response.status_code != 302
