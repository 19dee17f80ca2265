from django.test import Client

from tests.commitments.conftest import new_commitment
from tests.conftest import Cast


def test_it_lists_the_offices_commitments(client: Client, cast: Cast, commitment) -> None:
    client.force_login(cast.volunteer)
    response = client.get("/commitments/")
    assert response.status_code == 200
    assert b"Keep Eastfield Library open" in response.content
    assert b"Record a commitment" not in response.content  # volunteers are read-only


def test_it_never_lists_another_offices_commitments(client: Client, cast: Cast) -> None:
    new_commitment(cast, office=cast.other_office, title="Bob's secret bypass")
    client.force_login(cast.leader)
    assert b"secret bypass" not in client.get("/commitments/").content


def test_each_count_opens_the_list_of_those_commitments(client: Client, cast: Cast) -> None:
    new_commitment(cast, title="Light the park", status="kept")
    new_commitment(cast, title="Repair damp homes", status="in_the_works")
    client.force_login(cast.manager)
    page = client.get("/commitments/").content.decode()
    assert '<a class="figure-link" href="?status=kept">' in page
    kept = client.get("/commitments/?status=kept").content.decode()
    assert "Light the park" in kept and "Repair damp homes" not in kept
