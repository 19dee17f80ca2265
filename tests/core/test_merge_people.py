"""Someone who wrote from two addresses has two records; staff fold one into the other."""

from datetime import timedelta

from click.testing import CliRunner
from django.test import Client
from django.utils import timezone

from compassion.cases.cli import retention
from compassion.cases.models import Case, Reply
from compassion.cases.privacy import erase_person
from compassion.core.models import AuditEntry, Consent, Person, PersonMerge
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


def test_a_mistaken_merge_is_undone_and_both_records_are_as_they_were(
    client: Client, cast: Cast
) -> None:
    cast.person.vulnerabilities = ["mental_health"]
    cast.person.save()
    twin = second_record(cast)
    client.force_login(cast.caseworker)
    client.post(f"/people/{cast.person.pk}/merge/", {"duplicate": twin.pk})
    merge = PersonMerge.objects.get()
    page = client.get(f"/people/{cast.person.pk}/").content.decode()
    assert "Records merged into this one" in page and "Undo this merge" in page

    response = client.post(f"/people/{cast.person.pk}/merges/{merge.pk}/undo/", follow=True)

    assert "has a record of their own again" in response.content.decode()
    back = Person.objects.get(pk=twin.pk)
    assert (back.email, back.phone, back.notes) == (
        "j.smith@work.example",
        "07700 900123",
        "Prefers a call after 5.",
    )
    assert back.address_line1 == "9 Mill Lane" and back.vulnerabilities == ["carer"]
    assert list(back.cases.values_list("reference", flat=True)) == ["T-1"]
    assert back.voices.count() == 1 and back.replies.count() == 1
    assert Voice.objects.filter(suggested_person=back).count() == 1
    assert back.has_consent("quote")
    joan = Person.objects.get(pk=cast.person.pk)
    assert (joan.phone, joan.notes, joan.vulnerabilities) == ("", "", ["mental_health"])
    assert not joan.cases.exists() and not joan.has_consent("quote")
    assert not PersonMerge.objects.exists()
    summaries = AuditEntry.objects.filter(person=joan).values_list("summary", flat=True)
    assert f"Undid the merge of Joan Smith (no. {twin.pk})" in summaries
    assert AuditEntry.objects.filter(person=back, action="create").exists()


def test_undoing_keeps_what_staff_changed_since_the_merge_and_says_so(
    client: Client, cast: Cast
) -> None:
    twin = second_record(cast)
    client.force_login(cast.caseworker)
    client.post(f"/people/{cast.person.pk}/merge/", {"duplicate": twin.pk})
    joan = Person.objects.get(pk=cast.person.pk)
    joan.phone = "07700 900999"  # she rang from a new number after the merge
    joan.save()
    merge = PersonMerge.objects.get()

    response = client.post(f"/people/{joan.pk}/merges/{merge.pk}/undo/", follow=True)

    assert "so kept as it is: phone" in response.content.decode()
    joan.refresh_from_db()
    assert joan.phone == "07700 900999" and joan.notes == ""


def test_a_merge_cannot_be_undone_after_fourteen_days_and_its_record_is_then_deleted(
    client: Client, cast: Cast
) -> None:
    twin = second_record(cast)
    client.force_login(cast.caseworker)
    client.post(f"/people/{cast.person.pk}/merge/", {"duplicate": twin.pk})
    merge = PersonMerge.objects.get()
    merge.merged_at = timezone.now() - timedelta(days=15)
    merge.save()

    assert "Undo this merge" not in client.get(f"/people/{cast.person.pk}/").content.decode()
    response = client.post(f"/people/{cast.person.pk}/merges/{merge.pk}/undo/", follow=True)
    assert "can no longer be undone" in response.content.decode()
    assert not Person.objects.filter(pk=twin.pk).exists()

    result = CliRunner().invoke(retention, ["--apply"])
    assert "1 merge(s) over 14 days old can no longer be undone" in result.output
    assert not PersonMerge.objects.exists()


def test_only_staff_who_may_edit_the_record_can_undo_a_merge(client: Client, cast: Cast) -> None:
    twin = second_record(cast)
    client.force_login(cast.caseworker)
    client.post(f"/people/{cast.person.pk}/merge/", {"duplicate": twin.pk})
    url = f"/people/{cast.person.pk}/merges/{PersonMerge.objects.get().pk}/undo/"
    client.force_login(cast.volunteer)
    assert client.post(url).status_code == 403
    client.force_login(cast.outsider)
    assert client.post(url).status_code in (403, 404)
    assert PersonMerge.objects.exists() and not Person.objects.filter(pk=twin.pk).exists()


def test_erasing_the_person_deletes_what_undoing_a_merge_would_need(
    client: Client, cast: Cast
) -> None:
    twin = second_record(cast)
    client.force_login(cast.caseworker)
    client.post(f"/people/{cast.person.pk}/merge/", {"duplicate": twin.pk})
    erase_person(Person.objects.get(pk=cast.person.pk), cast.manager, None)
    assert not PersonMerge.objects.exists()
