"""Someone who wrote from two addresses has two records; staff fold one into the other."""

from django.test import Client

from compassion.cases.models import Case, Reply
from compassion.core.models import AuditEntry, Consent, Person
from compassion.voices.models import Voice
from tests.conftest import Cast


def second_record(cast: Cast) -> Person:
    """Joan Smith again, from her work email, with a street but no postcode, her phone and
    her needs."""
    twin = Person.objects.create(
        office=cast.office,
        first_name="Joan",
        last_name="Smith",
        email="j.smith@work.example",
        phone="07700 900123",
        address_line1="9 Mill Lane",
        town="Northby",
        vulnerabilities=["carer"],
        notes="Prefers a call after 5.",
    )
    case = Case.objects.create(office=cast.office, person=twin, reference="T-1", subject="PIP")
    Voice.objects.create(office=cast.office, person=twin, case=case, body="My PIP was cut.")
    Voice.objects.create(office=cast.office, suggested_person=twin, body="Is this Joan?")
    Reply.objects.create(office=cast.office, person=twin, case=case, subject="Re: PIP", body="..")
    Consent.objects.create(person=twin, purpose="quote", given=True)
    return twin


def test_it_offers_the_likely_twin_and_merges_everything_into_one_record(
    client: Client, cast: Cast
) -> None:
    cast.person.vulnerabilities = ["mental_health"]
    cast.person.save()
    twin = second_record(cast)
    Person.objects.create(office=cast.other_office, first_name="Joan", last_name="Smith")
    Person.objects.create(office=cast.office, first_name="Joan", last_name="Baker")
    client.force_login(cast.caseworker)
    client.get(f"/people/{twin.pk}/")  # someone opened the duplicate: that view stays audited
    page = client.get(f"/people/{cast.person.pk}/")
    assert [other.pk for other in page.context["duplicates"]] == [twin.pk]

    response = client.post(f"/people/{cast.person.pk}/merge/", {"duplicate": twin.pk}, follow=True)

    assert not Person.objects.filter(pk=twin.pk).exists()
    joan = Person.objects.get(pk=cast.person.pk)
    assert joan.email == "joan@example.com"  # her own details are kept
    assert joan.postcode == "NB1 2AB" and joan.address_line1 == ""  # no other's street
    assert joan.phone == "07700 900123"  # what she lacked is taken
    assert joan.vulnerabilities == ["mental_health", "carer"]
    assert joan.notes == "Prefers a call after 5."
    assert list(joan.cases.values_list("reference", flat=True)) == ["T-1"]
    assert joan.voices.count() == 1 and joan.replies.count() == 1
    assert Voice.objects.filter(suggested_person=joan).count() == 1
    assert joan.has_consent("quote")
    entry = AuditEntry.objects.get(action="change", person=joan)
    assert entry.summary == f"Merged in the record of Joan Smith (no. {twin.pk})"
    # Her record was opened before the merge and after it; the duplicate once: all three stay.
    assert AuditEntry.objects.filter(action="view", person=joan).count() == 3
    assert "one record now holds everything" in response.content.decode()
    found = client.get("/cases/", {"status": "", "q": "Joan Smith"}).content.decode()
    assert "T-1" in found


def test_it_merges_only_records_of_the_office_that_the_role_may_edit(
    client: Client, cast: Cast
) -> None:
    twin = second_record(cast)
    theirs = Person.objects.create(office=cast.other_office, first_name="Joan", last_name="Smith")
    client.force_login(cast.caseworker)
    for other in (theirs, cast.person):
        response = client.post(
            f"/people/{cast.person.pk}/merge/", {"duplicate": other.pk}, follow=True
        )
        assert "Nothing was merged" in response.content.decode()
    assert Person.objects.filter(pk=theirs.pk).exists()
    client.force_login(cast.volunteer)
    assert (
        client.post(f"/people/{cast.person.pk}/merge/", {"duplicate": twin.pk}).status_code == 403
    )
    assert client.get(f"/people/{cast.person.pk}/").context["duplicates"] == []
    assert Person.objects.filter(pk=twin.pk).exists()


def test_a_household_sharing_a_phone_and_address_is_not_offered_as_one_person(
    client: Client, cast: Cast
) -> None:
    cast.person.phone = "01632 960000"
    cast.person.save()
    Person.objects.create(
        office=cast.office,
        first_name="Ken",
        last_name="Smith",
        phone="01632 960000",
        postcode="NB1 2AB",
    )
    client.force_login(cast.caseworker)
    assert client.get(f"/people/{cast.person.pk}/").context["duplicates"] == []


def test_a_common_name_elsewhere_is_not_offered_but_the_same_email_is(
    client: Client, cast: Cast
) -> None:
    Person.objects.create(
        office=cast.office, first_name="Joan", last_name="Smith", postcode="NB2 9XY"
    )
    same_email = Person.objects.create(office=cast.office, first_name="J", email="JOAN@example.com")
    client.force_login(cast.caseworker)
    duplicates = client.get(f"/people/{cast.person.pk}/").context["duplicates"]
    assert [other.pk for other in duplicates] == [same_email.pk]
