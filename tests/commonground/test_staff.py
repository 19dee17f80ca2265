"""Staff pages: start, configure and moderate conversations; nothing of another office leaks."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from compassion.commonground.models import Conversation, StatementStatus
from compassion.core.models import AuditEntry
from tests.commonground.conftest import make_conversation


def logged_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_the_list_shows_the_offices_conversations_with_their_figures(
    client: Client, cast: Any, voted: Conversation
) -> None:
    make_conversation(cast.other_office, title="Bob's secret consultation", slug="secret")
    response = logged_in(client, cast.caseworker).get("/common-ground/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Town centre" in html
    assert "Bob&#x27;s secret consultation" not in html and "secret consultation" not in html
    figures = response.context["conversations"][0].figures
    assert figures["participants"] == 36
    assert figures["statements"] == 8
    assert figures["votes"] == voted.votes().count()


def test_the_list_needs_a_login(client: Client, cast: Any) -> None:
    response = client.get("/common-ground/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_it_starts_a_conversation_with_messy_seed_statements(client: Client, cast: Any) -> None:
    seeds = (
        "  The market should open every Saturday.  \n\n"
        "The market should open every Saturday.\n"
        "We need   more benches.\r\n"
        "\t\n"
    )
    response = logged_in(client, cast.manager).post(
        "/common-ground/new/",
        {
            "title": "Market days",
            "question": "How should the market work?",
            "moderation": "before",
            "who_can_vote": "anyone",
            "session_cap": "20",
            "participants_can_add": "on",
            "seed_statements": seeds,
        },
    )
    conversation = Conversation.objects.get(title="Market days")
    assert response.status_code == 302
    assert response["Location"] == f"/common-ground/{conversation.pk}/"
    assert conversation.office == cast.office
    assert conversation.slug == "market-days"
    texts = list(conversation.statements.values_list("number", "text", "status", "is_seed"))
    assert texts == [
        (1, "The market should open every Saturday.", "accepted", True),
        (2, "We need more benches.", "accepted", True),
    ]
    assert AuditEntry.objects.filter(object_type="conversation", action="create").exists()


def test_a_seed_statement_typed_twice_differently_is_added_once(client: Client, cast: Any) -> None:
    """The office's own "Add a statement" refuses a repeat that differs only in case or a
    full stop; the seed box let it through, and voters were asked the same thing twice."""
    logged_in(client, cast.manager).post(
        "/common-ground/new/",
        {
            "title": "Bus station",
            "question": "What would make the bus station better?",
            "moderation": "before",
            "who_can_vote": "anyone",
            "session_cap": "20",
            "seed_statements": "More seats.\nBetter lighting at night\nmore seats\nMORE SEATS!",
        },
    )
    conversation = Conversation.objects.get(title="Bus station")
    assert list(conversation.statements.values_list("text", flat=True)) == [
        "More seats.",
        "Better lighting at night",
    ]


def test_it_explains_what_is_wrong_with_a_new_conversation(
    client: Client, cast: Any, conversation: Any
) -> None:
    response = logged_in(client, cast.manager).post(
        "/common-ground/new/",
        {
            "title": "Town centre",
            "question": "",
            "moderation": "before",
            "who_can_vote": "anyone",
            "session_cap": "0",
            "slug": "town-centre",
            "opens_at": "2026-05-02T10:00",
            "closes_at": "2026-05-01T10:00",
            "seed_statements": "x" * 300,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "question" in errors
    assert "already uses that web address" in errors["slug"][0]
    assert "must come after" in errors["closes_at"][0]
    assert "longer than 280 characters" in errors["seed_statements"][0]
    assert "session_cap" in errors
    assert Conversation.objects.count() == 1


def test_a_volunteer_can_read_but_not_change(
    client: Client, cast: Any, conversation: Conversation
) -> None:
    logged_in(client, cast.volunteer)
    assert client.get(f"/common-ground/{conversation.pk}/").status_code == 200
    assert client.get("/common-ground/new/").status_code == 403
    response = client.post(f"/common-ground/{conversation.pk}/statements/1/", {"action": "reject"})
    assert response.status_code == 403
    assert conversation.statements.get(number=1).status == StatementStatus.ACCEPTED


@pytest.mark.parametrize(
    "path",
    [
        "/common-ground/{pk}/",
        "/common-ground/{pk}/edit/",
        "/common-ground/{pk}/statements/",
        "/common-ground/{pk}/polis-export/",
    ],
)
def test_another_office_cannot_reach_a_conversation_by_guessing(
    client: Client, cast: Any, voted: Conversation, path: str
) -> None:
    response = logged_in(client, cast.outsider).get(path.format(pk=voted.pk))
    assert response.status_code == 404


def test_another_office_cannot_moderate_by_guessing(
    client: Client, cast: Any, conversation: Conversation
) -> None:
    response = logged_in(client, cast.outsider).post(
        f"/common-ground/{conversation.pk}/statements/1/", {"action": "reject"}
    )
    assert response.status_code == 404
    assert conversation.statements.get(number=1).status == StatementStatus.ACCEPTED


def test_moderation_accepts_and_rejects_with_an_htmx_swap(
    client: Client, cast: Any, conversation: Conversation
) -> None:
    pending = conversation.add_statement("Put a water fountain in the square.")
    logged_in(client, cast.caseworker)
    page = client.get(f"/common-ground/{conversation.pk}/statements/")
    assert page.context["pending"] == [pending]
    hidden_number = f'<span class="visually-hidden"> #{pending.number}</span>'
    for button in ("Accept", "Reject", "Mark as meta", "Set priority"):  # each says which one
        assert f"{button}{hidden_number}</button>" in page.content.decode()
    response = client.post(
        f"/common-ground/{conversation.pk}/statements/{pending.number}/",
        {"action": "accept", "from": "queue"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert f'id="queue-{pending.number}"' in response.content.decode()
    assert "Shown to voters" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == StatementStatus.ACCEPTED
    assert pending.moderated_by == cast.caseworker
    response = client.post(
        f"/common-ground/{conversation.pk}/statements/{pending.number}/",
        {"action": "reject"},
        headers={"HX-Request": "true"},
    )
    assert response.content.decode().lstrip().startswith(f'<tr id="row-{pending.number}"')
    pending.refresh_from_db()
    assert pending.status == StatementStatus.REJECTED


def test_moderation_sets_and_clears_a_priority_and_refuses_nonsense(
    client: Client, cast: Any, conversation: Conversation
) -> None:
    url = f"/common-ground/{conversation.pk}/statements/3/"
    logged_in(client, cast.caseworker)
    client.post(url, {"action": "priority", "priority": "2"})
    assert conversation.officer_priority() == [3]
    response = client.post(url, {"action": "priority", "priority": "-4"}, follow=True)
    assert "A priority is a whole number" in response.content.decode()
    assert conversation.officer_priority() == [3]
    client.post(url, {"action": "priority", "priority": ""})
    assert conversation.officer_priority() == []
    response = client.post(url, {"action": "delete-everything"}, follow=True)
    assert "not one this page knows" in response.content.decode()
    missing = client.post(f"/common-ground/{conversation.pk}/statements/99/", {"action": "accept"})
    assert missing.status_code == 302


def test_staff_add_a_statement_and_duplicates_are_refused(
    client: Client, cast: Any, conversation: Conversation
) -> None:
    logged_in(client, cast.caseworker)
    url = f"/common-ground/{conversation.pk}/statements/"
    client.post(url, {"text": "The bus station needs a waiting room."})
    added = conversation.statements.get(text="The bus station needs a waiting room.")
    assert (added.number, added.status, added.is_seed) == (9, "accepted", True)
    response = client.post(url, {"text": "  the BUS station needs a waiting room!  "})
    assert "already in the conversation" in response.content.decode()
    assert conversation.statements.count() == 9


def test_settings_can_publish_the_report(
    client: Client, cast: Any, conversation: Conversation
) -> None:
    conversation.report_published = False
    conversation.save()
    assert client.get("/have-your-say/alice/town-centre/report/").status_code == 404
    logged_in(client, cast.manager).post(
        f"/common-ground/{conversation.pk}/edit/",
        {
            "title": "Town centre",
            "question": "What should the town centre be like?",
            "slug": "town-centre",
            "moderation": "after",
            "who_can_vote": "anyone",
            "session_cap": "15",
            "report_published": "on",
        },
    )
    conversation.refresh_from_db()
    assert conversation.report_published and conversation.session_cap == 15
    assert Client().get("/have-your-say/alice/town-centre/report/").status_code == 200


def test_the_queue_warns_of_personal_details_and_urgent_risks(
    client: Client, cast: Any, conversation: Conversation
) -> None:
    conversation.add_statement("Ring me on 07700 900123 about the car park plans.")
    conversation.add_statement("I cannot go on living next to this noise, nobody listens.")
    conversation.add_statement("Put a water fountain in the square.")
    html = (
        logged_in(client, cast.caseworker)
        .get(f"/common-ground/{conversation.pk}/statements/")
        .content.decode()
    )
    assert "personal details (a phone number)" in html
    assert "Possible urgent risk (self-harm or suicide): “cannot go on”" in html
    assert html.count('class="reasons"') == 2


def test_a_statement_about_the_voter_can_be_marked_meta_and_back(
    client: Client, cast: Any, voted: Conversation
) -> None:
    url = f"/common-ground/{voted.pk}/statements/1/"
    logged_in(client, cast.caseworker)
    response = client.post(url, {"action": "meta", "is_meta": "1"}, headers={"HX-Request": "true"})
    assert "Not meta" in response.content.decode()
    assert voted.statements.get(number=1).is_meta
    results = client.get(f"/common-ground/{voted.pk}/").context["results"]
    assert 1 not in {row.statement.number for row in results.bridging}
    client.post(url, {"action": "meta", "is_meta": "0"})
    assert not voted.statements.get(number=1).is_meta


def test_a_volunteer_cannot_download_the_statements_nobody_has_moderated(
    client: Client, cast: Any, voted: Conversation
) -> None:
    """The Pol.is export holds every statement, unmoderated and rejected ones too, in full."""
    voted.add_statement("Ring me on 07700 900123 about the car park plans.")
    response = logged_in(client, cast.volunteer).get(f"/common-ground/{voted.pk}/polis-export/")
    assert response.status_code == 403
    response = logged_in(Client(), cast.caseworker).get(f"/common-ground/{voted.pk}/polis-export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
