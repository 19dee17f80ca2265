"""In real Chromium: new mail arrives from IMAP, is acknowledged, and shows why it is urgent."""

from typing import Any

import pytest
from playwright.sync_api import expect

from compassion.voices import analysis
from compassion.voices.models import Campaign, Voice
from compassion.voices.replies import intake_settings
from tests.conftest import Cast, log_in
from tests.voices.conftest import ImapServer
from tests.voices.mail import email_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URGENT = (
    "Dear Alice,\n\nThe bailiffs are coming on Friday and we have nowhere to go. "
    "Please help us.\n\nJoan Smith\nNB1 2AB"
)


def test_it_checks_mail_and_shows_the_new_message_acknowledged_and_why_it_is_urgent(
    page: Any, live_server: Any, cast: Cast, empty_imap: ImapServer, monkeypatch: Any
) -> None:
    monkeypatch.setenv("ALICE_IMAP_PASSWORD", empty_imap.password)
    saved = intake_settings(cast.office)
    saved.imap_host, saved.imap_port, saved.imap_ssl = empty_imap.host, empty_imap.port, False
    saved.imap_user, saved.imap_password_env = empty_imap.user, "ALICE_IMAP_PASSWORD"
    saved.save()
    empty_imap.deliver(email_bytes(subject="We are being evicted", body=URGENT))

    log_in(page, live_server, "charlie")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Inbox").click()
    page.wait_for_url("**/inbox/")
    assert page.get_by_role("heading", level=1).inner_text() == "Inbox"
    page.get_by_role("button", name="Check mail now").click()
    assert "Imported 1, duplicates 0, quarantined 0" in page.get_by_role("status").inner_text()
    row = page.locator("tr", has_text="We are being evicted")
    assert "New" in row.inner_text()
    if analysis.lens_available():
        assert "Urgent" in row.inner_text()
        assert "Eviction or homelessness" in row.inner_text()
        assert "bailiffs" in row.inner_text()

    row.get_by_role("link", name="We are being evicted").click()
    clock = page.locator('[data-clock="acknowledge"]')
    assert "Acknowledged" in clock.inner_text()
    if analysis.lens_available():
        urgent = page.get_by_role("region", name="Urgent")
        assert "bailiffs" in urgent.inner_text()
        tone = page.locator("dt:has-text('Tone') + dd")
        assert tone.inner_text() == "Distress (in their words: “we have nowhere to go”)"
        asks = page.locator("dt:has-text('Asks for help') + dd")
        assert asks.inner_text() == "Yes (in their words: “Please help”)"
    page.screenshot(path="/tmp/voices-browser-message.png", full_page=True)

    if analysis.lens_available():
        page.get_by_role("link", name="Inbox").first.click()
        page.get_by_label("Asks for help").check()
        page.get_by_role("button", name="Filter").click()
        page.wait_for_url("**asks=**")
        assert page.get_by_label("Asks for help").is_checked()
        row = page.locator("tr", has_text="We are being evicted")
        assert "asks for help" in row.inner_text()
        page.screenshot(path="/tmp/voices-browser-inbox-asks.png", full_page=True)


NO_CARERS = (
    "Dear Alice,\n\nMy mum is 84 and lives alone. Her carers have stopped coming since Monday "
    "and she has not had her heart tablets. She sounded confused on the phone last night."
    "\n\nJoan Smith"
)


def test_it_brings_forward_a_possible_risk_to_life_with_no_set_phrase(
    page: Any, live_server: Any, cast: Cast
) -> None:
    if not analysis.lens_available():
        pytest.skip("the lens models are not installed")
    from compassion.voices.intake import ingest_raw

    ordinary = "Dear Alice,\n\nThe bus shelter on Mill Lane has been broken for months.\n\nJoan"
    letters = {"Mum has no carers": NO_CARERS, "Bus shelter": ordinary}
    received = [
        voice
        for subject, body in letters.items()
        for voice in ingest_raw(
            cast.office, email_bytes(subject=subject, body=body), subject
        ).voices
    ]
    analysis.analyse(received)
    log_in(page, live_server, "charlie")
    page.goto(f"{live_server.url}/inbox/")
    figure = page.locator('[data-figure="risk_unread"]')
    assert figure.inner_text() == "1"
    assert "possible risk to life" in page.locator("tr", has_text="Mum has no carers").inner_text()
    page.get_by_role("link", name="not yet read may hold a risk to life").click()
    page.wait_for_url("**risk=**")
    assert page.get_by_label("Possible risk to life").is_checked()
    assert page.locator("tr", has_text="Mum has no carers").count() == 1
    assert page.locator("tr", has_text="Bus shelter").count() == 0
    page.screenshot(path="/tmp/voices-browser-inbox-risk.png", full_page=True)


def test_it_acknowledges_a_letter_in_one_click(page: Any, live_server: Any, cast: Cast) -> None:
    saved = intake_settings(cast.office)
    saved.auto_acknowledge = False
    saved.save()
    log_in(page, live_server, "charlie")
    page.goto(f"{live_server.url}/inbox/note/")
    page.get_by_label("How they got in touch").select_option("letter")
    page.get_by_label("Their name").fill("Joan Smith")
    page.get_by_label("Phone number").fill("07700 900123")
    page.get_by_label("House number and street").fill("12 Mill Lane")
    page.get_by_label("Postcode").fill("NB1 2AB")
    page.get_by_label("What it is about, in a few words").fill("Blue badge renewal")
    page.get_by_label("What they told you").fill("Her blue badge runs out next month.")
    page.get_by_role("button", name="Record it").click()
    assert "Recorded in a new case" in page.get_by_role("status").inner_text()
    assert "Phone given: 07700 900123. Address given: 12 Mill Lane." in page.content()
    assert "working day" in page.locator('[data-clock="acknowledge"]').inner_text()
    page.get_by_role("button", name="Record the acknowledgement").click()
    # The same address, and the page before showed the clock too.
    expect(page.locator('[data-clock="acknowledge"]')).to_contain_text("Acknowledged")
    assert Voice.objects.get().person == cast.person
    cast.person.refresh_from_db()
    assert (cast.person.phone, cast.person.address_line1) == ("07700 900123", "12 Mill Lane")


def test_it_files_a_follow_up_under_the_persons_open_case(
    page: Any, live_server: Any, cast: Cast
) -> None:
    from compassion.voices.intake import ingest_raw

    ingest_raw(cast.office, email_bytes(), "first.eml")
    later = email_bytes(subject="Any news?", body="Any news on the damp?", message_id="<m2@x>")
    ingest_raw(cast.office, later, "second.eml")
    first, second = Voice.objects.order_by("pk")
    stray = second.case.reference
    log_in(page, live_server, "charlie")
    page.goto(f"{live_server.url}/inbox/{second.pk}/")
    page.get_by_text("About another of their open cases?").click()
    page.get_by_label("Move this message to").select_option(str(first.case_id))
    page.get_by_role("button", name="Move it").click()
    expect(page.get_by_role("status")).to_contain_text(f"Moved to {first.case.reference}.")
    assert page.get_by_role("heading", name=f"Case {first.case.reference}").is_visible()
    assert stray not in page.content()


def test_it_releases_a_truncated_message_from_quarantine(
    page: Any, live_server: Any, cast: Cast
) -> None:
    from compassion.voices.intake import ingest_raw

    ingest_raw(cast.office, email_bytes(body="Cut off mid"), "cut.mbox #1", complete=False)
    log_in(page, live_server, "charlie")
    page.goto(f"{live_server.url}/inbox/")
    page.get_by_role("link", name="in quarantine").click()
    assert "cut short" in page.locator("tr", has_text="cut.mbox #1").inner_text()
    page.get_by_role("button", name="Accept as it is").click()
    assert "now in the inbox" in page.get_by_role("status").inner_text()
    assert "Cut off mid" in page.get_by_role("article").inner_text()


def test_it_deletes_spam_from_quarantine_only_once_confirmed(
    page: Any, live_server: Any, cast: Cast
) -> None:
    from compassion.voices.intake import ingest_raw
    from compassion.voices.models import QuarantinedMessage

    ingest_raw(cast.office, b"\x00\x01 not an email at all", "junk.eml")
    log_in(page, live_server, "charlie")
    page.goto(f"{live_server.url}/inbox/quarantine/")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Delete junk.eml").click()
    assert QuarantinedMessage.objects.count() == 1
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete junk.eml").click()
    expect(page.get_by_role("status")).to_contain_text("Deleted junk.eml from quarantine.")
    expect(page.locator("tr", has_text="junk.eml")).to_have_count(0)
    assert QuarantinedMessage.objects.count() == 0


def test_it_sends_a_campaign_reply_after_confirmation(
    page: Any, live_server: Any, cast: Cast
) -> None:
    from compassion.cases.models import Case

    campaign = Campaign.objects.create(office=cast.office, title="Keep the 42 bus")
    case = Case.objects.create(
        office=cast.office, person=cast.person, reference="C-1", subject="Bus"
    )
    Voice.objects.create(
        office=cast.office,
        person=cast.person,
        case=case,
        campaign=campaign,
        sender_name="Joan Smith",
        sender_email="joan@example.com",
        subject="Keep the 42 bus",
        body="Keep it.",
        personal_lines="I use it to reach my dialysis appointments.",
    )
    log_in(page, live_server, "charlie")
    page.goto(f"{live_server.url}/inbox/campaigns/")
    page.get_by_role("link", name="Keep the 42 bus").click()
    assert "dialysis" in page.get_by_role("region", name="In their own words").inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Send the reply to everyone").click()
    assert "Sent 1 personalised reply." in page.get_by_role("status").inner_text()
