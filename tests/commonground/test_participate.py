"""Participants add statements and, where the office asks, confirm an email address first."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.test import Client

from compassion.commonground.models import (
    Conversation,
    Moderation,
    Participant,
    Statement,
    StatementStatus,
    Vote,
    WhoCanVote,
    email_hash,
)
from tests.conftest import NO_MAIL_SERVER

PAGE = "/have-your-say/alice/town-centre/"
ADD = PAGE + "add/"
CONFIRM = PAGE + "confirm/"


def test_a_new_statement_waits_for_moderation(client: Client, conversation: Any) -> None:
    response = client.post(ADD, {"text": "  Put a water   fountain in the square. "}, follow=True)
    statement = Statement.objects.get(text="Put a water fountain in the square.")
    assert statement.status == StatementStatus.PENDING
    assert statement.number == 9
    assert statement.author == Participant.objects.get()
    assert "once the office has checked it" in response.content.decode()
    assert statement.number not in [
        client.get(PAGE).context["routing"].statement.number for _ in range(5)
    ]


def test_with_moderation_after_a_statement_is_shown_at_once(
    client: Client, conversation: Conversation
) -> None:
    conversation.moderation = Moderation.AFTER
    conversation.save()
    response = client.post(
        ADD, {"text": "Put a water fountain in the square."}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="add-statement"')
    assert "now in the conversation" in html
    assert Statement.objects.get(number=9).status == StatementStatus.ACCEPTED


def test_duplicates_short_and_long_statements_get_clear_messages(
    client: Client, conversation: Any
) -> None:
    hx = {"HX-Request": "true"}
    duplicate = client.post(ADD, {"text": "high street should be PEDESTRIANISED!"}, headers=hx)
    assert "already in the conversation" in duplicate.content.decode()
    short = client.post(ADD, {"text": "no"}, headers=hx)
    assert "at least 10 characters" in short.content.decode()
    long = client.post(ADD, {"text": "word " * 80}, headers=hx)
    assert "at most 280 characters" in long.content.decode()
    assert Statement.objects.count() == 8
    conversation.statements.create(
        number=99, text="Open the library on Sundays.", status=StatementStatus.PENDING
    )
    waiting = client.post(ADD, {"text": "open the library on sundays"}, headers=hx)
    assert "It is waiting to be checked, and you can vote on it once it is shown." in (
        waiting.content.decode()
    )
    assert Statement.objects.count() == 9


def test_without_javascript_a_refused_statement_keeps_what_was_written(
    client: Client, conversation: Any
) -> None:
    """The page came back empty, with the problem in a message, and the words were lost."""
    short = client.post(ADD, {"text": "Trees!"})
    assert short.status_code == 400
    page = short.content.decode()
    assert "at least 10 characters" in page and ">Trees!</textarea>" in page
    assert short.context["routing"] is not None  # the rest of the page is there too
    duplicate = client.post(ADD, {"text": "High street should be pedestrianised"})
    assert "already in the conversation" in duplicate.content.decode()
    assert ">High street should be pedestrianised</textarea>" in duplicate.content.decode()
    assert Statement.objects.count() == 8


def test_adding_statements_is_rate_limited(
    client: Client, conversation: Any, settings: Any
) -> None:
    settings.COMMONGROUND_RATE_LIMITS = {"statement": (2, 50, 3600)}
    for n in range(3):
        response = client.post(ADD, {"text": f"Idea number {n} for the town centre."}, follow=True)
    assert "added several statements in the last hour" in response.content.decode()
    assert Statement.objects.filter(author__isnull=False).count() == 2


def test_an_office_can_turn_off_new_statements(client: Client, conversation: Conversation) -> None:
    conversation.participants_can_add = False
    conversation.save()
    assert b"Add your own statement" not in client.get(PAGE).content
    response = client.post(ADD, {"text": "Sneaking in a statement anyway."}, follow=True)
    assert "does not take new statements" in response.content.decode()
    assert Statement.objects.count() == 8


def link_in(message: Any) -> str:
    return re.search(r"http://testserver(\S+)", message.body).group(1)


def test_email_confirmation_lets_a_participant_vote(
    client: Client, conversation: Conversation
) -> None:
    conversation.who_can_vote = WhoCanVote.EMAIL
    conversation.save()
    page = client.get(PAGE)
    assert page.context["state"] == "confirm"
    refused = client.post(PAGE, {"statement": 1, "vote": "agree"}, headers={"HX-Request": "true"})
    assert b"confirm your email address" in refused.content
    assert Vote.objects.count() == 0

    client.post(CONFIRM, {"email": " Jo@Example.org "})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["Jo@Example.org"]
    client.get(link_in(mail.outbox[0]))
    participant = Participant.objects.get()
    assert participant.is_verified
    assert participant.email_hash == email_hash("jo@example.org")
    assert "example.org" not in participant.email_hash

    client.post(PAGE, {"statement": 1, "vote": "agree"})
    assert Vote.objects.get().participant == participant


def test_the_same_email_on_a_second_device_is_the_same_participant(
    conversation: Conversation,
) -> None:
    conversation.who_can_vote = WhoCanVote.EMAIL
    conversation.save()
    phone, laptop = Client(), Client()
    phone.post(CONFIRM, {"email": "jo@example.org"})
    phone.get(link_in(mail.outbox[0]))
    phone.post(PAGE, {"statement": 1, "vote": "agree"})
    laptop.post(CONFIRM, {"email": "JO@example.org"})
    laptop.get(link_in(mail.outbox[1]))
    laptop.post(PAGE, {"statement": 1, "vote": "disagree"})
    assert Participant.objects.count() == 1
    assert Vote.objects.get().value == -1


def test_a_confirmation_the_mail_server_refuses_is_explained(
    client: Client, conversation: Conversation
) -> None:

    conversation.who_can_vote = WhoCanVote.EMAIL
    conversation.save()
    client.raise_request_exception = False
    with NO_MAIL_SERVER:
        response = client.post(CONFIRM, {"email": "jo@example.org"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "could not send the email just now" in page
    assert "We have sent a link" not in page


def test_a_broken_or_foreign_link_is_explained(
    client: Client, cast: Any, conversation: Conversation
) -> None:
    response = client.get(PAGE + "confirm/not-a-real-token/", follow=True)
    assert "expired or is not complete" in response.content.decode()
    assert Participant.objects.count() == 0


def test_constituent_only_conversations_check_the_postcode(
    client: Client, conversation: Conversation
) -> None:
    conversation.who_can_vote = WhoCanVote.CONSTITUENTS
    conversation.save()
    outside = client.post(CONFIRM, {"email": "far@example.org", "postcode": "ZZ9 9ZZ"}, follow=True)
    assert "not in the area this office serves" in outside.content.decode()
    assert mail.outbox == []
    missing = client.post(CONFIRM, {"email": "near@example.org"}, follow=True)
    assert "This field is required" in missing.content.decode()
    client.post(CONFIRM, {"email": "near@example.org", "postcode": "nb1 2ab"})
    client.get(link_in(mail.outbox[0]))
    participant = Participant.objects.get()
    assert participant.is_verified and participant.postcode_district == "NB1"


def test_confirmation_emails_are_rate_limited(
    client: Client, conversation: Conversation, settings: Any
) -> None:
    conversation.who_can_vote = WhoCanVote.EMAIL
    conversation.save()
    settings.COMMONGROUND_RATE_LIMITS = {"email": (2, 10, 3600)}
    for _ in range(4):
        response = client.post(CONFIRM, {"email": "jo@example.org"}, follow=True)
    assert len(mail.outbox) == 2
    assert "Too many confirmation emails" in response.content.decode()
