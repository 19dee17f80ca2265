"""One-time invitation links for constituents the office already knows."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.test import Client

from compassion.commonground.models import (
    Conversation,
    Invitation,
    Participant,
    Vote,
    WhoCanVote,
)

PAGE = "/have-your-say/alice/town-centre/"


def make_links(client: Client, cast: Any, conversation: Conversation, count: str) -> Any:
    client.force_login(cast.caseworker)
    return client.post(f"/common-ground/{conversation.pk}/invitations/", {"count": count})


def downloaded_links(client: Client, conversation: Conversation) -> list[str]:
    response = client.get(f"/common-ground/{conversation.pk}/invitations.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["invitation link", "made"]
    return [row[0].removeprefix("http://testserver") for row in rows[1:]]


def test_an_invited_constituent_votes_without_giving_an_email(
    client: Client, cast: Any, conversation: Conversation
) -> None:
    conversation.who_can_vote = WhoCanVote.CONSTITUENTS
    conversation.save()
    make_links(client, cast, conversation, "3")
    links = downloaded_links(client, conversation)
    assert len(links) == 3 and len(set(links)) == 3

    citizen = Client()
    assert citizen.get(PAGE).context["state"] == "confirm"
    response = citizen.get(links[0], follow=True)
    assert "your invitation is confirmed" in response.content.decode()
    assert response.context["state"] == "vote"
    citizen.post(PAGE, {"statement": 1, "vote": "agree"})
    assert Vote.objects.get().participant == Participant.objects.get()
    assert Invitation.objects.filter(used_at__isnull=False).count() == 1
    assert len(downloaded_links(client, conversation)) == 2  # the used link is no longer listed


def test_a_used_link_does_not_let_a_second_person_in(
    client: Client, cast: Any, conversation: Conversation
) -> None:
    conversation.who_can_vote = WhoCanVote.EMAIL
    conversation.save()
    make_links(client, cast, conversation, "1")
    link = downloaded_links(client, conversation)[0]
    first, second = Client(), Client()
    first.get(link)
    again = first.get(link, follow=True)  # the same person opening it again is fine
    assert again.context["state"] == "vote"
    response = second.get(link, follow=True)
    assert "already been used" in response.content.decode()
    assert response.context["state"] == "confirm"
    assert Participant.objects.count() == 1


def test_a_made_up_link_is_refused(client: Client, conversation: Conversation) -> None:
    response = client.get(PAGE + "invited/guessed-token/", follow=True)
    assert "not complete or not valid" in response.content.decode()
    assert Participant.objects.count() == 0


def test_links_of_one_conversation_do_not_open_another(
    client: Client, cast: Any, conversation: Conversation
) -> None:
    make_links(client, cast, conversation, "1")
    token = Invitation.objects.get().token
    other = Conversation.objects.create(
        office=cast.office, title="Other", question="?", slug="other"
    )
    response = Client().get(f"/have-your-say/alice/{other.slug}/invited/{token}/", follow=True)
    assert "not complete or not valid" in response.content.decode()


def test_invitation_links_are_the_offices_own(
    client: Client, cast: Any, conversation: Conversation
) -> None:
    client.force_login(cast.outsider)
    assert client.get(f"/common-ground/{conversation.pk}/invitations/").status_code == 404
    assert client.get(f"/common-ground/{conversation.pk}/invitations.csv").status_code == 404
    client.force_login(cast.volunteer)
    assert make_links(client, cast, conversation, "5").status_code == 302  # as caseworker
    client.force_login(cast.volunteer)
    refused = client.post(f"/common-ground/{conversation.pk}/invitations/", {"count": "5"})
    assert refused.status_code == 403
    assert Invitation.objects.count() == 5


def test_a_wrong_number_of_links_is_explained(
    client: Client, cast: Any, conversation: Conversation
) -> None:
    for count in ("0", "100000", "lots"):
        response = make_links(client, cast, conversation, count)
        assert response.status_code == 200
        assert response.context["form"].errors["count"]
    assert Invitation.objects.count() == 0


def test_a_volunteer_cannot_take_the_unused_links(
    client: Client, cast: Any, conversation: Conversation
) -> None:
    """Each unused link lets its holder vote as a confirmed constituent: read-only staff
    may count them, not download them."""
    make_links(client, cast, conversation, "3")
    client.force_login(cast.volunteer)
    page = client.get(f"/common-ground/{conversation.pk}/invitations/").content.decode()
    assert "invitations.csv" not in page
    assert client.get(f"/common-ground/{conversation.pk}/invitations.csv").status_code == 403
    assert Invitation.objects.first().token not in page


def test_make_links_pressed_twice_makes_them_once(
    client: Client, cast: Any, conversation: Conversation
) -> None:
    make_links(client, cast, conversation, "50")
    second = make_links(client, cast, conversation, "50")
    assert Invitation.objects.filter(conversation=conversation).count() == 50
    assert second.status_code == 302
    page = client.get(second["Location"]).content.decode()
    assert "already saved a moment ago" in page
