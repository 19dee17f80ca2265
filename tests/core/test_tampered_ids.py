"""Record numbers typed into a link or a forged form: a number too big for the database,
digits from another script, a negative number or letters. Each gets a page that says it
was not found or changed nothing; never an error page."""

from typing import Any

import pytest
from django.test import Client

from tests.conftest import Cast

TAMPERED = ["99999999999999999999", "²", "-1", "12abc", "1e3"]


@pytest.fixture
def leader(client: Client, cast: Cast) -> Client:
    client.raise_request_exception = False
    client.force_login(cast.leader)
    return client


@pytest.mark.parametrize("value", TAMPERED)
@pytest.mark.parametrize(
    "path,name",
    [
        ("/audit/", "person"),
        ("/cases/", "worker"),
        ("/commitments/new/", "campaign"),
        ("/commitments/new/", "case"),
    ],
)
def test_a_tampered_number_in_a_link_is_never_an_error(
    leader: Client, value: str, path: str, name: str
) -> None:
    assert leader.get(path, {name: value}).status_code in (200, 404)


@pytest.mark.parametrize("value", TAMPERED)
def test_a_tampered_number_in_a_form_is_never_an_error(
    leader: Client, cast: Cast, value: str
) -> None:
    posts: list[tuple[str, dict[str, Any]]] = [
        (f"/people/{cast.person.pk}/merge/", {"duplicate": value}),
        ("/cases/assign/", {"case": value, "assign_to": value}),
        ("/cases/checklists/", {"remove": value}),
    ]
    for path, data in posts:
        assert leader.post(path, data).status_code in (200, 302, 400, 404), path
