"""The public voting page: anonymous participants, one vote per statement, htmx swaps."""

from __future__ import annotations

from datetime import datetime, timedelta
from ipaddress import ip_network
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from compassion.commonground import analysis
from compassion.commonground.models import (
    Conversation,
    Participant,
    StatementStatus,
    Vote,
)

PAGE = "/have-your-say/alice/town-centre/"


def shown_statement(response: Any) -> int:
    return response.context["routing"].statement.number


def test_it_shows_one_statement_to_an_anonymous_visitor(client: Client, conversation: Any) -> None:
    response = client.get(PAGE)
    assert response.status_code == 200
    assert response.context["state"] == "vote"
    assert b"You have voted on 0 of 8 statements" in response.content
    assert Participant.objects.count() == 0  # nobody is created just by looking


def test_it_records_a_vote_and_remembers_the_participant(
    client: Client, conversation: Conversation
) -> None:
    first = shown_statement(client.get(PAGE))
    response = client.post(PAGE, {"statement": first, "vote": "agree"})
    assert response.status_code == 302
    participant = Participant.objects.get()
    vote = Vote.objects.get()
    assert (vote.participant, vote.statement.number, vote.value) == (participant, first, 1)
    cookie = response.cookies[f"hys{conversation.pk}"]
    assert cookie.value.startswith(participant.token + ":")  # signed
    assert cookie["httponly"] and cookie["samesite"] == "Lax"

    page = client.get(PAGE)
    assert page.context["participant"] == participant
    assert shown_statement(page) != first
    assert b"You have voted on 1 of 8 statements" in page.content


def test_voting_again_changes_the_vote_instead_of_adding_one(
    client: Client, conversation: Conversation
) -> None:
    client.post(PAGE, {"statement": 3, "vote": "agree"})
    client.post(PAGE, {"statement": 3, "vote": "disagree"})
    client.post(PAGE, {"statement": 3, "vote": "pass"})
    assert Vote.objects.count() == 1
    assert Vote.objects.get().value == 0


def test_htmx_gets_only_the_next_statement_card(client: Client, conversation: Any) -> None:
    response = client.post(PAGE, {"statement": 1, "vote": "agree"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="statement-card"')
    assert "<html" not in html
    assert 'data-statement="1"' not in html
    assert Vote.objects.count() == 1


def test_it_refuses_a_forged_post_without_csrf(conversation: Any) -> None:
    forger = Client(enforce_csrf_checks=True)
    response = forger.post(PAGE, {"statement": 1, "vote": "agree"})
    assert response.status_code == 403
    assert Vote.objects.count() == 0


def test_a_real_browser_post_with_csrf_is_accepted(conversation: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(PAGE)
    token = page.cookies["csrftoken"].value
    response = browser.post(PAGE, {"statement": 1, "vote": "agree", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Vote.objects.count() == 1


def test_it_explains_a_vote_on_a_withdrawn_or_made_up_statement(
    client: Client, conversation: Conversation
) -> None:
    conversation.statements.filter(number=2).update(status=StatementStatus.REJECTED)
    for data in (
        {"statement": 2, "vote": "agree"},
        {"statement": 999, "vote": "agree"},
        {"statement": "1; DROP TABLE", "vote": "agree"},
        {"statement": 1, "vote": "strongly agree"},
    ):
        response = client.post(PAGE, data, headers={"HX-Request": "true"})
        assert response.status_code == 200
        assert b"could not be recorded" in response.content
    assert Vote.objects.count() == 0


def test_it_never_shows_pending_or_rejected_statements(
    client: Client, conversation: Conversation
) -> None:
    conversation.statements.exclude(number=4).update(status=StatementStatus.PENDING)
    conversation.statements.filter(number=5).update(status=StatementStatus.REJECTED)
    assert shown_statement(client.get(PAGE)) == 4
    client.post(PAGE, {"statement": 4, "vote": "agree"})
    page = client.get(PAGE)
    assert page.context["routing"].statement is None
    assert b"voted on every statement" in page.content


def test_the_officers_priority_list_comes_first(client: Client, conversation: Conversation) -> None:
    conversation.statements.filter(number=6).update(priority=1)
    conversation.statements.filter(number=3).update(priority=2)
    assert shown_statement(client.get(PAGE)) == 6
    client.post(PAGE, {"statement": 6, "vote": "pass"})
    assert shown_statement(client.get(PAGE)) == 3


def test_it_stops_at_the_cap_of_statements_per_visit(
    client: Client, conversation: Conversation
) -> None:
    conversation.session_cap = 3
    conversation.save()
    for _ in range(3):
        client.post(PAGE, {"statement": shown_statement(client.get(PAGE)), "vote": "agree"})
    page = client.get(PAGE)
    assert page.context["routing"].cap_reached
    assert page.context["routing"].statement is None
    assert b"you have voted on 3 statements on this visit" in page.content


def test_it_says_up_front_how_many_statements_one_visit_takes(
    client: Client, conversation: Conversation
) -> None:
    """The counter once said "0 of 8" while the cap stopped the voter after 3."""
    conversation.session_cap = 3
    conversation.save()
    page = client.get(PAGE).content.decode()
    assert "You can vote on up to 3 statements in 12 hours" in page
    assert "You have voted on 0 of 3 statements on this visit (8 in all)." in page
    client.post(PAGE, {"statement": shown_statement(client.get(PAGE)), "vote": "agree"})
    assert "You have voted on 1 of 3 statements on this visit (8 in all)." in (
        client.get(PAGE).content.decode()
    )
    for _ in range(2):
        client.post(PAGE, {"statement": shown_statement(client.get(PAGE)), "vote": "agree"})
    first = timezone.localtime(Vote.objects.earliest("created_at").created_at)
    more_from = format_date(first + timedelta(hours=12), "g:i a \\o\\n l j F")
    assert f"You can vote on the other 5 from {more_from}." in client.get(PAGE).content.decode()


def test_without_a_cap_in_the_way_it_counts_every_statement(
    client: Client, conversation: Conversation
) -> None:
    client.post(PAGE, {"statement": 1, "vote": "agree"})
    assert "You have voted on 1 of 8 statements." in client.get(PAGE).content.decode()


def test_it_says_the_vote_is_recorded_in_a_status_line(
    client: Client, conversation: Conversation
) -> None:
    response = client.post(PAGE, {"statement": 2, "vote": "agree"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert '<div id="vote-status" hx-swap-oob="innerHTML">' in html
    assert "Your vote is recorded: Agree." in html
    page = client.post(PAGE, {"statement": 3, "vote": "pass"}, follow=True).content.decode()
    assert '<div id="vote-status" role="status"' in page
    assert "Your vote is recorded: Pass / unsure." in page


def test_a_participant_changes_the_vote_they_just_cast(
    client: Client, conversation: Conversation
) -> None:
    client.post(PAGE, {"statement": 2, "vote": "agree"})
    card = client.post(
        PAGE, {"statement": 5, "vote": "agree"}, headers={"HX-Request": "true"}
    ).content.decode()
    last = card[card.index('class="cg-last"') : card.index("</form>")]
    assert "Your last vote: <strong>Agree</strong> on “Keep the multi-storey car park.”" in last
    assert '<input type="hidden" name="statement" value="5">' in last
    assert "Change to Disagree" in last and "Change to Pass / unsure" in last
    assert "Change to Agree" not in last
    version = Conversation.objects.get().vote_version

    response = client.post(
        PAGE, {"statement": 5, "vote": "disagree"}, headers={"HX-Request": "true"}
    )
    assert "Your last vote: <strong>Disagree</strong>" in response.content.decode()
    assert response.context["routing"].this_session == 2  # a change is not another vote
    assert Vote.objects.get(statement__number=5).value == -1
    assert Vote.objects.count() == 2
    # The results are worked out again, from the changed vote only.
    assert Conversation.objects.get().vote_version == version + 1
    numbers = dict(conversation.statements.values_list("pk", "number"))
    matrix = analysis.vote_matrix(conversation, numbers)
    assert sorted(matrix.values.tolist()) == [-1, 1]


def test_it_rate_limits_fast_voting_with_a_clear_message(
    client: Client, conversation: Any, settings: Any
) -> None:
    settings.COMMONGROUND_RATE_LIMITS = {"vote": (3, 100, 60)}
    for number in (1, 2, 3):
        client.post(PAGE, {"statement": number, "vote": "agree"})
    response = client.post(PAGE, {"statement": 4, "vote": "agree"}, headers={"HX-Request": "true"})
    assert b"You are voting very fast" in response.content
    assert Vote.objects.count() == 3


def test_it_rate_limits_per_address_across_new_participants(
    conversation: Any, settings: Any
) -> None:
    settings.COMMONGROUND_RATE_LIMITS = {"vote": (100, 4, 60)}
    for number in range(1, 7):
        Client().post(PAGE, {"statement": number, "vote": "agree"})  # a fresh cookie each time
    assert Vote.objects.count() == 4


def test_behind_the_offices_proxy_each_citizen_has_their_own_limit(
    conversation: Any, settings: Any
) -> None:
    """Without reading X-Forwarded-For, everyone would share the proxy's address and limit."""
    settings.COMMONGROUND_RATE_LIMITS = {"vote": (100, 4, 60)}
    settings.TRUSTED_PROXIES = [ip_network("127.0.0.1")]
    for citizen in ("198.51.100.1", "198.51.100.2"):
        for number in range(1, 4):
            Client(headers={"X-Forwarded-For": citizen}).post(
                PAGE, {"statement": number, "vote": "agree"}
            )
    assert Vote.objects.count() == 6


def test_a_closed_conversation_takes_no_votes(client: Client, conversation: Conversation) -> None:
    conversation.closes_at = timezone.now()
    conversation.save()
    page = client.get(PAGE)
    assert page.context["state"] == "closed"
    assert b"This conversation is closed" in page.content
    response = client.post(PAGE, {"statement": 1, "vote": "agree"}, headers={"HX-Request": "true"})
    assert b"not open for votes" in response.content
    assert Vote.objects.count() == 0


def test_a_conversation_not_open_yet_says_when_it_opens(
    client: Client, conversation: Conversation
) -> None:
    conversation.opens_at = timezone.make_aware(datetime(2099, 3, 2, 9))
    conversation.closes_at = timezone.make_aware(datetime(2099, 4, 30, 17))
    conversation.save()
    html = client.get(PAGE).content.decode()
    assert "This conversation is not open yet. It opens on 2 March 2099." in html
    assert "Open until" not in html  # it is not open at all
    assert "Opens on 2 March 2099, until 30 April 2099." in html


def test_an_unknown_conversation_or_office_is_not_found(client: Client, conversation: Any) -> None:
    assert client.get("/have-your-say/alice/nothing-here/").status_code == 404
    assert client.get("/have-your-say/bob/town-centre/").status_code == 404


def test_a_tampered_cookie_is_ignored(client: Client, conversation: Conversation) -> None:
    client.post(PAGE, {"statement": 1, "vote": "agree"})
    participant = Participant.objects.get()
    client.cookies[f"hys{conversation.pk}"] = participant.token  # unsigned: forged
    page = client.get(PAGE)
    assert page.context["participant"] is None


def test_it_stores_no_ip_address(client: Client, conversation: Any) -> None:
    client.post(PAGE, {"statement": 1, "vote": "agree"}, REMOTE_ADDR="203.0.113.9")
    participant = Participant.objects.get()
    stored = " ".join(str(getattr(participant, f.attname)) for f in participant._meta.fields)
    assert "203.0.113.9" not in stored


def test_the_page_reverses_by_name(conversation: Conversation) -> None:
    assert reverse("haveyoursay:conversation", args=["alice", "town-centre"]) == PAGE


def test_a_participant_changes_an_earlier_vote_from_their_list(
    client: Client, conversation: Conversation
) -> None:
    client.post(PAGE, {"statement": 2, "vote": "agree"})
    page = client.get(PAGE).content.decode()
    assert "Your votes (1)" in page
    assert "Change to Disagree" in page and "Change to Pass / unsure" in page
    assert "Change to Agree" not in page
    client.post(PAGE, {"statement": 2, "vote": "pass"})
    assert Vote.objects.get().value == 0


def test_a_participant_removes_all_their_votes(client: Client, conversation: Conversation) -> None:
    client.post(PAGE, {"statement": 1, "vote": "agree"})
    client.post(PAGE, {"statement": 2, "vote": "disagree"})
    client.post(PAGE + "add/", {"text": "A statement that should outlive its author."})
    version = Conversation.objects.get().changed_at
    response = client.post(PAGE + "forget/", follow=True)
    assert "Your votes have been removed" in response.content.decode()
    assert Vote.objects.count() == 0 and Participant.objects.count() == 0
    assert Conversation.objects.get().changed_at > version  # results are worked out again
    kept = conversation.statements.get(text="A statement that should outlive its author.")
    assert kept.author is None
    assert response.context["participant"] is None


def test_past_the_visits_cap_a_forged_vote_on_another_statement_is_refused(
    client: Client, conversation: Conversation
) -> None:
    conversation.session_cap = 3
    conversation.save()
    for _ in range(3):
        shown = client.get(PAGE).context["routing"].statement.number
        client.post(PAGE, {"statement": shown, "vote": "agree"})
    voted = set(Vote.objects.values_list("statement__number", flat=True))
    other = next(number for number in range(1, 9) if number not in voted)
    page = client.post(PAGE, {"statement": other, "vote": "disagree"}, follow=True)
    assert Vote.objects.count() == 3
    assert "as many statements as one visit allows" in page.content.decode()
    last = sorted(voted)[0]
    client.post(PAGE, {"statement": last, "vote": "disagree"})  # a change is still allowed
    assert Vote.objects.get(statement__number=last).value == -1


def test_a_vote_on_a_closed_conversation_leaves_no_one_behind(
    client: Client, conversation: Conversation
) -> None:
    conversation.closes_at = timezone.now()
    conversation.save()
    response = client.post(PAGE, {"statement": 2, "vote": "agree"})
    assert Vote.objects.count() == 0 and Participant.objects.count() == 0
    assert f"hys{conversation.pk}" not in response.cookies
