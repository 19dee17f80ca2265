"""Intake settings: managers only; the IMAP password is named, never stored."""

from django.test import Client

from compassion.voices.replies import intake_settings
from tests.conftest import Cast


def test_it_lets_a_manager_set_up_the_mailbox_by_naming_the_password_variable(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.manager)
    form = {
        "auto_acknowledge": "on",
        "campaign_guard_days": "14",
        "imap_host": "mail.example.org",
        "imap_port": "993",
        "imap_ssl": "on",
        "imap_user": "office",
        "imap_password_env": "ALICE_IMAP_PASSWORD",
        "imap_mailbox": "INBOX",
    }
    assert client.post("/inbox/settings/", form).status_code == 302
    saved = intake_settings(cast.office)
    assert saved.imap_configured and saved.campaign_guard_days == 14
    refused = client.post("/inbox/settings/", {**form, "imap_password_env": "hunter2 secret!"})
    assert "not the password itself" in refused.content.decode()


def test_it_keeps_settings_from_caseworkers_and_other_offices(client: Client, cast: Cast) -> None:
    client.force_login(cast.caseworker)
    assert client.get("/inbox/settings/").status_code == 403
    client.force_login(cast.outsider)
    client.get("/inbox/settings/")
    assert intake_settings(cast.office).imap_host == ""


def test_it_explains_a_mail_check_without_a_mailbox_or_password(client: Client, cast: Cast) -> None:
    client.force_login(cast.caseworker)
    page = client.post("/inbox/check-mail/", follow=True).content.decode()
    assert "This office has no mailbox set up yet." in page
    saved = intake_settings(cast.office)
    saved.imap_host, saved.imap_user, saved.imap_password_env = "h", "u", "ALICE_NO_SUCH_VAR"
    saved.save()
    page = client.post("/inbox/check-mail/", follow=True).content.decode()
    assert "set the environment variable ALICE_NO_SUCH_VAR on the server" in page
