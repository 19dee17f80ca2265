"""One message: read, audited, acknowledged in one click, matched, attachments downloaded."""

from django.core import mail
from django.test import Client
from django.utils import timezone

from compassion.cases.models import Reply, Status
from compassion.core.models import AuditEntry, Person
from compassion.voices.intake import ingest_raw
from compassion.voices.models import Attachment, Voice
from compassion.voices.replies import intake_settings
from tests.conftest import Cast
from tests.voices.mail import email_bytes


def manual_office(cast: Cast) -> None:
    settings = intake_settings(cast.office)
    settings.auto_acknowledge = False
    settings.save()


def test_it_shows_the_message_marks_it_read_and_audits_it(client: Client, cast: Cast) -> None:
    ingest_raw(cast.office, email_bytes(), "a.eml")
    voice = Voice.objects.get()
    client.force_login(cast.caseworker)
    response = client.get(f"/inbox/{voice.pk}/")
    assert response.status_code == 200
    assert "The mould is back" in response.content.decode()
    voice.refresh_from_db()
    assert voice.read_at is not None
    entry = AuditEntry.objects.get(object_type="voice")
    assert entry.person == cast.person and entry.user == cast.caseworker


def test_it_shows_sanitised_html_without_scripts_or_tracking_pixels(
    client: Client, cast: Cast
) -> None:
    html = (
        '<p onclick="steal()">Hello <b>there</b></p><script>alert(1)</script>'
        '<img src="https://track.example/pixel.gif" width="1" height="1">'
        '<a href="javascript:alert(2)">link</a>'
    )
    ingest_raw(cast.office, email_bytes(html=html), "a.eml")
    voice = Voice.objects.get()
    client.force_login(cast.caseworker)
    page = client.get(f"/inbox/{voice.pk}/").content.decode()
    assert "<b>there</b>" in page
    assert "alert(1)" not in page and "onclick" not in page
    assert "track.example" not in page and "javascript:" not in page
    assert "Images in the message" in page


def test_it_sends_the_acknowledgement_in_one_click(client: Client, cast: Cast) -> None:
    manual_office(cast)
    ingest_raw(cast.office, email_bytes(), "a.eml")
    assert mail.outbox == []
    voice = Voice.objects.get()
    client.force_login(cast.caseworker)
    page = client.get(f"/inbox/{voice.pk}/").content.decode()
    assert "working days left" in page or "overdue" in page or "due today" in page
    response = client.post(f"/inbox/{voice.pk}/acknowledge/")
    assert response.status_code == 302
    assert mail.outbox[0].body.startswith("Dear Joan,")
    voice.case.refresh_from_db()
    assert voice.case.status == Status.ACKNOWLEDGED
    assert Reply.objects.get().sent_by == cast.caseworker


def test_the_acknowledgement_sent_twice_by_a_double_click_reaches_the_person_once(
    client: Client, cast: Cast
) -> None:
    manual_office(cast)
    ingest_raw(cast.office, email_bytes(), "a.eml")
    voice = Voice.objects.get()
    client.force_login(cast.caseworker)
    client.post(f"/inbox/{voice.pk}/acknowledge/")
    again = client.post(f"/inbox/{voice.pk}/acknowledge/", follow=True)
    assert len(mail.outbox) == 1
    assert Reply.objects.count() == 1
    assert "already acknowledged" in again.content.decode()


def test_it_lets_volunteers_read_but_not_acknowledge(client: Client, cast: Cast) -> None:
    manual_office(cast)
    ingest_raw(cast.office, email_bytes(), "a.eml")
    voice = Voice.objects.get()
    client.force_login(cast.volunteer)
    assert client.get(f"/inbox/{voice.pk}/").status_code == 200
    assert client.post(f"/inbox/{voice.pk}/acknowledge/").status_code == 403
    assert mail.outbox == []


def test_it_confirms_an_uncertain_match(client: Client, cast: Cast) -> None:
    known = Person.objects.create(
        office=cast.office, first_name="Margaret", last_name="O'Brien", postcode="NB2 7XY"
    )
    raw = email_bytes(sender="Maggie OBrien <mags@example.org>", body="Help\nMaggie\nNB2 7XY")
    ingest_raw(cast.office, raw, "m.eml")
    voice = Voice.objects.get()
    client.force_login(cast.caseworker)
    page = client.get(f"/inbox/{voice.pk}/").content.decode()
    assert "Is this Margaret O&#x27;Brien?" in page
    client.post(f"/inbox/{voice.pk}/match/", {"answer": "same"})
    voice.refresh_from_db()
    assert voice.person == known
    assert voice.case.person == known


def test_it_downloads_attachments_only_within_the_office(client: Client, cast: Cast) -> None:
    raw = email_bytes(attachments=[("notice.pdf", b"%PDF-1.4 notice", "application/pdf")])
    ingest_raw(cast.office, raw, "a.eml")
    item = Attachment.objects.get()
    client.force_login(cast.caseworker)
    response = client.get(f"/inbox/attachments/{item.pk}/")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 notice"
    assert "attachment;" in response["Content-Disposition"]
    client.force_login(cast.outsider)
    assert client.get(f"/inbox/attachments/{item.pk}/").status_code == 404


def test_it_shows_the_lens_reading_of_a_possible_risk_without_a_set_phrase(
    client: Client, cast: Cast
) -> None:
    from django.utils import timezone

    ingest_raw(cast.office, email_bytes(body="Everything feels very dark lately."), "a.eml")
    Voice.objects.update(risk_to_life=True, analysed_at=timezone.now(), emotion="distress")
    client.force_login(cast.caseworker)
    page = client.get(f"/inbox/{Voice.objects.get().pk}/").content.decode()
    assert "Possible risk to life or health" in page
    assert "Distress" in page
    assert 'id="urgent-heading"' not in page  # no rule found words that show it


def test_a_low_learned_risk_asks_for_a_careful_read_without_alarm(
    client: Client, cast: Cast
) -> None:
    from django.utils import timezone

    ingest_raw(cast.office, email_bytes(body="The boiler broke again this week."), "a.eml")
    Voice.objects.update(risk_to_life=True, risk_score=0.31, analysed_at=timezone.now())
    client.force_login(cast.caseworker)
    page = client.get(f"/inbox/{Voice.objects.get().pk}/").content.decode()
    assert "worth a careful read" in page
    assert "Possible risk to life or health" not in page


def test_the_message_names_its_writer_with_a_link_to_their_record(
    client: Client, cast: Cast
) -> None:
    """The writer's record (their other cases, their needs) was two pages away, by the case."""
    ingest_raw(cast.office, email_bytes(), "a.eml")
    voice = Voice.objects.get()
    client.force_login(cast.caseworker)
    page = client.get(f"/inbox/{voice.pk}/").content.decode()
    assert f'Email from <a href="/people/{cast.person.pk}/">Joan Smith</a>' in page
    Person.objects.filter(pk=cast.person.pk).update(erased_at=timezone.now())
    assert (
        f'href="/people/{cast.person.pk}/"'
        not in client.get(f"/inbox/{voice.pk}/").content.decode()
    )
