from django.core import mail
from django.test import Client

from compassion.cases.models import Reply, ReplyTemplate, Status
from compassion.core.models import AuditEntry
from tests.cases.conftest import make_case
from tests.conftest import NO_MAIL_SERVER, Cast


def make_template(cast: Cast, **fields: object) -> ReplyTemplate:
    fields.setdefault("kind", "reply")
    fields.setdefault("name", "Housing: we are on it")
    fields.setdefault("subject", "Your case {{ reference }}")
    fields.setdefault(
        "body",
        "Dear {{ first_name }},\n\nYou told us: {{ heard }}. I will write to the landlord "
        "by Friday.\n\n{{ caseworker }}\n{{ unknown_field }}",
    )
    return ReplyTemplate.objects.create(office=cast.office, **fields)


def test_it_merges_the_persons_details_into_a_template(client: Client, cast: Cast) -> None:
    case = make_case(cast.office, cast.person, heard="my son can breathe at night")
    template = make_template(cast)
    client.force_login(cast.caseworker)
    html = client.get(f"/cases/{case.pk}/reply/?template={template.pk}").content.decode()
    assert f"Your case {case.reference}" in html
    assert "Dear Joan," in html
    assert "You told us: my son can breathe at night." in html
    assert "Charlie" in html
    assert "{{ unknown_field }}" in html  # left visible for the writer to fix


def test_it_offers_only_current_templates_of_the_office(client: Client, cast: Cast) -> None:
    case = make_case(cast.office, cast.person, theme="housing")
    make_template(cast, name="Old wording", is_current=False)
    make_template(cast, name="Benefits only", theme="benefits")
    make_template(cast, name="Housing letter", theme="housing")
    ReplyTemplate.objects.create(
        office=cast.other_office, kind="reply", name="Bob's letter", subject="x", body="x"
    )
    client.force_login(cast.caseworker)
    html = client.get(f"/cases/{case.pk}/reply/").content.decode()
    assert "Housing letter" in html
    assert "Old wording" not in html and "Benefits only" not in html
    assert "Bob's letter" not in html


def test_it_sends_records_and_moves_the_case_on(client: Client, cast: Cast) -> None:
    case = make_case(cast.office, cast.person)
    client.force_login(cast.caseworker)
    data = {"subject": "Your repair", "body": "Dear Joan, I am sorry. I will ring them today."}
    client.post(f"/cases/{case.pk}/reply/", data)
    again = client.post(f"/cases/{case.pk}/reply/", data, follow=True)
    reply = Reply.objects.get()
    assert reply.to_email == "joan@example.com" and reply.sent_by == cast.caseworker
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["joan@example.com"]
    assert "not sent twice" in again.content.decode()
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.first_reply_at == reply.sent_at
    assert AuditEntry.objects.filter(action="change", summary="Sent a reply").count() == 1


def test_it_refuses_an_empty_reply_and_keeps_the_draft(client: Client, cast: Cast) -> None:
    case = make_case(cast.office, cast.person)
    client.force_login(cast.caseworker)
    response = client.post(f"/cases/{case.pk}/reply/", {"subject": "Draft kept", "body": " "})
    assert "Nothing was sent" in response.content.decode()
    assert "Draft kept" in response.content.decode()
    assert not Reply.objects.exists()


def test_a_reply_the_mail_server_refuses_is_not_recorded_as_sent_and_the_draft_is_kept(
    client: Client, cast: Cast
) -> None:
    case = make_case(cast.office, cast.person)
    client.force_login(cast.caseworker)
    client.raise_request_exception = False
    data = {"subject": "Your repair", "body": "Dear Joan, I have rung Northby Homes today."}
    with NO_MAIL_SERVER:
        response = client.post(f"/cases/{case.pk}/reply/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was sent: the email could not be sent" in page
    assert "I have rung Northby Homes today." in page  # nothing typed is lost
    assert not Reply.objects.exists()
    case.refresh_from_db()
    assert (case.status, case.first_reply_at, case.acknowledged_at) == (Status.NEW, None, None)
    assert not AuditEntry.objects.filter(summary="Sent a reply").exists()


def test_a_line_break_in_a_subject_is_sent_as_one_line(client: Client, cast: Cast) -> None:
    """A subject pasted with its line break (or a forged one adding "Bcc:") is one line."""
    case = make_case(cast.office, cast.person)
    client.force_login(cast.caseworker)
    data = {"subject": "Your repair\r\nBcc: someone@example.org", "body": "Dear Joan, done."}
    client.post(f"/cases/{case.pk}/reply/", data)
    assert mail.outbox[0].subject == "Your repair Bcc: someone@example.org"
    assert mail.outbox[0].bcc == []
    assert Reply.objects.get().subject == "Your repair Bcc: someone@example.org"


def test_it_records_a_letter_when_there_is_no_email(client: Client, cast: Cast) -> None:
    cast.person.email = ""
    cast.person.save()
    case = make_case(cast.office, cast.person)
    client.force_login(cast.caseworker)
    composer = client.get(f"/cases/{case.pk}/reply/").content.decode()
    assert "Their record has no postal address" in composer
    assert f'href="/people/{cast.person.pk}/edit/">Add their address</a>' in composer
    response = client.post(
        f"/cases/{case.pk}/reply/", {"subject": "Letter", "body": "Dear Joan, ..."}, follow=True
    )
    assert "no postal address on their record: add their address" in response.content.decode()
    assert mail.outbox == []
    reply = Reply.objects.get()
    assert (
        f'href="/cases/replies/{reply.pk}.pdf">Letter to post (PDF)</a>'
        in response.content.decode()
    )
    cast.person.address_line1 = "12 Mill Lane"
    cast.person.save()
    assert "no postal address" not in client.get(f"/cases/{case.pk}/reply/").content.decode()
    response = client.post(
        f"/cases/{case.pk}/reply/", {"subject": "Again", "body": "Dear Joan, more"}, follow=True
    )
    assert "There is no email address: print its letter below" in response.content.decode()


def test_it_says_to_call_someone_with_only_a_phone_number(client: Client, cast: Cast) -> None:
    cast.person.email = ""
    cast.person.phone = "07700 900123"
    cast.person.save()
    case = make_case(cast.office, cast.person)
    client.force_login(cast.caseworker)
    composer = client.get(f"/cases/{case.pk}/reply/").content.decode()
    assert "Call them on 07700 900123 and record here what you told them" in composer
    response = client.post(
        f"/cases/{case.pk}/reply/", {"subject": "By phone", "body": "Told Joan..."}, follow=True
    )
    page = response.content.decode()
    assert "call them on 07700 900123 to tell them" in page
    assert mail.outbox == []
    assert Reply.objects.get().to_email == ""


def test_the_letter_to_post_is_addressed_to_them_and_audited(
    client: Client, cast: Cast, monkeypatch: object
) -> None:
    from compassion.cases import letters

    cast.person.email = ""
    cast.person.title = "Mrs"
    cast.person.address_line1 = "12 Mill Lane"
    cast.person.town = "Northby"
    cast.person.save()
    case = make_case(cast.office, cast.person)
    client.force_login(cast.caseworker)
    client.post(f"/cases/{case.pk}/reply/", {"subject": "Your damp", "body": "Dear Joan, ..."})
    reply = Reply.objects.get()

    pdf = client.get(f"/cases/replies/{reply.pk}.pdf")

    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="export", summary="Reply as a letter (PDF)").exists()
    monkeypatch.setattr(letters, "render_pdf", lambda html: html)  # read what is printed
    html = letters.reply_pdf(reply)
    assert "Mrs Joan Smith<br>12 Mill Lane<br>Northby NB1 2AB" in html
    assert f"Our reference: {case.reference}" in html and "Dear Joan, ..." in html
    theirs = make_case(cast.other_office, cast.other_person)
    other = Reply.objects.create(office=cast.other_office, case=theirs, subject="x", body="y")
    assert client.get(f"/cases/replies/{other.pk}.pdf").status_code == 404


def test_it_keeps_the_composer_to_the_office(client: Client, cast: Cast) -> None:
    theirs = make_case(cast.other_office, cast.other_person)
    client.force_login(cast.caseworker)
    assert client.get(f"/cases/{theirs.pk}/reply/").status_code == 404
    assert client.post(f"/cases/{theirs.pk}/reply/coach/", {"body": "hi"}).status_code == 404
    client.force_login(cast.volunteer)
    mine = make_case(cast.office, cast.person)
    assert client.post(f"/cases/{mine.pk}/reply/", {"subject": "x", "body": "y"}).status_code == 403


def test_it_will_not_send_a_letter_with_blanks_left_in(client: Client, cast: Cast) -> None:
    case = make_case(cast.office, cast.person)
    template = make_template(cast)
    client.force_login(cast.caseworker)
    draft = client.get(f"/cases/{case.pk}/reply/?template={template.pk}").content.decode()
    assert "You told us: {{ heard }}." in draft  # nothing heard yet: left for the writer
    response = client.post(
        f"/cases/{case.pk}/reply/",
        {
            "subject": "Your case",
            "body": "You told us: {{ heard }}. I will ring by [date].",
        },
    )
    html = response.content.decode()
    assert "Finish the letter first: replace {{ heard }}, [date]." in html
    assert "record it under &quot;Heard&quot; on the case page and start the letter again" in html
    assert not Reply.objects.exists()


def test_the_coach_reads_the_draft_against_their_message(client: Client, cast: Cast) -> None:
    case = make_case(
        cast.office,
        cast.person,
        body="The bailiffs are coming on Friday and we have nowhere to go with the children.",
    )
    client.force_login(cast.caseworker)
    url = f"/cases/{case.pk}/reply/coach/"
    cold = client.post(url, {"body": "Thank you for your email."}).content.decode()
    assert 'data-coach="reading"' in cold
    assert "Offer a concrete next step: say who will do what, and by when." in cold
    warm = client.post(
        url,
        {
            "body": (
                "Dear Joan, I am so sorry, this must be frightening. I will ring the council's "
                "homeless team today and call you by 5pm tomorrow with what they say."
            )
        },
    ).content.decode()
    assert "Offer a concrete next step" not in warm
    assert 'aria-label="clearly (2 of 2)"' in warm
    assert "Acknowledge how" not in warm
    empty = client.post(url, {"body": "   "}).content.decode()
    assert 'data-coach="waiting"' in empty


def test_it_keeps_the_coachs_reading_with_the_reply(client: Client, cast: Cast) -> None:
    case = make_case(cast.office, cast.person, body="My boiler broke three weeks ago.")
    client.force_login(cast.caseworker)
    client.post(f"/cases/{case.pk}/reply/", {"subject": "Boiler", "body": "Noted."})
    coach = Reply.objects.get().coach
    assert coach["helping"] == 0 and coach["suggestions"]
