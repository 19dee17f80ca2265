"""Intake settings: managers only; the IMAP password is named, never stored."""

from django.test import Client

from compassion.core.models import AuditEntry, Office
from compassion.voices.intake import receive
from compassion.voices.parsing import IncomingMessage
from compassion.voices.replies import intake_settings
from tests.conftest import Cast

STANDARD = {
    "office-name": "Office of Alice MP",
    "office-leader_title": "",
    "office-email": "",
    "office-acknowledge_within_days": "2",
    "office-reply_within_days": "10",
    "office-holiday_region": "ENG",
    "office-area_name": "",
    "office-area_postcodes": "",
}
INTAKE = {"campaign_guard_days": "30", "imap_port": "993", "imap_mailbox": "INBOX"}


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
        **STANDARD,
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


def test_a_manager_sets_the_service_standard_the_bank_holidays_and_the_area(
    client: Client, cast: Cast
) -> None:
    """No page set them: every office promised 2 working days, skipped England's bank
    holidays (in Scotland too), and had no area, so no message was ever outside it."""
    client.force_login(cast.manager)
    page = client.get("/inbox/settings/").content.decode()
    assert "(bank holidays in England skipped)" in page
    chosen = {
        "office-acknowledge_within_days": "3",
        "office-reply_within_days": "15",
        "office-holiday_region": "SCT",
        "office-area_name": "Northby",
        "office-area_postcodes": "nb1\n\n  NB2   3 \n",
    }
    assert client.post("/inbox/settings/", {**INTAKE, **STANDARD, **chosen}).status_code == 302
    office = Office.objects.get(pk=cast.office.pk)
    assert (office.acknowledge_within_days, office.reply_within_days) == (3, 15)
    assert office.holiday_region == "SCT" and office.area_postcodes == "NB1\nNB2 3"
    page = client.get("/inbox/settings/").content.decode()
    assert "3 working days to acknowledge and 15 to reply in full" in page
    assert "(bank holidays in Scotland skipped)" in page
    entry = AuditEntry.objects.get(summary__startswith="Changed the office's settings")
    assert "postcodes of the area" in entry.summary
    incoming = IncomingMessage(
        sender_name="Ann Lee", sender_email="ann@example.com", postcode="LS11 3QN", body="Hi"
    )
    assert receive(office, incoming).out_of_area


def test_a_wrong_service_standard_or_area_is_refused_with_what_was_typed(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.manager)
    wrong = {
        **INTAKE,
        **STANDARD,
        "office-acknowledge_within_days": "0",
        "office-area_postcodes": "NB1\nNorthby and Eastfield",
        "imap_host": "mail.example.org",
    }
    page = client.post("/inbox/settings/", wrong).content.decode()
    assert "Give a number of working days from 1 to 100." in page
    assert "“Northby and Eastfield” is not a postcode district (NB1) or sector (NB2 3)" in page
    assert 'value="mail.example.org"' in page  # the other half of the page is kept
    assert "2 working days to acknowledge" in page
    office = Office.objects.get(pk=cast.office.pk)
    assert (
        office.acknowledge_within_days == 2 and office.area_postcodes == cast.office.area_postcodes
    )
    assert intake_settings(cast.office).imap_host == ""
    later = client.post(
        "/inbox/settings/",
        {**wrong, "office-acknowledge_within_days": "12", "office-area_postcodes": ""},
    ).content.decode()
    assert "Give at least as many days as to acknowledge." in later


def test_a_port_no_mail_server_can_have_is_refused(client: Client, cast: Cast) -> None:
    """99999999 was saved, and every check of the mail then failed."""
    client.force_login(cast.manager)
    page = client.post("/inbox/settings/", {**INTAKE, **STANDARD, "imap_port": "99999999"})
    assert "A port is a number from 1 to 65535: 993 for most." in page.content.decode()
    assert intake_settings(cast.office).imap_port == 993


def test_a_manager_sets_the_office_s_name_title_and_email(client: Client, cast: Cast) -> None:
    """They could be set only in the database: a new MP after an election kept the old name."""
    client.force_login(cast.manager)
    details = {
        "office-name": "Office of Bola Adeyemi MP",
        "office-leader_title": "MP for Northby",
        "office-email": "office@northby.example.org",
    }
    response = client.post("/inbox/settings/", {**STANDARD, **INTAKE, **details})
    assert response.status_code == 302
    office = Office.objects.get(pk=cast.office.pk)
    assert office.name == "Office of Bola Adeyemi MP" and office.leader_title == "MP for Northby"
    assert office.email == "office@northby.example.org"
    assert AuditEntry.objects.filter(summary__contains="name of the office").exists()
    refused = client.post("/inbox/settings/", {**STANDARD, **INTAKE, "office-name": ""})
    assert refused.status_code == 200 and Office.objects.get(pk=office.pk).name == office.name
