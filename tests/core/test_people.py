from datetime import datetime, timedelta

from django.test import Client
from django.utils import timezone

from compassion.core.models import AuditEntry, Person
from tests.conftest import Cast


def test_it_audits_every_view_of_a_person(client: Client, cast: Cast) -> None:
    client.force_login(cast.caseworker)
    response = client.get(f"/people/{cast.person.pk}/", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    entry = AuditEntry.objects.get()
    assert entry.user == cast.caseworker
    assert entry.person == cast.person
    assert entry.action == "view"
    assert entry.ip_address == "10.1.2.3"


def test_it_hides_other_offices_people_even_by_guessing(client: Client, cast: Cast) -> None:
    client.force_login(cast.caseworker)
    assert client.get(f"/people/{cast.other_person.pk}/").status_code == 404
    listing = client.get("/people/?q=Jones")
    assert b"Ken" not in listing.content
    assert not AuditEntry.objects.filter(person__isnull=False).exists()  # no record was seen


def test_it_finds_people_by_postcode(client: Client, cast: Cast) -> None:
    client.force_login(cast.volunteer)
    response = client.get("/people/?q=NB1")
    assert b"Joan Smith" in response.content


def test_it_lets_only_leaders_and_managers_read_the_audit_log(client: Client, cast: Cast) -> None:
    client.force_login(cast.manager)
    client.get(f"/people/{cast.person.pk}/")
    log = client.get("/audit/")
    assert log.status_code == 200
    assert b"Joan Smith" in log.content
    client.force_login(cast.caseworker)
    assert client.get("/audit/").status_code == 403


def test_it_never_shows_another_office_the_audit_log(client: Client, cast: Cast) -> None:
    client.force_login(cast.manager)
    client.get(f"/people/{cast.person.pk}/")
    client.force_login(cast.outsider)
    log = client.get("/audit/")
    assert b"Joan Smith" not in log.content


def test_it_audits_a_change_naming_fields_not_values(client: Client, cast: Cast) -> None:
    client.force_login(cast.caseworker)
    response = client.post(
        f"/people/{cast.person.pk}/edit/",
        {
            "first_name": "Joan",
            "last_name": "Smith-Okafor",
            "email": "joan@example.com",
            "postcode": " nb1   2ab ",
            "vulnerabilities": ["carer"],
        },
    )
    assert response.status_code == 302
    cast.person.refresh_from_db()
    assert cast.person.last_name == "Smith-Okafor"
    assert cast.person.postcode == "NB1 2AB"
    assert cast.person.vulnerabilities == ["carer"]
    entry = AuditEntry.objects.get(action="change")
    assert entry.summary == "Changed last name, postcode, vulnerabilities"
    assert "Okafor" not in entry.summary


def test_it_adds_a_person_to_the_users_office_only(client: Client, cast: Cast) -> None:
    client.force_login(cast.caseworker)
    client.post("/people/new/", {"first_name": "Ada", "office": cast.other_office.pk})
    from compassion.core.models import Person

    assert Person.objects.get(first_name="Ada").office == cast.office
    assert AuditEntry.objects.filter(action="create").count() == 1


def test_it_asks_for_at_least_a_name_or_contact(client: Client, cast: Cast) -> None:
    client.force_login(cast.caseworker)
    response = client.post("/people/new/", {"town": "Northby"})
    assert b"Give at least a name" in response.content


def test_its_form_reads_like_every_other_form(client: Client, cast: Cast) -> None:
    """Plain labels, "(optional)" on what may be left empty, and an error above its box."""
    client.force_login(cast.caseworker)
    page = client.post("/people/new/", {"first_name": "Ada", "email": "ada at home"})
    html = page.content.decode()
    assert "Address line1" not in html
    assert 'Address line 1 <span class="optional">(optional)</span></label>' in html
    email = html.split('for="id_email"')[1].split("</div>")[0]
    assert email.index('class="error"') < email.index("<input")


def test_it_keeps_volunteers_read_only(client: Client, cast: Cast) -> None:
    client.force_login(cast.volunteer)
    response = client.post(f"/people/{cast.person.pk}/edit/", {"first_name": "X"})
    assert response.status_code == 403
    cast.person.refresh_from_db()
    assert cast.person.first_name == "Joan"


def test_it_cannot_edit_another_offices_person(client: Client, cast: Cast) -> None:
    client.force_login(cast.caseworker)
    response = client.post(f"/people/{cast.other_person.pk}/edit/", {"first_name": "X"})
    assert response.status_code == 404


def test_the_list_shows_open_cases_and_when_each_person_was_last_in_touch(
    client: Client, cast: Cast
) -> None:
    from compassion.cases.models import Case, Status
    from compassion.voices.models import Voice

    for number, status in enumerate([Status.NEW, Status.WAITING, Status.CLOSED]):
        Case.objects.create(
            office=cast.office, person=cast.person, reference=f"P-{number}", status=status
        )
    safeguarding = Case.objects.create(
        office=cast.office,
        person=cast.person,
        reference="P-safeguarding",
        urgency_reasons=["A child at risk"],
    )
    last = timezone.make_aware(datetime(2026, 3, 14, 10, 0))
    Voice.objects.create(
        office=cast.office, person=cast.person, received_at=last, case=safeguarding
    )
    Voice.objects.create(office=cast.office, person=cast.person, received_at=last - timedelta(9))
    client.force_login(cast.caseworker)

    joan = client.get("/people/?q=Joan").context["page"][0]

    assert (joan.open_cases, joan.last_in_touch) == (3, last)
    assert "14 Mar 2026" in client.get("/people/?q=Joan").content.decode()
    client.force_login(cast.volunteer)
    seen_by_volunteer = client.get("/people/?q=Joan").context["page"][0]
    assert (seen_by_volunteer.open_cases, seen_by_volunteer.last_in_touch) == (
        2,
        last - timedelta(9),
    )


def test_it_finds_a_person_by_full_name_or_by_phone_however_written(
    client: Client, cast: Cast
) -> None:
    from compassion.core.models import Person

    cast.person.phone = "+44 (0)7700-900 123"
    cast.person.save()
    Person.objects.create(office=cast.office, first_name="Joan", last_name="Baker")
    Person.objects.create(
        office=cast.other_office, first_name="Joan", last_name="Smith", phone="07700900123"
    )
    client.force_login(cast.caseworker)

    def found(query: str) -> list[str]:
        return [str(person) for person in client.get("/people/", {"q": query}).context["page"]]

    assert found("Joan Smith") == ["Joan Smith"]
    assert found("smith joan") == ["Joan Smith"]
    assert found("NB1 2AB") == ["Joan Smith"]
    assert sorted(found("Joan")) == ["Joan Baker", "Joan Smith"]
    for number in ("07700 900123", "07700900123", "+447700900123", "0044 7700 900 123", "900123"):
        assert found(number) == ["Joan Smith"], number
    assert found("07700 900124") == []
    assert found("nb12ab") == found("NB1 2A") == ["Joan Smith"]


def test_it_finds_a_name_whatever_apostrophe_it_is_written_with(client: Client, cast: Cast) -> None:
    from compassion.core.models import Person

    Person.objects.create(office=cast.office, first_name="Sean", last_name="O'Brien")
    Person.objects.create(office=cast.office, first_name="Siobhan", last_name="O’Neill")
    client.force_login(cast.caseworker)

    def found(query: str) -> list[str]:
        return [str(person) for person in client.get("/people/", {"q": query}).context["page"]]

    assert found("o’brien") == found("O'Brien") == found("o‘brien") == ["Sean O'Brien"]
    assert found("obrien") == found("sean obrien") == ["Sean O'Brien"]
    assert found("O'Neill") == found("o’neill") == found("ONEILL") == ["Siobhan O’Neill"]


def test_a_campaign_letter_answered_by_the_campaign_reply_says_so(
    client: Client, cast: Cast
) -> None:
    from compassion.cases.models import Case, Status
    from compassion.voices.models import Campaign

    campaign = Campaign.objects.create(office=cast.office, title="Save the library")
    Case.objects.create(
        office=cast.office,
        person=cast.person,
        reference="C-1",
        campaign=campaign,
        status=Status.RESOLVED,
    )
    client.force_login(cast.caseworker)
    assert "Campaign reply sent" in client.get(f"/people/{cast.person.pk}/").content.decode()


def test_a_search_for_people_is_audited_with_what_was_searched(client: Client, cast: Cast) -> None:
    """A search shows who is on record: looking up a neighbour leaves a trace."""
    client.force_login(cast.caseworker)
    client.get("/people/", {"q": "Smith"})
    client.get("/people/", {"q": "Smith", "page": "2"})  # the same search, paged: once
    client.get("/people/")  # the list without a search: not a search
    entry = AuditEntry.objects.get(summary__startswith="Searched")
    assert entry.user == cast.caseworker and entry.office == cast.office
    assert entry.summary == "Searched people for “Smith” (1 found)"


def test_a_search_with_a_nul_character_is_read_without_it(client: Client, cast: Cast) -> None:
    """PostgreSQL refuses a NUL in a query; a pasted one gave an error page."""
    client.force_login(cast.caseworker)
    response = client.get("/people/", {"q": "Jo\x00an"})
    assert response.status_code == 200
    assert "Joan" in response.content.decode()


def test_the_next_page_of_a_search_keeps_the_search(client: Client, cast: Cast) -> None:
    for number in range(60):
        Person.objects.create(office=cast.office, first_name=f"Ann{number}", last_name="Smith")
    client.force_login(cast.caseworker)
    page = client.get("/people/", {"q": "Smith"}).content.decode()
    assert 'href="?q=Smith&amp;page=2">Next</a>' in page


def test_opening_a_persons_record_to_change_it_is_audited_as_a_view(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.caseworker)
    page = client.get(f"/people/{cast.person.pk}/edit/")
    assert cast.person.email in page.content.decode()
    refused = client.post(f"/people/{cast.person.pk}/edit/", {"email": "not an address"})
    assert refused.status_code == 200
    views = AuditEntry.objects.filter(person=cast.person, action="view", user=cast.caseworker)
    assert views.count() == 2


def test_a_record_shows_only_the_parts_of_the_address_it_has(client: Client, cast: Cast) -> None:
    """With a town and no street the page read ', Northby NB1 2AB', and with no address at
    all an empty 'Address'."""
    client.force_login(cast.caseworker)
    Person.objects.filter(pk=cast.person.pk).update(
        address_line1="", town="Northby", postcode="NB1 2AB"
    )
    page = client.get(f"/people/{cast.person.pk}/").content.decode()
    assert "<dt>Address</dt><dd>Northby NB1 2AB</dd>" in page
    Person.objects.filter(pk=cast.person.pk).update(town="", postcode="")
    page = client.get(f"/people/{cast.person.pk}/").content.decode()
    assert "<dt>Address</dt><dd>Not known</dd>" in page


def test_an_office_with_no_one_on_record_is_not_told_its_search_found_no_one(
    client: Client, cast: Cast
) -> None:
    Person.objects.filter(office=cast.office).delete()
    client.force_login(cast.caseworker)
    page = client.get("/people/").content.decode()
    assert "No one is on record yet." in page and "No one matches that search." not in page
    assert "No one matches that search." in client.get("/people/", {"q": "Smith"}).content.decode()
