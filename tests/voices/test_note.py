"""Manual notes of phone calls, letters and surgery visits."""

from django.test import Client

from compassion.voices.models import Channel, Voice
from tests.conftest import Cast


def test_it_records_a_phone_call_in_the_persons_case(client: Client, cast: Cast) -> None:
    client.force_login(cast.caseworker)
    response = client.post(
        "/inbox/note/",
        {
            "channel": "phone",
            "name": "Joan Smith",
            "email": "",
            "postcode": "NB1 2AB",
            "subject": "Called about the damp",
            "body": "Rang in tears: the ceiling has come down in the kitchen.",
            "received_on": "2026-11-02",
        },
    )
    assert response.status_code == 302
    voice = Voice.objects.get()
    assert voice.channel == Channel.PHONE
    assert voice.person == cast.person  # matched by name and postcode
    assert voice.recorded_by == cast.caseworker
    assert voice.case.reference


def test_it_refuses_a_future_date_and_volunteers(client: Client, cast: Cast) -> None:
    client.force_login(cast.caseworker)
    response = client.post(
        "/inbox/note/",
        {
            "channel": "letter",
            "name": "A",
            "subject": "B",
            "body": "C",
            "received_on": "2099-01-01",
        },
    )
    assert "cannot be in the future" in response.content.decode()
    client.force_login(cast.volunteer)
    assert client.get("/inbox/note/").status_code == 403
