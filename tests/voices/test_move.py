"""A follow-up sent without "Re:" opens a case of its own; staff file it where it belongs."""

from datetime import date

from django.test import Client

from compassion.cases.models import Action, Case, Reply
from compassion.core.models import AuditEntry
from compassion.voices import analysis
from compassion.voices.intake import ingest_raw
from compassion.voices.models import Voice
from tests.conftest import Cast
from tests.voices.mail import email_bytes


def two_cases(cast: Cast) -> tuple[Voice, Voice]:
    """Joan writes about the damp, then again, days later, in a new email."""
    ingest_raw(cast.office, email_bytes(), "first.eml")
    follow_up = email_bytes(
        subject="Still waiting",
        body="The bailiffs came today about the rent I withheld for the damp. Please help.",
        message_id="<m2@mail.example.com>",
    )
    ingest_raw(cast.office, follow_up, "second.eml")
    analysis.analyse(list(Voice.objects.all()))  # as intake does after it stores them
    first, second = Voice.objects.order_by("pk")
    assert first.case != second.case  # no "Re:", no reference: a case of its own
    return first, second


def test_it_files_the_follow_up_under_the_case_it_belongs_to(client: Client, cast: Cast) -> None:
    first, second = two_cases(cast)
    stray = second.case
    assert Reply.objects.filter(case=stray, kind="acknowledgement").count() == 1
    client.force_login(cast.caseworker)
    page = client.get(f"/inbox/{second.pk}/").content.decode()
    assert "About another of their open cases?" in page
    assert f'<option value="{first.case.pk}">{first.case.reference} · Damp in my flat' in page

    response = client.post(f"/inbox/{second.pk}/move/", {"case": first.case.pk}, follow=True)

    second.refresh_from_db()
    assert second.case == first.case
    assert not Case.objects.filter(pk=stray.pk).exists()  # the message was all it held
    assert Reply.objects.filter(case=first.case, kind="acknowledgement").count() == 2
    assert f"Moved to {first.case.reference}." in response.content.decode()
    entry = AuditEntry.objects.get(action="change", object_type="voice")
    assert entry.summary == f"Moved the message from {stray.reference} to {first.case.reference}"
    first.case.refresh_from_db()
    assert second.is_urgent and first.case.urgent  # what the follow-up says counts on its case
    found = client.get("/cases/", {"status": "", "q": "bailiffs"}).content.decode()
    assert first.case.reference in found  # the search index follows the message


def test_it_keeps_the_case_it_leaves_when_that_holds_other_work(client: Client, cast: Cast) -> None:
    first, second = two_cases(cast)
    stray = second.case
    Action.objects.create(
        case=stray, description="Ring Joan", owner=cast.caseworker, due_on=date(2026, 12, 1)
    )
    heard = make_heard(second.case)
    client.force_login(cast.caseworker)
    for voice in (second, heard):
        response = client.post(f"/inbox/{voice.pk}/move/", {"case": first.case.pk}, follow=True)
        assert Case.objects.filter(pk=voice.case_id).exists()
        assert f"{voice.case.reference} is kept" in response.content.decode()


def test_the_case_it_leaves_is_no_longer_urgent_for_what_the_message_said(
    client: Client, cast: Cast
) -> None:
    first, second = two_cases(cast)
    stray = second.case
    stray.refresh_from_db()
    assert stray.urgent and stray.urgency_reasons and stray.distress_load > 0
    stray.heard = "Her daughter's asthma"
    stray.save()
    client.force_login(cast.caseworker)

    client.post(f"/inbox/{second.pk}/move/", {"case": first.case.pk}, follow=True)

    stray.refresh_from_db()
    assert (stray.urgent, stray.urgency_reasons, stray.distress_load) == (False, [], 0.0)
    urgent_list = client.get("/cases/", {"status": "open", "urgent": "1"}).content.decode()
    assert stray.reference not in urgent_list


def make_heard(case: Case) -> Voice:
    """Another message of the same person in a case of its own, where staff wrote down
    what matters most to them."""
    later = Case.objects.create(
        office=case.office, person=case.person, reference="H-1", heard="Her son's school"
    )
    return Voice.objects.create(office=case.office, person=case.person, case=later, body="...")


def test_it_moves_only_to_the_same_persons_open_cases_in_the_office(
    client: Client, cast: Cast
) -> None:
    first, second = two_cases(cast)
    someone_else = Case.objects.create(office=cast.office, reference="X-1", subject="Not hers")
    theirs = Case.objects.create(office=cast.other_office, reference="Y-1", person=cast.person)
    first.case.status = "closed"
    first.case.save()
    client.force_login(cast.caseworker)
    for target in (someone_else, theirs, first.case):
        response = client.post(f"/inbox/{second.pk}/move/", {"case": target.pk}, follow=True)
        assert "Nothing was moved" in response.content.decode()
    second.refresh_from_db()
    assert Case.objects.filter(pk=second.case_id).exists()
    assert (
        "About another of their open cases?"
        not in client.get(f"/inbox/{second.pk}/").content.decode()
    )
    client.force_login(cast.volunteer)
    assert client.post(f"/inbox/{second.pk}/move/", {"case": first.case.pk}).status_code == 403


def test_it_offers_the_newest_fifty_of_many_open_cases_and_says_so(
    client: Client, cast: Cast
) -> None:
    first, second = two_cases(cast)
    Case.objects.bulk_create(
        Case(office=cast.office, person=cast.person, reference=f"M-{n:02d}", subject="Bins")
        for n in range(50)
    )
    client.force_login(cast.caseworker)
    page = client.get(f"/inbox/{second.pk}/").content.decode()
    assert page.count("· Bins</option>") + page.count("· Damp in my flat</option>") == 50
    assert "Only their 50 newest open cases are listed." in page
