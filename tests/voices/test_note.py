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


def test_it_keeps_the_callers_phone_and_street(client: Client, cast: Cast) -> None:
    from compassion.core.models import Person

    client.force_login(cast.caseworker)
    note = {
        "channel": "phone",
        "name": "Doreen Walsh",
        "phone": " 07700  900 456 ",
        "street": "Flat 2, 14 Orchard Road",
        "postcode": "nb1 6ff",
        "subject": "Blue badge refused",
        "body": "She cannot walk to the bus stop and her badge was refused.",
        "received_on": "2026-11-02",
    }
    client.post("/inbox/note/", note)
    doreen = Person.objects.get(first_name="Doreen")
    assert (doreen.phone, doreen.address_line1, doreen.postcode) == (
        "07700 900 456",
        "Flat 2, 14 Orchard Road",
        "NB1 6FF",
    )
    voice = Voice.objects.get(person=doreen)
    page = client.get(f"/inbox/{voice.pk}/").content.decode()
    assert "Phone given: 07700 900 456. Address given: Flat 2, 14 Orchard Road." in page

    moved = {**note, "street": "3 New Street", "postcode": "NB9 9ZZ", "body": "Moved house."}
    client.post("/inbox/note/", {**moved, "name": "Joan Smith", "email": cast.person.email})
    cast.person.refresh_from_db()
    assert cast.person.address_line1 != "3 New Street"  # never a street at another postcode
    assert cast.person.phone == "07700 900 456"  # a number she did not have yet


def test_a_call_that_opens_a_case_leaves_it_with_whoever_took_the_call(
    client: Client, cast: Cast
) -> None:
    """An urgent call must not open a case that nobody holds."""
    from compassion.cases.models import Case

    client.force_login(cast.caseworker)
    call = {
        "channel": "phone",
        "name": "Leanne Price",
        "postcode": "NB2 4QT",
        "subject": "Scared to go home",
        "body": "Her husband hits her and she is scared to go home tonight.",
        "received_on": "2026-11-02",
    }
    page = client.post("/inbox/note/", call, follow=True).content.decode()
    case = Case.objects.get(subject="Scared to go home")
    assert case.assigned_to == cast.caseworker
    assert f"Recorded in a new case, {case.reference}, which is now yours." in page
    again = call | {"body": "She rang back: she is at her sister's tonight."}
    client.force_login(cast.manager)
    client.post("/inbox/note/", again)
    case.refresh_from_db()
    assert case.assigned_to == cast.caseworker  # a later call does not move the case


def test_its_form_reads_like_every_other_form(client: Client, cast: Cast) -> None:
    """Every field that may be left empty says "(optional)"; an error is above its box."""
    client.force_login(cast.caseworker)
    html = client.post("/inbox/note/", {"channel": "phone", "email": "joan at home"}).content
    html = html.decode()
    assert 'Email address <span class="optional">(optional)</span></label>' in html
    assert "Their name</label>" in html
    email = html.split('for="id_email"')[1].split("</div>")[0]
    assert email.index('class="error"') < email.index("<input")


def test_a_call_filed_in_an_older_case_does_not_take_the_case(client: Client, cast: Cast) -> None:
    """An open case can be left with no message (its message moved to another case): a call
    filed in it is not a new case, and the case stays with nobody until someone takes it."""
    from django.utils import timezone

    from compassion.cases.models import Case

    now = timezone.now()
    case = Case.objects.create(
        office=cast.office,
        person=cast.person,
        reference="AL-26-00001",
        subject="Boiler",
        opened_at=now - timezone.timedelta(days=20),
    )
    client.force_login(cast.caseworker)
    call = {
        "channel": "phone",
        "name": "Joan Smith",
        "email": "joan@example.com",
        "postcode": "NB1 2AB",
        "subject": "Re: Boiler",
        "body": "Still no heating.",
        "received_on": timezone.localdate().isoformat(),
    }
    page = client.post("/inbox/note/", call, follow=True).content.decode()
    assert Voice.objects.get().case == case
    assert "Recorded in a new case" not in page
    case.refresh_from_db()
    assert case.assigned_to is None
