"""In real Chromium: a caseworker takes an urgent case from the list to its outcome."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from compassion.cases.models import Agency, Case, Referral, Reply, ReplyTemplate, Status
from compassion.core.models import AuditEntry, Consent
from compassion.voices.models import Voice
from tests.cases.conftest import make_case
from tests.conftest import Cast, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def prepare(cast: Cast) -> Case:
    Consent.objects.create(person=cast.person, purpose="casework", given=True)
    make_case(
        cast.office,
        cast.person,
        subject="Council tax arrears",
        status=Status.CLOSED,
        outcome="partly",
        opened_at=timezone.now() - timedelta(days=300),
    )
    make_case(cast.office, None, subject="Bins not collected on Mill Lane")
    case = make_case(
        cast.office,
        cast.person,
        subject="Bailiffs coming on Friday",
        theme="housing",
        urgent=True,
        urgency_reasons=["Eviction or homelessness imminent"],
        body="The bailiffs are coming on Friday and we have nowhere to go with the children. "
        "Please help.",
    )
    Voice.objects.filter(case=case).update(
        flags=[{"kind": "eviction", "evidence": "bailiffs are coming on Friday"}],
        emotion="distress",
        emotion_words="we have nowhere to go",
        request_for_help=True,
        request_words="Please help",
    )
    ReplyTemplate.objects.create(
        office=cast.office,
        kind="reply",
        theme="housing",
        name="Housing: on it today",
        subject="Your home: {{ reference }}",
        body="Dear {{ first_name }},\n\nI am so sorry. You told us: {{ heard }}.\n\nI have "
        "rung the council homeless team today and will call you by 5pm tomorrow.\n\n"
        "{{ caseworker }}",
    )
    ReplyTemplate.objects.create(
        office=cast.office,
        kind="referral",
        name="Homelessness referral",
        subject="{{ full_name }}: {{ reference }}",
        body="Dear {{ agency_team }},\n\nPlease prevent the eviction of {{ full_name }}.",
    )
    Agency.objects.create(
        office=cast.office,
        kind="council_housing",
        name="Northby Housing",
        team="Homeless prevention team",
        address="Town Hall\nNorthby",
    )
    return case


def test_a_caseworker_takes_an_urgent_case_to_its_outcome(
    page: Any, live_server: Any, cast: Cast
) -> None:
    case = prepare(cast)
    log_in(page, live_server, "charlie")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    first_row = page.locator("tbody tr").first
    assert "Bailiffs coming on Friday" in first_row.inner_text()
    assert "Eviction or homelessness imminent" in first_row.inner_text()

    page.get_by_role("link", name=case.reference).click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith(case.reference)
    urgent = page.get_by_role("region", name="Why this is urgent")
    assert "bailiffs are coming on Friday" in urgent.inner_text()
    assert "Council tax arrears" in page.get_by_role("region", name="Their history").inner_text()
    message = page.get_by_role("article", name="Message of")
    assert "feeling: distress (“we have nowhere to go”)" in message.inner_text()
    assert "asks for help (“Please help”)" in message.inner_text()
    page.screenshot(path="/tmp/cases-browser-case.png", full_page=True)

    page.get_by_text("Record what matters most").click()
    page.get_by_label("What matters most to them, in their own words").fill(
        "keeping the children in their school"
    )
    page.get_by_role("button", name="Save", exact=True).click()
    assert "keeping the children in their school" in page.locator(".heard-quote").inner_text()

    page.get_by_text("Record a call, letter or visit about this case").click()
    page.get_by_label("What they told you").fill("She rang: the bailiffs now say Thursday.")
    page.get_by_label("Date").fill((timezone.localdate() + timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Record it").click()
    expect(page.get_by_text("The date cannot be in the future.")).to_be_visible()
    typed = page.get_by_label("What they told you")  # kept, in the form left open
    expect(typed).to_have_value("She rang: the bailiffs now say Thursday.")
    page.get_by_label("Date").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Record it").click()
    expect(page.get_by_role("status")).to_contain_text("Phone call recorded on this case.")
    expect(page.locator(".voice:target")).to_contain_text("the bailiffs now say Thursday")
    assert page.get_by_role("heading", name="Messages (2)").is_visible()

    page.get_by_role("link", name="Write a reply").click()
    page.get_by_role("link", name="Housing: on it today").click()
    page.wait_for_url("**template=**")  # the empty draft's box is on the page before it
    body = page.get_by_label("Your reply")
    assert "You told us: keeping the children in their school." in body.input_value()
    coach = page.locator("#coach")
    coach.locator('[data-coach="reading"]').wait_for(timeout=60_000)
    assert "Commits to a concrete next step with a date" in coach.inner_text()
    body.fill("Dear Joan,\n\nThanks for your email.")
    coach.get_by_text("Offer a concrete next step").wait_for(timeout=60_000)
    body.fill(
        body.input_value() + "\nI am so sorry. I will ring the council today and call "
        "you by 5pm tomorrow."
    )
    page.get_by_role("button", name="Send the reply").click()
    assert "Reply sent to joan@example.com" in page.get_by_role("status").inner_text()

    page.get_by_role("link", name="Write to an agency").click()
    page.get_by_label("Agency", exact=True).select_option(label="Northby Housing")
    page.get_by_role("button", name="Fill in the letter").click()
    page.wait_for_url("**template=**")  # the empty letter's box is on the page before it
    letter_box = page.get_by_label("Letter", exact=True)
    assert "Dear Homeless prevention team," in letter_box.input_value()
    page.get_by_role("button", name="Log the letter").click()
    assert "Letter to Northby Housing logged" in page.get_by_role("status").inner_text()
    letter = page.get_by_role("link", name="Letter (PDF)").get_attribute("href")
    pdf = page.request.get(f"{live_server.url}{letter}")
    assert pdf.body().startswith(b"%PDF")

    outcome = page.get_by_role("group", name="Did we help them?")
    outcome.get_by_label("Helped", exact=True).check()
    page.get_by_label("The help given").fill("Eviction postponed; family rehoused locally.")
    page.get_by_role("button", name="Record the outcome and close").click()
    # The same address, and the page before showed the letter's message.
    expect(page.get_by_role("status")).to_contain_text("Case closed: Helped")
    letters = page.get_by_role("region", name="Letters to agencies")
    expect(letters).to_contain_text("No answer had come when the case was closed.")
    assert "Chase on" not in letters.inner_text()

    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.heard == "keeping the children in their school"
    assert Reply.objects.filter(case=case).count() == 1
    assert Referral.objects.filter(case=case).count() == 1
    assert case.voices.filter(channel="phone", recorded_by=cast.caseworker).count() == 1


def test_closing_a_case_nobody_has_answered_asks_first(
    page: Any, live_server: Any, cast: Cast
) -> None:
    case = make_case(
        cast.office,
        cast.person,
        subject="Damp in the children's bedroom",
        acknowledge_by=timezone.localdate() - timedelta(days=3),
    )
    log_in(page, live_server, "charlie")
    overdue = page.locator('[data-figure="overdue_acknowledgements"]')
    expect(overdue).to_have_text("1")

    page.goto(f"{live_server.url}/cases/{case.pk}/")
    moves = page.get_by_label("Move the case to").inner_text()
    assert "In progress" in moves and "Resolved" not in moves and "Closed" not in moves
    expect(page.locator("[data-unanswered]")).to_contain_text(
        "Joan Smith has not heard from us: no acknowledgement and no reply has been sent."
    )
    page.get_by_label("Helped", exact=True).check()
    page.get_by_label("The help given").fill("Her landlord is fixing the damp this week.")
    close = page.get_by_role("button", name="Record the outcome and close")
    close.click()
    # Chromium holds the form until the box is ticked: nothing is sent, nothing typed is lost.
    confirm = page.get_by_label("Close it without writing to them")
    assert confirm.evaluate("box => box.validity.valueMissing")
    assert page.get_by_label("The help given").input_value().startswith("Her landlord")
    case.refresh_from_db()
    assert case.status == Status.NEW

    confirm.check()
    close.click()
    expect(page.get_by_role("status")).to_contain_text("Case closed: Helped")
    expect(page.get_by_role("region", name="Outcome")).to_contain_text(
        "Closed without an acknowledgement or a reply to them."
    )
    assert AuditEntry.objects.filter(
        object_id=str(case.pk),
        summary="Closed: Helped, confirmed with no acknowledgement or reply sent",
    ).exists()
    page.goto(f"{live_server.url}/")
    expect(overdue).to_have_text("0")


def test_the_manager_sees_the_teams_load_and_finds_a_case(
    page: Any, live_server: Any, cast: Cast
) -> None:
    now = timezone.now()
    make_case(
        cast.office,
        cast.person,
        assigned_to=cast.caseworker,
        assigned_at=now,
        distress_load=0.9,
        subject="Domestic abuse disclosure",
    )
    make_case(
        cast.office,
        cast.person,
        subject="Pothole on Queen Street",
        body="The pothole outside number 14 has burst two tyres.",
    )
    log_in(page, live_server, "mandy")
    page.goto(f"{live_server.url}/cases/team/")
    rows = page.get_by_role("table").inner_text()
    assert "Charlie" in rows and "Mandy" in rows
    assert (
        "Mandy has had the least distressing casework"
        in page.locator("[data-suggestion]").inner_text()
    )

    page.get_by_role("link", name="Cases", exact=True).first.click()
    page.get_by_label("Search cases and messages").fill("tyres")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=tyres**")
    table = page.get_by_role("table").inner_text()
    assert "Pothole on Queen Street" in table and "Domestic abuse" not in table


def test_a_manager_gives_two_unassigned_cases_to_a_caseworker_at_once(
    page: Any, live_server: Any, cast: Cast
) -> None:
    first = make_case(cast.office, cast.person, subject="Damp in the bedroom")
    second = make_case(cast.office, cast.person, subject="Rent arrears letter")
    left = make_case(cast.office, cast.person, subject="Bins not collected")
    log_in(page, live_server, "mandy")
    page.goto(f"{live_server.url}/cases/?status=open&worker=none")
    page.get_by_label(f"Tick {first.reference}").check()
    page.get_by_label(f"Tick {second.reference}").check()
    page.get_by_label("Give the ticked cases to").select_option(label="Charlie")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("2 cases now with Charlie")
    assert page.url.endswith("/cases/?status=open&worker=none")  # the same list, shorter
    assert page.get_by_label(f"Tick {left.reference}").is_visible()
    assert page.get_by_label(f"Tick {first.reference}").count() == 0
    first.refresh_from_db()
    assert first.assigned_to == cast.caseworker


def test_a_reply_to_someone_without_email_is_printed_as_a_letter(
    page: Any, live_server: Any, cast: Cast
) -> None:
    cast.person.email = ""
    cast.person.address_line1 = "12 Mill Lane"
    cast.person.save()
    case = make_case(cast.office, cast.person, subject="Damp in the bedroom")
    log_in(page, live_server, "charlie")
    page.goto(f"{live_server.url}/cases/{case.pk}/reply/")
    page.get_by_label("Subject").fill("Your damp")
    page.get_by_label("Your reply").fill("Dear Joan,\n\nI have written to the council today.")
    page.get_by_role("button", name="Send the reply").click()
    expect(page.get_by_role("status").first).to_contain_text("print its letter below")
    letter = page.get_by_role("link", name="Letter to post (PDF)")
    pdf = page.request.get(f"{live_server.url}{letter.get_attribute('href')}")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")


def answer_next_question(page: Any, accept: bool) -> list[str]:
    """The words of the next question the page asks (window.confirm), answered as told."""
    asked: list[str] = []

    def answer(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", answer)
    return asked


def test_choosing_a_template_asks_before_it_replaces_what_was_typed(
    page: Any, live_server: Any, cast: Cast
) -> None:
    case = prepare(cast)
    log_in(page, live_server, "charlie")
    page.goto(f"{live_server.url}/cases/{case.pk}/reply/")
    draft = page.get_by_label("Your reply")
    draft.fill("Dear Joan, I rang the council this morning.")
    asked = answer_next_question(page, accept=False)
    page.get_by_role("link", name="Housing: on it today").click()
    assert asked == ["What you typed in “Your reply” is not saved and will be lost. Carry on?"]
    expect(draft).to_have_value("Dear Joan, I rang the council this morning.")
    assert "template=" not in page.url

    answer_next_question(page, accept=True)
    page.get_by_role("link", name="Housing: on it today").click()
    page.wait_for_url("**template=**")
    assert "I have rung the council homeless team" in draft.input_value()

    agency = Agency.objects.get(office=cast.office)
    page.goto(f"{live_server.url}/cases/{case.pk}/referral/?agency={agency.pk}")
    page.get_by_label("Subject").fill("Joan Smith: the eviction on Friday")
    asked = answer_next_question(page, accept=False)
    page.get_by_role("button", name="Fill in the letter").click()
    assert asked == ["What you typed in “Subject” is not saved and will be lost. Carry on?"]
    expect(page.get_by_label("Subject")).to_have_value("Joan Smith: the eviction on Friday")


def test_sending_one_form_of_the_case_page_asks_while_another_holds_typed_text(
    page: Any, live_server: Any, cast: Cast
) -> None:
    case = prepare(cast)
    log_in(page, live_server, "charlie")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_text("Add an action").click()
    typed = page.get_by_label("What will be done")
    typed.fill("Ring the council homeless team")
    page.get_by_label("Move the case to").select_option(label="In progress")
    asked = answer_next_question(page, accept=False)
    page.get_by_role("button", name="Change status").click()
    assert asked == [
        "What you typed in “What will be done” is not saved and will be lost. Carry on?"
    ]
    expect(typed).to_have_value("Ring the council homeless team")

    page.get_by_role("button", name="Add the action").click()  # its own form: no question
    expect(page.get_by_role("status")).to_contain_text("Action added")
    page.get_by_label("Move the case to").select_option(label="In progress")
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_role("status")).to_contain_text("The case is now: In progress.")


def test_the_letters_boxes_line_up(page: Any, live_server: Any, cast: Cast) -> None:
    case = prepare(cast)
    log_in(page, live_server, "charlie")
    agency = Agency.objects.get(office=cast.office)
    page.goto(f"{live_server.url}/cases/{case.pk}/referral/?agency={agency.pk}")
    for boxes in (("#pick-agency", "#pick-template"), ("#id_subject", "#id_body")):
        widths = {page.locator(box).bounding_box()["width"] for box in boxes}
        assert len(widths) == 1
