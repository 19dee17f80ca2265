from django.core import mail
from django.test import Client

from compassion.cases.models import Reply
from compassion.commitments.models import Commitment, Notice, PublicStatus
from compassion.core.models import AuditEntry, Person
from compassion.voices.models import Voice
from tests.conftest import Cast


def close(commitment: Commitment, status: str = PublicStatus.KEPT) -> None:
    from django.utils import timezone

    commitment.status = status
    commitment.status_changed_at = timezone.now()
    commitment.save()


def test_it_tells_the_people_who_asked_what_became_of_it(
    client: Client, cast: Cast, commitment: Commitment, campaign
) -> None:
    no_email = Person.objects.create(office=cast.office, first_name="Len", last_name="Post")
    Voice.objects.create(office=cast.office, person=no_email, campaign=campaign, channel="letter")
    erased = Person.objects.create(office=cast.office, first_name="Gone", email="gone@example.com")
    erased.erased_at = erased.created_at
    erased.save()
    Voice.objects.create(office=cast.office, person=erased, campaign=campaign)
    close(commitment)
    client.force_login(cast.leader)
    form = client.get(f"/commitments/{commitment.pk}/notify/").content.decode()
    assert "Send to 1 person" in form
    response = client.post(
        f"/commitments/{commitment.pk}/notify/",
        {
            "subject": "You asked: the library stays open",
            "body": "Dear {{ first_name }},\n\nWe did it.",
        },
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["joan@example.com"]
    assert mail.outbox[0].body.startswith("Dear Joan,")
    reply = Reply.objects.get()
    assert (reply.person, reply.case.reference, reply.campaign) == (
        cast.person,
        "NE-26-00042",
        campaign,
    )
    assert Notice.objects.get().recipients == 1
    assert AuditEntry.objects.filter(person=cast.person, action="change").exists()

    # A second send (a double click, a resubmitted form) is refused.
    client.post(f"/commitments/{commitment.pk}/notify/", {"subject": "Again", "body": "Again"})
    assert len(mail.outbox) == 1 and Notice.objects.count() == 1


def test_it_only_tells_people_once_the_commitment_is_closed(
    client: Client, cast: Cast, commitment: Commitment
) -> None:
    client.force_login(cast.leader)
    response = client.post(f"/commitments/{commitment.pk}/notify/", {"subject": "s", "body": "b"})
    assert response.status_code == 302
    assert mail.outbox == [] and not Notice.objects.exists()


def test_it_counts_each_person_once(cast: Cast, commitment: Commitment, campaign) -> None:
    Voice.objects.create(office=cast.office, person=cast.person, campaign=campaign)
    Voice.objects.create(office=cast.other_office, person=cast.other_person, campaign=campaign)
    assert commitment.count_people_asked() == 1


def test_it_records_nothing_when_the_email_server_fails(
    client: Client, cast: Cast, commitment: Commitment, monkeypatch
) -> None:
    from smtplib import SMTPServerDisconnected

    from django.core.mail.backends.locmem import EmailBackend

    def refuse(self, messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    close(commitment)
    client.force_login(cast.leader)
    response = client.post(
        f"/commitments/{commitment.pk}/notify/", {"subject": "s", "body": "b"}, follow=True
    )
    assert "nothing was recorded" in response.content.decode()
    assert not Notice.objects.exists() and not Reply.objects.exists()


def test_it_records_no_message_to_nobody(
    client: Client, cast: Cast, commitment: Commitment
) -> None:
    Person.objects.filter(pk=cast.person.pk).update(email="")
    close(commitment)
    client.force_login(cast.leader)
    response = client.post(
        f"/commitments/{commitment.pk}/notify/",
        {"subject": "You asked: the library stays open", "body": "Dear {{ first_name }},"},
        follow=True,
    )
    assert "nobody to email" in response.content.decode()
    assert not Notice.objects.exists() and not mail.outbox
