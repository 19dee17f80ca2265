"""Recording a call, letter or visit about a case on the case itself."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from compassion.cases.models import Status
from compassion.core.models import AuditEntry
from compassion.voices.models import Voice
from tests.cases.conftest import make_case
from tests.conftest import Cast


def note(day: object = None, body: str = "She rang: the bailiffs now say Friday.") -> dict:
    return {
        "channel": "phone",
        "received_on": (day or timezone.localdate()).isoformat(),
        "body": body,
    }


def test_a_call_about_a_case_is_kept_on_that_case_not_a_new_one(client: Client, cast: Cast) -> None:
    case = make_case(cast.office, cast.person, subject="Bailiffs", body="Bailiffs wrote to me.")
    client.force_login(cast.caseworker)

    response = client.post(f"/cases/{case.pk}/notes/", note(), follow=True)

    voice = Voice.objects.exclude(body="Bailiffs wrote to me.").get()
    assert (voice.case, voice.person, voice.channel) == (case, cast.person, "phone")
    assert voice.subject == "Phone call"
    assert voice.recorded_by == cast.caseworker
    assert voice.read_at is not None  # whoever wrote it down has read it
    assert cast.person.cases.count() == 1
    assert "Phone call recorded on this case." in response.content.decode()
    assert "the bailiffs now say Friday" in response.content.decode()
    entry = AuditEntry.objects.get(action="create")
    assert (entry.person, entry.summary) == (cast.person, "Recorded a note on the case")


def test_a_double_click_records_the_call_once(client: Client, cast: Cast) -> None:
    case = make_case(cast.office, cast.person)
    client.force_login(cast.caseworker)
    client.post(f"/cases/{case.pk}/notes/", note())
    response = client.post(f"/cases/{case.pk}/notes/", note(), follow=True)
    assert case.voices.count() == 1
    assert "already recorded" in response.content.decode()


def test_it_keeps_a_past_date_and_refuses_a_future_one(client: Client, cast: Cast) -> None:
    case = make_case(cast.office, cast.person)
    client.force_login(cast.caseworker)
    last_week = timezone.localdate() - timedelta(days=7)
    client.post(f"/cases/{case.pk}/notes/", note(last_week))
    assert timezone.localtime(case.voices.get().received_at).date() == last_week

    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(f"/cases/{case.pk}/notes/", note(tomorrow, "Later"), follow=True)
    assert response.status_code == 400
    assert "The date cannot be in the future." in response.text
    assert "Later</textarea>" in response.text  # the note typed is not lost
    assert '<details class="more" open><summary>Record a call' in response.text
    assert case.voices.count() == 1


def test_only_staff_who_edit_may_record_and_only_on_their_offices_open_cases(
    client: Client, cast: Cast
) -> None:
    case = make_case(cast.office, cast.person)
    theirs = make_case(cast.other_office, cast.other_person)
    closed = make_case(cast.office, cast.person, status=Status.CLOSED, outcome="helped")
    client.force_login(cast.volunteer)
    assert client.post(f"/cases/{case.pk}/notes/", note()).status_code == 403
    client.force_login(cast.caseworker)
    assert client.post(f"/cases/{theirs.pk}/notes/", note()).status_code == 404
    response = client.post(f"/cases/{closed.pk}/notes/", note(), follow=True)
    assert "This case is closed" in response.content.decode()
    assert Voice.objects.count() == 0
    assert b"Record a call, letter or visit" not in client.get(f"/cases/{closed.pk}/").content
    assert b"Record a call, letter or visit" in client.get(f"/cases/{case.pk}/").content
