"""Campaigns: one bulk reply greets each signatory by name, never twice within N days."""

from django.core import mail
from django.test import Client

from compassion.cases.models import Case, Reply, ReplyTemplate, Status
from compassion.core.models import AuditEntry, Person
from compassion.voices.models import Campaign, Voice
from compassion.voices.replies import BulkResult, seed_default_templates
from compassion.voices.views import bulk_message
from tests.conftest import NO_MAIL_SERVER, Cast


def make_campaign(cast: Cast) -> Campaign:
    campaign = Campaign.objects.create(
        office=cast.office, title="Save Northby library", template_text="Please save it."
    )
    people = [
        cast.person,
        Person.objects.create(office=cast.office, first_name="Raj", email="raj@example.net"),
        Person.objects.create(office=cast.office, first_name="Mo"),
    ]
    for number, person in enumerate(people):
        case = Case.objects.create(
            office=cast.office, person=person, reference=f"C-{number}", subject="Library"
        )
        Voice.objects.create(
            office=cast.office,
            person=person,
            case=case,
            campaign=campaign,
            sender_name=person.full_name,
            sender_email=person.email,
            subject="Save the library",
            body="Please save it.",
            personal_lines="My children learned to read there." if number == 1 else "",
        )
    return campaign


def test_it_shows_signatories_and_their_own_words(client: Client, cast: Cast) -> None:
    campaign = make_campaign(cast)
    client.force_login(cast.caseworker)
    listing = client.get("/inbox/campaigns/").content.decode()
    assert "Save Northby library" in listing
    page = client.get(f"/inbox/campaigns/{campaign.pk}/").content.decode()
    assert 'data-figure="signatories">3<' in page
    assert "My children learned to read there." in page
    assert "Dear Joan," in page  # the preview
    seen = AuditEntry.objects.filter(user=cast.caseworker, action="view", object_type="campaign")
    assert sorted(entry.person.first_name for entry in seen) == ["Joan", "Raj"]


def test_it_sends_one_personal_reply_each_and_never_twice(client: Client, cast: Cast) -> None:
    campaign = make_campaign(cast)
    client.force_login(cast.caseworker)
    response = client.post(f"/inbox/campaigns/{campaign.pk}/", follow=True)
    text = response.content.decode()
    assert "Sent 2 personalised replies." in text
    assert "1 wrote without an email address" in text
    bodies = sorted(message.body.split(",")[0] for message in mail.outbox)
    assert bodies == ["Dear Joan", "Dear Raj"]
    assert Case.objects.filter(status=Status.RESOLVED).count() == 2
    again = client.post(f"/inbox/campaigns/{campaign.pk}/", follow=True).content.decode()
    assert "Sent 0 personalised replies." in again
    assert "2 people were not sent it again" in again
    assert Reply.objects.count() == 2


def test_a_campaign_reply_the_mail_server_refuses_says_so_and_can_be_sent_again(
    client: Client, cast: Cast
) -> None:

    campaign = make_campaign(cast)
    client.force_login(cast.caseworker)
    client.raise_request_exception = False
    with NO_MAIL_SERVER:
        response = client.post(f"/inbox/campaigns/{campaign.pk}/", follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "the mail server did not accept the messages" in text
    assert not Reply.objects.exists()
    assert AuditEntry.objects.filter(summary="Sent the campaign reply to 0").exists()
    again = client.post(f"/inbox/campaigns/{campaign.pk}/", follow=True).content.decode()
    assert "Sent 2 personalised replies." in again


def test_a_template_subject_with_a_line_break_is_sent_as_one_line(
    client: Client, cast: Cast
) -> None:
    campaign = make_campaign(cast)
    seed_default_templates(cast.office)
    ReplyTemplate.objects.filter(kind="campaign").update(
        subject="Thank you for writing\nabout {{ campaign }}"
    )
    client.force_login(cast.caseworker)
    client.post(f"/inbox/campaigns/{campaign.pk}/")
    assert {message.subject for message in mail.outbox} == {
        f"Thank you for writing about {campaign.title}"
    }


def test_it_hides_campaigns_of_other_offices(client: Client, cast: Cast) -> None:
    campaign = make_campaign(cast)
    client.force_login(cast.outsider)
    assert client.get(f"/inbox/campaigns/{campaign.pk}/").status_code == 404
    assert client.post(f"/inbox/campaigns/{campaign.pk}/").status_code == 404
    assert mail.outbox == []


def test_one_reply_and_one_person_are_counted_as_one() -> None:
    """It read 'Sent 1 personalised replies. 1 people were not sent it again'."""
    text = bulk_message(BulkResult(sent=1, skipped_recently=1), guard_days=30)
    assert text.startswith("Sent 1 personalised reply. 1 person was not sent it again")
