"""The audit log narrows to one person's record, one member of staff, one kind of entry and
a range of days, so that a leader can answer "who has seen my record?"."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from compassion.cases.models import Case
from compassion.core.models import AuditEntry, Membership, Person
from tests.conftest import Cast


def entries_shown(client: Client, **query: str) -> list[str]:
    page = client.get("/audit/", query).context["page"]
    return [entry.summary for entry in page]


def test_who_has_seen_a_record_lists_only_that_persons_entries(client: Client, cast: Cast) -> None:
    neighbour = Person.objects.create(office=cast.office, first_name="Ken", last_name="Lee")
    client.force_login(cast.caseworker)
    client.get(f"/people/{cast.person.pk}/")
    client.get(f"/people/{neighbour.pk}/")
    client.force_login(cast.manager)
    person_page = client.get(f"/people/{cast.person.pk}/").content.decode()
    assert f'href="/audit/?person={cast.person.pk}"' in person_page
    response = client.get("/audit/", {"person": str(cast.person.pk)})
    assert "Who has seen the record of Joan Smith" in response.content.decode()
    assert {entry.person for entry in response.context["page"]} == {cast.person}
    assert len(response.context["page"]) == 2  # the caseworker's view and the manager's


def test_the_log_narrows_to_a_member_of_staff_a_kind_of_entry_and_days(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.caseworker)
    client.get(f"/people/{cast.person.pk}/")
    client.post(f"/people/{cast.person.pk}/edit/", {"first_name": "Joan", "last_name": "Smyth"})
    old = AuditEntry.objects.create(
        office=cast.office,
        user=cast.manager,
        action="view",
        object_type="person",
        object_id=str(cast.person.pk),
        person=cast.person,
        summary="Opened long ago",
    )
    old.at = timezone.now() - timedelta(days=40)
    old.save()
    client.force_login(cast.manager)
    by_caseworker = entries_shown(client, staff=str(cast.caseworker.pk))
    assert "Opened long ago" not in by_caseworker and len(by_caseworker) == 2
    [change] = entries_shown(client, action="change")
    assert change.startswith("Changed last name, ")  # as the form labels it, not last_name
    last_week = (timezone.localdate() - timedelta(days=7)).isoformat()
    assert "Opened long ago" not in entries_shown(client, date_from=last_week)
    assert entries_shown(client, date_to=last_week) == ["Opened long ago"]


def test_filters_it_does_not_understand_are_left_out(client: Client, cast: Cast) -> None:
    client.force_login(cast.caseworker)
    client.get(f"/people/{cast.person.pk}/")
    client.force_login(cast.manager)
    response = client.get("/audit/", {"date_from": "not a date", "staff": "99999999999999999999"})
    assert response.status_code == 200
    assert "were not understood and were left out" in response.content.decode()
    assert len(response.context["page"]) == 1


def test_another_offices_person_cannot_be_looked_up_in_the_log(client: Client, cast: Cast) -> None:
    client.force_login(cast.outsider)
    client.get(f"/people/{cast.other_person.pk}/")
    client.force_login(cast.manager)
    response = client.get("/audit/", {"person": str(cast.other_person.pk)})
    assert response.context["person"] is None and len(response.context["page"]) == 0


def test_the_next_page_of_the_log_keeps_its_filters(client: Client, cast: Cast) -> None:
    AuditEntry.objects.bulk_create(
        AuditEntry(
            office=cast.office,
            user=cast.caseworker,
            action="view",
            object_type="person",
            object_id=str(cast.person.pk),
            person=cast.person,
            summary="Opened",
        )
        for _ in range(120)
    )
    client.force_login(cast.manager)
    page = client.get("/audit/", {"person": str(cast.person.pk), "action": "view"})
    assert f'href="?person={cast.person.pk}&amp;action=view&amp;page=2">Next</a>' in (
        page.content.decode()
    )


def test_each_entry_says_what_its_record_is_in_words_staff_use(client: Client, cast: Cast) -> None:
    """The Record column read 'case 12', 'membership 8' and 'office 1': a case is known by
    its reference, and nobody at the office calls a search 'office 1'."""
    case = Case.objects.create(
        office=cast.office, person=cast.person, reference="NE-26-00042", subject="Damp"
    )
    client.force_login(cast.manager)
    client.get(f"/cases/{case.pk}/")
    client.get("/people/", {"q": "Smith"})
    member = Membership.objects.get(user=cast.caseworker)
    client.post(f"/staff/{member.pk}/role/", {"role": "volunteer"})
    rows = client.get("/audit/").content.decode()
    assert "<td>Case NE-26-00042 (Joan Smith)</td>" in rows
    assert "<td>The office</td>" in rows
    assert f"<td>Staff member no. {member.pk}</td>" in rows
    assert "membership" not in rows and "office 1" not in rows


def test_days_typed_the_wrong_way_round_are_said_to_be(client: Client, cast: Cast) -> None:
    """From 1 December to 1 January matched nothing, and the page said 'No entries match.
    Try fewer filters.'"""
    client.force_login(cast.caseworker)
    client.get(f"/people/{cast.person.pk}/")
    client.force_login(cast.manager)
    today = timezone.localdate()
    earlier = (today - timedelta(days=30)).isoformat()
    response = client.get("/audit/", {"date_from": earlier, "date_to": "2000-01-01"})
    assert "To: it is before From, so no entry could match." in response.content.decode()
    assert len(response.context["page"]) == 1  # from that day on
