import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from compassion.cases.models import (
    Action,
    Agency,
    Case,
    ChecklistQuestion,
    Obstacle,
    Referral,
    SatisfactionRequest,
    Status,
)
from compassion.core.models import AuditEntry, Consent, Person
from compassion.core.workdays import add_working_days, working_days_between
from compassion.voices.models import Campaign, Voice
from tests.cases.conftest import make_case
from tests.conftest import NO_MAIL_SERVER, Cast


def test_it_shows_history_flags_campaign_and_similar_cases(client: Client, cast: Cast) -> None:
    cast.person.ward = "Eastfield"
    cast.person.vulnerabilities = ["mental_health"]
    cast.person.save()
    earlier = make_case(
        cast.office,
        cast.person,
        subject="Council tax arrears",
        status=Status.CLOSED,
        outcome="partly",
        opened_at=timezone.now() - timedelta(days=400),
    )
    campaign = Campaign.objects.create(office=cast.office, title="Save Eastfield library")
    case = make_case(
        cast.office,
        cast.person,
        subject="Bailiffs coming",
        theme="housing",
        urgent=True,
        urgency_reasons=["Eviction or homelessness imminent"],
        campaign=campaign,
        body="The bailiffs are coming on Friday and we have nowhere to go.",
    )
    Voice.objects.filter(case=case).update(
        flags=[
            {
                "kind": "eviction",
                "label": "Eviction imminent",
                "evidence": ["bailiffs are coming on Friday", "nowhere to go"],
            }
        ],
        emotion="distress",
        theme="housing",
        theme_confidence=0.48,
    )
    neighbour = Person.objects.create(office=cast.office, first_name="Nia", ward="Eastfield")
    nearby = make_case(cast.office, neighbour, subject="Section 21 notice", theme="housing")
    echo = make_case(
        cast.office,
        None,
        subject="Bailiffs coming",
        theme="housing",
        body="The bailiffs are coming on Friday and we have nowhere to go at all.",
    )
    make_case(cast.other_office, cast.other_person, subject="Bailiffs elsewhere", theme="housing")

    client.force_login(cast.caseworker)
    html = client.get(f"/cases/{case.pk}/").content.decode()

    assert "Eviction or homelessness imminent" in html
    assert "theme: Housing and repairs (48% sure)" in html
    assert "Eviction imminent</strong>, in the message of" in html
    assert "“bailiffs are coming on Friday”" in html and "“nowhere to go”" in html
    assert earlier.reference in html and "Partly helped" in html
    assert "Mental health" in html
    assert "Save Eastfield library" in html
    assert nearby.reference in html and "also in Eastfield" in html
    assert echo.reference in html and "Nearly the same words" in html
    assert "Bailiffs elsewhere" not in html
    entry = AuditEntry.objects.get(action="view", object_type="case")
    assert entry.person == cast.person


def test_it_hides_another_offices_case_and_refuses_changes(client: Client, cast: Cast) -> None:
    theirs = make_case(cast.other_office, cast.other_person)
    client.force_login(cast.caseworker)
    assert client.get(f"/cases/{theirs.pk}/").status_code == 404
    response = client.post(f"/cases/{theirs.pk}/heard/", {"heard": "mine now"})
    assert response.status_code == 404
    assert (
        client.post(
            f"/cases/{theirs.pk}/close/", {"outcome": "helped", "help_given": "x"}
        ).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert theirs.heard == "" and theirs.status == Status.NEW


def test_it_keeps_volunteers_read_only(client: Client, cast: Cast) -> None:
    case = make_case(cast.office, cast.person)
    client.force_login(cast.volunteer)
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert client.post(f"/cases/{case.pk}/heard/", {"heard": "x"}).status_code == 403


def test_it_pauses_the_clock_while_waiting_on_a_third_party(client: Client, cast: Cast) -> None:
    opened = timezone.now() - timedelta(days=21)
    case = make_case(
        cast.office,
        cast.person,
        opened_at=opened,
        reply_by=timezone.localdate() + timedelta(days=2),
    )
    client.force_login(cast.caseworker)
    client.post(f"/cases/{case.pk}/status/", {"status": "waiting"})
    case.refresh_from_db()
    assert case.status == Status.WAITING and case.acknowledged_at is None
    waiting_since = timezone.now() - timedelta(days=14)
    Case.objects.filter(pk=case.pk).update(waiting_since=waiting_since)
    before = case.reply_by
    client.post(f"/cases/{case.pk}/status/", {"status": "in_progress"})
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    region = cast.office.holiday_region
    waited = working_days_between(timezone.localdate(waiting_since), timezone.localdate(), region)
    assert case.paused_days == waited > 0
    assert case.reply_by == add_working_days(before, waited, region)
    assert case.clock_days(timezone.localdate()) <= 6


def answered_case(cast: Cast) -> Case:
    """A case whose person has had a reply from the office."""
    now = timezone.now()
    return make_case(
        cast.office,
        cast.person,
        status=Status.IN_PROGRESS,
        acknowledged_at=now,
        first_reply_at=now,
    )


def test_it_refuses_to_close_without_an_outcome_and_keeps_what_was_typed(
    client: Client, cast: Cast
) -> None:
    case = make_case(cast.office, cast.person)
    client.force_login(cast.caseworker)
    response = client.post(
        f"/cases/{case.pk}/close/", {"help_given": "Council agreed to rehouse them."}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The case is still open: correct what is marked below." in page
    assert "Choose the outcome." in page
    assert "Council agreed to rehouse them.</textarea>" in page
    case.refresh_from_db()
    assert case.status == Status.NEW

    empty = client.post(f"/cases/{case.pk}/close/", {"outcome": "helped", "help_given": ""})
    assert "Say what help was given." in empty.content.decode()
    assert 'value="helped" id="id_outcome_0" required checked' in empty.content.decode()


def test_a_refused_obstacle_keeps_what_was_typed(client: Client, cast: Cast) -> None:
    case = make_case(cast.office, cast.person)
    client.force_login(cast.caseworker)
    response = client.post(
        f"/cases/{case.pk}/obstacles/",
        {"kind": "no-such-kind", "description": "Housing team will not answer the phone."},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was recorded: correct what is marked below." in page
    assert 'value="Housing team will not answer the phone."' in page
    assert re.search(r"<details class=\"more\" open><summary>Record an obstacle", page)
    assert not Obstacle.objects.filter(case=case).exists()


def test_it_closes_with_the_help_given_and_asks_if_we_helped(client: Client, cast: Cast) -> None:
    Consent.objects.create(person=cast.person, purpose="survey", given=True)
    case = answered_case(cast)
    client.force_login(cast.caseworker)
    assert "has not heard from us" not in client.get(f"/cases/{case.pk}/").content.decode()
    client.post(
        f"/cases/{case.pk}/close/",
        {"outcome": "helped", "help_given": "Repair done after MP letter."},
    )
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.outcome == "helped"
    assert case.closed_at and case.resolved_at
    asked = SatisfactionRequest.objects.get(case=case)
    assert asked.token in mail.outbox[0].body
    client.logout()
    page = client.get(f"/cases/feedback/{asked.token}/")
    assert b"Did we help you?" in page.content
    client.post(f"/cases/feedback/{asked.token}/", {"answer": "partly", "comment": "Slow.\x00"})
    asked.refresh_from_db()
    assert asked.answer == "partly" and asked.comment == "Slow."  # a pasted NUL is dropped
    assert client.get("/cases/feedback/not-a-token/").status_code == 404


def test_a_case_closes_when_the_question_about_the_service_cannot_be_emailed(
    client: Client, cast: Cast
) -> None:

    Consent.objects.create(person=cast.person, purpose="survey", given=True)
    case = answered_case(cast)
    client.force_login(cast.caseworker)
    client.raise_request_exception = False
    with NO_MAIL_SERVER:
        response = client.post(
            f"/cases/{case.pk}/close/",
            {"outcome": "helped", "help_given": "Repair done after MP letter."},
            follow=True,
        )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.help_given == "Repair done after MP letter."
    assert "the mail server did not accept it, so they were not asked" in (
        response.content.decode()
    )
    assert not SatisfactionRequest.objects.exists()


def test_it_does_not_ask_without_survey_consent(client: Client, cast: Cast) -> None:
    case = answered_case(cast)
    client.force_login(cast.caseworker)
    client.post(f"/cases/{case.pk}/close/", {"outcome": "referred", "help_given": "CAB."})
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert not SatisfactionRequest.objects.exists()
    assert mail.outbox == []


def test_a_new_actions_due_date_is_filled_in_as_a_date_box_reads_it(
    client: Client, cast: Cast
) -> None:
    """A date box reads only 2026-12-04; it shows '04/12/2026' as empty."""
    case = make_case(cast.office, cast.person)
    client.force_login(cast.caseworker)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    due = re.search(r'<input type="date" name="due_on" value="([^"]*)"', page)
    assert due and re.fullmatch(r"\d{4}-\d{2}-\d{2}", due.group(1))


def test_it_records_heard_checklist_actions_and_obstacles(client: Client, cast: Cast) -> None:
    case = make_case(cast.office, cast.person, theme="housing")
    mine = ChecklistQuestion.objects.create(
        office=cast.office, theme="housing", text="Who is the landlord?"
    )
    ChecklistQuestion.objects.create(office=cast.office, theme="housing", text="Children?")
    foreign = ChecklistQuestion.objects.create(
        office=cast.other_office, theme="housing", text="Theirs"
    )
    client.force_login(cast.caseworker)
    client.post(f"/cases/{case.pk}/heard/", {"heard": "  My son can breathe at night.  "})
    client.post(f"/cases/{case.pk}/explored/", {"question": [str(mine.pk), str(foreign.pk), "x"]})
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    client.post(
        f"/cases/{case.pk}/actions/",
        {"description": "Ring Northby Homes", "owner": cast.caseworker.pk, "due_on": due},
    )
    client.post(
        f"/cases/{case.pk}/obstacles/",
        {"kind": "no_answer", "description": "Repairs line never picks up"},
    )
    bad = client.post(
        f"/cases/{case.pk}/actions/", {"description": "", "due_on": "soon"}, follow=True
    )
    last_year = client.post(
        f"/cases/{case.pk}/actions/",
        {"description": "Chase", "owner": cast.caseworker.pk, "due_on": "2020-01-01"},
        follow=True,
    )
    assert "1 January 2020 has passed: choose today or a later day." in last_year.content.decode()
    case.refresh_from_db()
    assert case.heard == "My son can breathe at night."
    assert case.explored == [mine.pk]
    action = Action.objects.get(case=case)
    assert action.owner == cast.caseworker
    assert Obstacle.objects.get(case=case).office == cast.office
    assert bad.status_code == 400 and "Nothing was added: correct what is marked" in bad.text
    assert 'id="id_description_error">This field is required.' in bad.text
    assert 'name="description" value="Chase"' in last_year.text  # what was typed is kept
    client.post(f"/cases/{case.pk}/actions/{action.pk}/done/")
    action.refresh_from_db()
    assert action.done_at is not None
    assert AuditEntry.objects.filter(action="change", object_id=str(case.pk)).count() == 5


@pytest.mark.parametrize("role", ["caseworker", "manager"])
def test_it_assigns_and_suggests_the_least_exposed(client: Client, cast: Cast, role: str) -> None:
    now = timezone.now()
    for _ in range(2):
        make_case(
            cast.office,
            cast.person,
            assigned_to=cast.caseworker,
            assigned_at=now,
            distress_load=0.9,
        )
    case = make_case(cast.office, cast.person)
    client.force_login(getattr(cast, role))
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Suggested: Mandy has had the least distressing casework" in html
    client.post(f"/cases/{case.pk}/assign/", {"assigned_to": cast.manager.pk})
    case.refresh_from_db()
    assert case.assigned_to == cast.manager and case.assigned_at is not None
    response = client.post(f"/cases/{case.pk}/assign/", {"assigned_to": cast.outsider.pk})
    case.refresh_from_db()
    assert response.status_code == 302 and case.assigned_to == cast.manager


def test_it_refuses_a_forged_post_without_the_csrf_token(cast: Cast) -> None:
    case = make_case(cast.office, cast.person)
    forger = Client(enforce_csrf_checks=True)
    forger.force_login(cast.caseworker)
    response = forger.post(f"/cases/{case.pk}/close/", {"outcome": "helped", "help_given": "x"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == Status.NEW and case.outcome == ""


def test_it_reopens_a_closed_case_when_the_person_needs_more(client: Client, cast: Cast) -> None:
    case = answered_case(cast)
    client.force_login(cast.caseworker)
    client.post(f"/cases/{case.pk}/close/", {"outcome": "helped", "help_given": "Repair done."})
    assert "Reopen the case" in client.get(f"/cases/{case.pk}/").content.decode()
    client.post(f"/cases/{case.pk}/status/", {"status": "in_progress"})
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.closed_at is None and case.is_open


def late_case(cast: Cast) -> Case:
    """A new case nobody has answered, past the date to acknowledge it."""
    return make_case(
        cast.office,
        cast.person,
        subject="Damp in the children's bedroom",
        acknowledge_by=timezone.localdate() - timedelta(days=3),
        body="The damp is making my son ill. Can you help?",
    )


def overdue_figure(client: Client) -> str:
    """The home page's count of cases not acknowledged in time."""
    html = client.get("/").content.decode()
    return re.search(r'data-figure="overdue_acknowledgements">(\d+)<', html).group(1)


@pytest.mark.parametrize("status", ["resolved", "closed"])
def test_the_status_form_cannot_end_a_case_without_its_outcome(
    client: Client, cast: Cast, status: str
) -> None:
    case = late_case(cast)
    client.force_login(cast.caseworker)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert '<option value="in_progress">In progress</option>' in page
    assert '<option value="resolved">' not in page and '<option value="closed">' not in page

    response = client.post(f"/cases/{case.pk}/status/", {"status": status}, follow=True)

    assert "To resolve or close the case, record its outcome under Outcome." in (
        response.content.decode()
    )
    case.refresh_from_db()
    assert case.status == Status.NEW and case.acknowledged_at is None and case.outcome == ""
    assert overdue_figure(client) == "1"
    assert case.reference in client.get("/cases/?status=open&late=on").content.decode()
    assert not AuditEntry.objects.filter(summary__startswith="Status:").exists()


def test_closing_a_case_nobody_answered_asks_for_a_confirmation(client: Client, cast: Cast) -> None:
    Consent.objects.create(person=cast.person, purpose="survey", given=True)
    case = late_case(cast)
    client.force_login(cast.caseworker)
    assert overdue_figure(client) == "1"
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Joan Smith has not heard from us: no acknowledgement and no reply has been sent." in (
        page
    )
    assert f'href="/cases/{case.pk}/reply/">write to them</a>' in page
    assert 'name="confirm_unanswered"' in page

    outcome = {"outcome": "helped", "help_given": "Spoke to her landlord, who is fixing it."}
    refused = client.post(f"/cases/{case.pk}/close/", outcome, follow=True).content.decode()

    assert "They have had no acknowledgement or reply from us. Write to them first" in refused
    case.refresh_from_db()
    assert case.status == Status.NEW and case.closed_at is None
    assert overdue_figure(client) == "1"

    client.post(f"/cases/{case.pk}/close/", outcome | {"confirm_unanswered": "on"})

    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.outcome == "helped"
    assert case.acknowledged_at is None  # closing is not an acknowledgement
    entry = AuditEntry.objects.get(object_id=str(case.pk), summary__startswith="Closed")
    assert entry.summary == "Closed: Helped, confirmed with no acknowledgement or reply sent"
    assert entry.user == cast.caseworker and entry.person == cast.person
    assert not SatisfactionRequest.objects.exists() and mail.outbox == []
    assert overdue_figure(client) == "0"
    closed = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Closed without an acknowledgement or a reply to them." in closed

    client.post(f"/cases/{case.pk}/status/", {"status": "new"})
    assert overdue_figure(client) == "1"  # reopened, it still owes an acknowledgement


def test_a_closed_cases_actions_and_letters_are_due_from_nobody_until_it_reopens(
    client: Client, cast: Cast
) -> None:
    today = timezone.localdate()
    case = answered_case(cast)
    case.assign(cast.caseworker, timezone.now())
    case.save()
    client.force_login(cast.caseworker)
    Action.objects.create(  # an action set days ago, now overdue
        case=case,
        description="Call the council housing options team",
        owner=cast.caseworker,
        due_on=today - timedelta(days=2),
    )
    agency = Agency.objects.create(office=cast.office, kind="council_housing", name="Northby")
    letter = Referral.objects.create(
        office=cast.office,
        case=case,
        agency=agency,
        subject="Damp",
        body="Please inspect.",
        chase_on=today - timedelta(days=1),
    )
    reminders = 'Due from you <span class="reminders-count">(2)</span>'
    assert reminders in client.get("/cases/").content.decode()
    assert case.reference in client.get("/cases/?status=&due=on").content.decode()

    client.post(f"/cases/{case.pk}/close/", {"outcome": "helped", "help_given": "Repaired."})

    listed = client.get("/cases/").content.decode()
    assert "Due from you" not in listed and "Call the council housing" not in listed
    assert case.reference not in client.get("/cases/?status=&due=on").content.decode()
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Call the council housing options team" in page
    assert "Not done when the case was closed" in page
    assert "No answer had come when the case was closed." in page
    for offered in ("Mark done", "Overdue", "Chase on", "Send a chaser", "Add the action"):
        assert offered not in page
    refused = client.post(f"/cases/letters/{letter.pk}/chase/", follow=True)
    assert "This case is closed: reopen it to chase Northby." in refused.content.decode()
    assert not letter.chasers.exists()

    client.post(f"/cases/{case.pk}/status/", {"status": "in_progress"})

    assert reminders in client.get("/cases/").content.decode()
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Mark done" in page and "Overdue" in page and "Send a chaser" in page


def test_only_acknowledged_or_a_reply_says_the_person_has_heard_from_us(
    client: Client, cast: Cast
) -> None:
    case = make_case(
        cast.office, cast.person, acknowledge_by=timezone.localdate() + timedelta(days=7)
    )
    client.force_login(cast.caseworker)
    moved = client.post(f"/cases/{case.pk}/status/", {"status": "in_progress"}, follow=True)
    assert "They have not heard from us yet: write to them, or choose Acknowledged" in (
        moved.content.decode()
    )
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.acknowledged_at is None
    assert list(Case.objects.unacknowledged()) == [case]
    day = case.acknowledge_by
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f"acknowledge by {day:%a} {day.day} {day:%b}" in page
    listed = client.get("/cases/", {"status": "in_progress"}).content.decode()
    assert f"Acknowledge by {day.day} {day:%b}" in listed

    client.post(f"/cases/{case.pk}/status/", {"status": "acknowledged"})
    case.refresh_from_db()
    assert case.acknowledged_at is not None and not Case.objects.unacknowledged().exists()

    replied = make_case(cast.office, cast.person, status=Status.WAITING)
    client.post(
        f"/cases/{replied.pk}/reply/",
        {"subject": "Your housing case", "body": "Dear Joan, we have written to the council."},
    )
    replied.refresh_from_db()
    assert replied.first_reply_at is not None and replied.acknowledged_at is not None


def test_a_heavy_message_is_marked_in_words_not_a_score(client: Client, cast: Cast) -> None:
    case = make_case(cast.office, cast.person, body="They cut off the gas and the baby is ill.")
    Voice.objects.filter(case=case).update(distress_load=0.84)
    client.force_login(cast.caseworker)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "heavy to read" in page and "0.84" not in page
    Voice.objects.filter(case=case).update(distress_load=0.2)
    assert "heavy to read" not in client.get(f"/cases/{case.pk}/").content.decode()
