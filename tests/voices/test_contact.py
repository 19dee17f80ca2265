"""The public contact form: no login, consent required, honeypot, rate limit, CSRF."""

from django.core import mail
from django.test import Client

from compassion.core.models import Consent, ConsentPurpose
from compassion.voices.models import Channel, QuarantinedMessage, Voice
from tests.conftest import Cast

GOOD = {
    "name": "Joan Smith",
    "email": "Joan@Example.com",
    "phone": "07700 900123",
    "postcode": "nb1 2ab",
    "subject": "Bus route 12 cancelled",
    "message": "The 12 no longer runs on Sundays and I cannot get to my mother's.",
    "consent": "on",
    "website": "",
}


def test_it_takes_a_message_without_login_into_the_persons_case(client: Client, cast: Cast) -> None:
    page = client.get("/write-to-us/alice/")
    assert page.status_code == 200
    assert "Write to the Office of Alice MP" in page.content.decode()
    response = client.post("/write-to-us/alice/", GOOD)
    assert response.status_code == 302
    assert response["Location"] == "/write-to-us/alice/thanks/"
    voice = Voice.objects.get()
    assert voice.channel == Channel.WEB_FORM
    assert voice.person == cast.person
    assert voice.case is not None
    assert mail.outbox[0].to == ["joan@example.com"]


def test_someone_new_is_put_on_record_with_their_phone_and_consent(
    client: Client, cast: Cast
) -> None:
    client.post("/write-to-us/alice/", {**GOOD, "name": "Ada Obi", "email": "ada@example.com"})
    person = Voice.objects.get().person
    assert (person.full_name, person.email, person.phone) == (
        "Ada Obi",
        "ada@example.com",
        "07700 900123",
    )
    assert person.postcode == "NB1 2AB"
    assert Consent.objects.get(person=person).given


def test_a_form_naming_someone_on_record_leaves_their_record_as_it_was(
    client: Client, cast: Cast
) -> None:
    """Anyone can type a name, postcode or email address on a public page: someone who means
    harm could add their own phone number or email to another person's record, so that the
    office calls or writes to them. What the form gives stays on the message for staff."""
    cast.person.email = ""
    cast.person.save()
    client.post("/write-to-us/alice/", {**GOOD, "email": "not-joan@example.net"})
    voice = Voice.objects.get()
    assert voice.person == cast.person  # by name and postcode
    cast.person.refresh_from_db()
    assert (cast.person.email, cast.person.phone) == ("", "")
    assert not Consent.objects.exists()
    assert voice.sender_email == "not-joan@example.net"
    assert "did not change Joan Smith's record" in voice.notes
    assert "07700 900123" in voice.notes


def test_a_form_cannot_undo_a_withdrawn_consent(client: Client, cast: Cast) -> None:
    Consent.objects.create(
        person=cast.person, purpose=ConsentPurpose.CASEWORK, given=False, source="phone call"
    )
    client.post("/write-to-us/alice/", GOOD)
    assert not cast.person.has_consent(ConsentPurpose.CASEWORK)
    assert "Consent to casework given on the web form." in Voice.objects.get().notes


def test_a_name_or_subject_cannot_be_disguised_by_right_to_left_characters(
    client: Client, cast: Cast
) -> None:
    client.post(
        "/write-to-us/alice/",
        {**GOOD, "name": "Joan \u202eSmith", "subject": "Bus \u202d12\u202c cancelled"},
    )
    voice = Voice.objects.get()
    assert voice.subject == "Bus 12 cancelled"
    assert voice.sender_name == "Joan Smith"


def test_it_requires_consent_and_explains_why(client: Client, cast: Cast) -> None:
    response = client.post("/write-to-us/alice/", {**GOOD, "consent": ""})
    assert response.status_code == 200
    assert "only take up your message with your agreement" in response.content.decode()
    assert Voice.objects.count() == 0


def test_its_labels_say_which_of_email_and_phone_is_needed(client: Client, cast: Cast) -> None:
    page = client.get("/write-to-us/alice/").content.decode()
    assert 'Your email address <span class="optional">(needed if you give no phone number)' in page
    assert 'Phone number <span class="optional">(needed if you give no email address)' in page


def test_it_quarantines_a_post_that_fills_the_honeypot(client: Client, cast: Cast) -> None:
    response = client.post("/write-to-us/alice/", {**GOOD, "website": "http://spam.example"})
    assert response.status_code == 302
    assert Voice.objects.count() == 0
    assert "hidden field" in QuarantinedMessage.objects.get().reason


def test_it_refuses_a_post_without_a_csrf_token(cast: Cast) -> None:
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/write-to-us/alice/", GOOD)
    assert response.status_code == 403
    assert Voice.objects.count() == 0


def test_it_slows_down_a_hundred_posts_a_minute(client: Client, cast: Cast) -> None:
    statuses = [
        client.post("/write-to-us/alice/", {**GOOD, "message": f"Spam {n}"}).status_code
        for n in range(100)
    ]
    assert statuses.count(302) == 5
    assert statuses.count(429) == 95
    assert Voice.objects.count() == 5
    limited = client.post("/write-to-us/alice/", GOOD)
    assert "Please wait a few minutes" in limited.content.decode()
    other = client.post("/write-to-us/alice/", GOOD, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302


def test_it_answers_an_unknown_office_with_not_found(client: Client, cast: Cast) -> None:
    assert client.get("/write-to-us/nobody-here/").status_code == 404


def test_it_takes_a_form_sent_twice_in_a_row_once(client: Client, cast: Cast) -> None:
    first = client.post("/write-to-us/alice/", GOOD)
    again = client.post("/write-to-us/alice/", GOOD)  # a double click, or Back and Send
    assert first.status_code == again.status_code == 302
    assert Voice.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_post_too_large_to_take_in_gets_a_plain_page_and_stores_nothing(
    client: Client, cast: Cast, settings
) -> None:
    settings.DEBUG = False
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/write-to-us/alice/", GOOD | {"message": "word " * 500})
    assert response.status_code == 400
    page = response.content.decode()
    assert "We could not take that in" in page and "too large" in page
    assert not Voice.objects.exists() and not QuarantinedMessage.objects.exists()


def test_someone_without_email_can_write_in_and_be_called_back(client: Client, cast: Cast) -> None:
    """Not everyone has an email address; a phone number is enough to answer them."""
    response = client.post("/write-to-us/alice/", {**GOOD, "email": "", "phone": "07700 900123"})
    assert response["Location"] == "/write-to-us/alice/thanks/?by=phone"
    voice = Voice.objects.get()
    assert voice.person == cast.person  # by name and postcode
    assert "call them on 07700 900123 to answer" in voice.notes
    assert mail.outbox == []
    thanks = client.get(response["Location"]).content.decode()
    assert "We will call you within 2 working days" in thanks


def test_it_says_in_plain_words_what_is_missing(client: Client, cast: Cast) -> None:
    page = client.post("/write-to-us/alice/", {"consent": "on"}).content.decode()
    for missing in [
        "Tell us your name.",
        "Tell us your postcode.",
        "Say in a few words what it is about.",
        "Tell us what has happened.",
    ]:
        assert missing in page
    assert "This field is required" not in page


def test_it_asks_for_an_email_address_or_a_phone_number(client: Client, cast: Cast) -> None:
    neither = client.post("/write-to-us/alice/", {**GOOD, "email": "", "phone": ""})
    assert "Give us an email address or a phone number" in neither.content.decode()
    not_a_number = client.post("/write-to-us/alice/", {**GOOD, "email": "", "phone": "call me"})
    page = not_a_number.content.decode()
    assert "does not look like a phone number" in page
    assert "Give us an email address or a phone number" not in page
    assert not Voice.objects.exists()
