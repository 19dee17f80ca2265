"""In real Chromium: a caseworker finds a caller by phone, merges their second record and
undoes the merge; a manager sees who has opened a record."""

from typing import Any

import pytest
from playwright.sync_api import expect

from compassion.cases.models import Case
from compassion.core.models import Person
from tests.conftest import Cast, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_caseworker_merges_a_callers_second_record_and_undoes_it(
    page: Any, live_server: Any, cast: Cast
) -> None:
    cast.person.phone = "07700 900123"
    cast.person.save()
    twin = Person.objects.create(office=cast.office, first_name="Joan", last_name="Smith")
    Case.objects.create(office=cast.office, person=twin, reference="T-9", subject="Blue badge")
    log_in(page, live_server, "charlie")
    page.goto(f"{live_server.url}/people/")
    page.get_by_label("Find a person by name, email, postcode or phone number").fill(
        "+44 7700 900123"
    )
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**q=**")
    page.get_by_role("link", name="Joan Smith").click()
    page.wait_for_url(f"**/people/{cast.person.pk}/")

    duplicates = page.get_by_role("region", name="The same person?")
    duplicates.get_by_role(
        "button", name=f"Merge Joan Smith, no. {twin.pk}, into this record"
    ).click()

    expect(page.get_by_role("status")).to_contain_text("one record now holds everything")
    expect(page.get_by_role("link", name="T-9")).to_be_visible()
    assert page.get_by_role("region", name="The same person?").count() == 0
    assert not Person.objects.filter(pk=twin.pk).exists()

    merged = page.get_by_role("region", name="Records merged into this one")
    merged.get_by_role("button", name="Undo this merge of Joan Smith").click()

    expect(page.get_by_role("status")).to_contain_text("has a record of their own again")
    expect(page.get_by_role("link", name="T-9")).to_have_count(0)
    assert Case.objects.get(reference="T-9").person_id == twin.pk


def test_a_manager_sees_who_has_opened_a_record_and_narrows_it_down(
    page: Any, live_server: Any, cast: Cast
) -> None:
    log_in(page, live_server, "charlie")
    page.goto(f"{live_server.url}/people/{cast.person.pk}/")
    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server, "mandy")
    page.goto(f"{live_server.url}/people/{cast.person.pk}/")
    page.get_by_role("link", name="Who has seen this record").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Who has seen the record of Joan Smith"
    )
    expect(page.get_by_role("status")).to_have_text("2 entries.")
    page.get_by_label("Who").select_option(label="Charlie")
    page.get_by_role("button", name="Show entries").click()
    expect(page.get_by_role("status")).to_have_text("1 entry.")
    expect(page.get_by_role("cell", name="Charlie", exact=True)).to_be_visible()
