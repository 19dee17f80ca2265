from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from compassion.cases.models import Agency, Case, Referral, ReplyTemplate, Status
from compassion.core.models import AuditEntry, Consent
from compassion.core.workdays import add_working_days
from tests.cases.conftest import make_case
from tests.conftest import Cast


def make_agency(cast: Cast) -> Agency:
    return Agency.objects.create(
        office=cast.office,
        kind="council_housing",
        name="Northby Council Housing",
        team="MP enquiries team",
        hotline="0300 123 4567",
        address="Town Hall\nNorthby NB1 1AA",
    )


def make_referral(cast: Cast, case: Case, agency: Agency, chase_on: date | None = None) -> Referral:
    """A letter about the mould, to be chased today unless `chase_on` says otherwise."""
    return Referral.objects.create(
        office=cast.office,
        case=case,
        agency=agency,
        subject="Mould",
        body="Please inspect.",
        chase_on=chase_on or timezone.localdate(),
    )


def test_it_merges_the_case_and_agency_into_a_referral(client: Client, cast: Cast) -> None:
    agency = make_agency(cast)
    template = ReplyTemplate.objects.create(
        office=cast.office,
        kind="referral",
        name="Housing referral",
        subject="{{ full_name }}, {{ postcode }}",
        body="Dear {{ agency_team }},\n\nI write on behalf of {{ full_name }} of {{ address }}.",
    )
    case = make_case(cast.office, cast.person)
    client.force_login(cast.caseworker)
    html = client.get(
        f"/cases/{case.pk}/referral/?agency={agency.pk}&template={template.pk}"
    ).content.decode()
    assert "Joan Smith, NB1 2AB" in html
    assert "Dear MP enquiries team," in html
    assert "no recorded consent" in html


def test_the_template_picker_starts_from_an_agency_that_fits_the_case(
    client: Client, cast: Cast
) -> None:
    Agency.objects.create(office=cast.office, kind="dwp", name="Department for Work and Pensions")
    housing = make_agency(cast)
    client.force_login(cast.caseworker)
    case = make_case(cast.office, cast.person, theme="housing")
    html = client.get(f"/cases/{case.pk}/referral/").content.decode()
    assert f'<option value="{housing.pk}" selected>Northby Council Housing</option>' in html
    unthemed = make_case(cast.office, cast.person, theme="")
    html = client.get(f"/cases/{unthemed.pk}/referral/").content.decode()
    assert '<option value="">Choose an agency</option>' in html
    assert " selected>Northby" not in html


def test_the_letter_is_written_once_the_agency_is_chosen_and_names_it(
    client: Client, cast: Cast
) -> None:
    """One list of agencies: the letter below it goes to the one chosen there."""
    agency = make_agency(cast)
    case = make_case(cast.office, cast.person)
    client.force_login(cast.caseworker)
    first = client.get(f"/cases/{case.pk}/referral/").content.decode()
    assert first.count("<select") == 2  # the agency and what to start from
    assert "Log the letter" not in first
    letter = client.get(f"/cases/{case.pk}/referral/?agency={agency.pk}&template=").content
    page = letter.decode()
    assert "The letter to Northby Council Housing" in page
    assert f'<input type="hidden" name="agency" value="{agency.pk}"' in page
    assert page.count("<select") == 2 and "Log the letter" in page


def test_a_letter_cannot_go_to_another_offices_agency(client: Client, cast: Cast) -> None:
    theirs = Agency.objects.create(office=cast.other_office, kind="dwp", name="Their DWP")
    case = make_case(cast.office, cast.person)
    client.force_login(cast.caseworker)
    page = client.get(f"/cases/{case.pk}/referral/?agency={theirs.pk}").content.decode()
    assert "Their DWP" not in page and "Log the letter" not in page
    data = {"agency": theirs.pk, "subject": "S", "body": "B", "consent_confirmed": "yes"}
    refused = client.post(f"/cases/{case.pk}/referral/", data).content.decode()
    assert "That agency is not in the office&#x27;s directory." in refused
    assert not Referral.objects.exists()


def test_it_needs_consent_then_logs_the_letter_and_waits(client: Client, cast: Cast) -> None:
    agency = make_agency(cast)
    case = make_case(cast.office, cast.person)
    client.force_login(cast.caseworker)
    data = {"agency": agency.pk, "subject": "Mould at 4 Mill Lane", "body": "Please inspect."}
    refused = client.post(f"/cases/{case.pk}/referral/", data)
    assert "Nothing was sent" in refused.content.decode()
    assert not Referral.objects.exists()
    Consent.objects.create(person=cast.person, purpose="casework", given=True)
    client.post(f"/cases/{case.pk}/referral/", data)
    referral = Referral.objects.get()
    assert referral.chase_on > timezone.localdate() + timedelta(days=14)
    case.refresh_from_db()
    assert case.status == Status.WAITING and case.waiting_since is not None


def test_it_makes_a_pdf_letter_and_audits_it(client: Client, cast: Cast) -> None:
    agency = make_agency(cast)
    case = make_case(cast.office, cast.person)
    referral = make_referral(cast, case, agency)
    client.force_login(cast.caseworker)
    response = client.get(f"/cases/letters/{referral.pk}.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEntry.objects.get(action="export").person == cast.person
    client.force_login(cast.outsider)
    assert client.get(f"/cases/letters/{referral.pk}.pdf").status_code == 404


def test_it_chases_once_and_records_the_answer(client: Client, cast: Cast) -> None:
    agency = make_agency(cast)
    case = make_case(cast.office, cast.person)
    referral = make_referral(cast, case, agency, chase_on=timezone.localdate() - timedelta(days=1))
    client.force_login(cast.caseworker)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "chase due since" in html
    client.post(f"/cases/letters/{referral.pk}/chase/")
    client.post(f"/cases/letters/{referral.pk}/chase/")
    chaser = Referral.objects.get(chases=referral)
    assert "We have not yet had a reply" in chaser.body
    client.post(f"/cases/letters/{referral.pk}/answered/", {"answer": "Inspection on 3 May."})
    referral.refresh_from_db()
    chaser.refresh_from_db()
    assert referral.answer == "Inspection on 3 May." and chaser.answered_at is not None


def test_a_chaser_is_not_chased_again_and_its_answer_answers_the_letter(
    client: Client, cast: Cast
) -> None:
    agency = make_agency(cast)
    case = make_case(cast.office, cast.person)
    referral = make_referral(cast, case, agency, chase_on=timezone.localdate() - timedelta(days=20))
    client.force_login(cast.caseworker)
    client.post(f"/cases/letters/{referral.pk}/chase/")
    chaser = Referral.objects.get(chases=referral)
    Referral.objects.filter(pk=chaser.pk).update(chase_on=timezone.localdate() - timedelta(days=1))

    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "chase due since" not in page and "Send a chaser" not in page
    assert "No answer to the chaser either" in page
    assert not Referral.objects.to_chase_by(timezone.localdate()).exists()
    client.post(f"/cases/letters/{chaser.pk}/chase/")
    assert Referral.objects.count() == 2

    client.post(f"/cases/letters/{chaser.pk}/answered/", {"answer": "Inspection on 3 May."})
    referral.refresh_from_db()
    assert referral.answer == "Inspection on 3 May." and referral.answered_at is not None


def test_an_office_with_letters_can_still_be_removed(client: Client, cast: Cast) -> None:
    from django.db.models import RestrictedError

    agency = make_agency(cast)
    case = make_case(cast.office, cast.person)
    make_referral(cast, case, agency)
    with pytest.raises(RestrictedError):
        agency.delete()
    assert Agency.objects.filter(pk=agency.pk).exists()  # the letters keep their agency
    cast.office.delete()
    assert not Referral.objects.exists()


def test_it_counts_obstacles_across_cases_for_this_office_only(client: Client, cast: Cast) -> None:
    from compassion.cases.models import Obstacle

    agency = make_agency(cast)
    for subject in ("Mould", "Leak", "Boiler"):
        case = make_case(cast.office, cast.person, subject=subject)
        Obstacle.objects.create(
            office=cast.office,
            case=case,
            kind="no_answer",
            agency=agency,
            description="No answer in six weeks",
        )
    theirs = Agency.objects.create(office=cast.other_office, kind="dwp", name="Bob's DWP")
    other_case = make_case(cast.other_office, cast.other_person)
    Obstacle.objects.create(
        office=cast.other_office,
        case=other_case,
        kind="policy",
        agency=theirs,
        description="Two-child limit",
    )
    client.force_login(cast.volunteer)
    html = client.get("/cases/obstacles/").content.decode()
    assert "<td>An agency does not answer</td><td>Northby Council Housing</td>" in html
    assert '<td class="numeric">3</td>' in html
    assert "Bob's DWP" not in html and "Two-child limit" not in html


def test_the_letter_names_the_agency_once_even_when_its_address_starts_with_its_name(
    cast: Cast, monkeypatch: object
) -> None:
    from compassion.cases import letters

    agency = Agency.objects.create(
        office=cast.office,
        kind="housing_association",
        name="Northby Homes",
        team="MP casework team",
        address="Northby Homes\n2 Canal Side\nNorthby NB2 4HN",
    )
    case = make_case(cast.office, cast.person)
    referral = make_referral(cast, case, agency)
    monkeypatch.setattr(letters, "render_pdf", lambda html: html)  # read what is printed
    html = letters.referral_pdf(referral)
    assert "MP casework team<br>Northby Homes<br>2 Canal Side<br>Northby NB2 4HN</p>" in html


def test_a_letter_about_an_urgent_case_is_chased_within_days(client: Client, cast: Cast) -> None:
    agency = make_agency(cast)
    case = make_case(cast.office, cast.person, urgent=True, subject="Bailiffs on Thursday")
    Consent.objects.create(person=cast.person, purpose="casework", given=True)
    client.force_login(cast.caseworker)
    data = {"agency": agency.pk, "subject": "Bailiffs due", "body": "Please hold enforcement."}
    page = client.post(f"/cases/{case.pk}/referral/", data, follow=True).content.decode()
    referral = Referral.objects.get()
    assert referral.chase_on == add_working_days(timezone.localdate(), 2)
    assert "The case is urgent, so we will remind you to chase on" in page
