"""A form sent twice (a double click, a slow page clicked again) adds one record.

The second copy adds nothing and opens the page the first one led to, saying so. A copy
the first refused (a form error) is no copy: corrected or not, it is read again.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db.models import Model
from django.test import Client
from django.utils import timezone

from compassion.cases.models import Action, ReplyTemplate
from compassion.commitments.models import Milestone, Stocktake
from compassion.core.models import Person
from compassion.insights.models import Action as InsightAction
from compassion.pulse.models import LearningEntry, Obstacle
from tests.cases.conftest import make_case
from tests.commitments.conftest import new_commitment
from tests.conftest import Cast

Form = Callable[[Cast], tuple[str, dict[str, Any]]]


def in_days(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def case_action(cast: Cast) -> tuple[str, dict[str, Any]]:
    case = make_case(cast.office, cast.person, theme="housing")
    return f"/cases/{case.pk}/actions/", {
        "description": "Ring Northby Homes about the mould",
        "owner": cast.caseworker.pk,
        "due_on": in_days(3),
    }


def person(cast: Cast) -> tuple[str, dict[str, Any]]:
    return "/people/new/", {"first_name": "Ada", "last_name": "Okafor", "postcode": "NB1 4QT"}


def reply_template(cast: Cast) -> tuple[str, dict[str, Any]]:
    return "/cases/templates/new/", {
        "kind": "reply",
        "name": "Council tax band",
        "subject": "Your council tax band",
        "body": "Dear {{ first_name }},\n\nWe have written to the Valuation Office.",
    }


def team_obstacle(cast: Cast) -> tuple[str, dict[str, Any]]:
    return "/team/obstacles/", {"title": "The shared inbox rules hide urgent mail"}


def learning(cast: Cast) -> tuple[str, dict[str, Any]]:
    return "/team/learning/", {
        "kind": "near_miss",
        "title": "A safeguarding email sat unread over a bank holiday",
        "happened_on": in_days(-2),
        "what_happened": "Nobody had the shared inbox on the rota.",
        "what_we_learned": "Bank holidays need a named reader.",
        "visibility": "team",
    }


def insight_action(cast: Cast) -> tuple[str, dict[str, Any]]:
    return "/insights/actions/new/", {
        "title": "Call back every letter writer within a week",
        "evidence": "Letters are acknowledged later than emails.",
        "owner": cast.manager.pk,
        "due": in_days(30),
    }


def milestone(cast: Cast) -> tuple[str, dict[str, Any]]:
    commitment = new_commitment(cast)
    return f"/commitments/{commitment.pk}/milestones/", {
        "title": "Meet the council leader",
        "due_on": in_days(20),
    }


def stocktake(cast: Cast) -> tuple[str, dict[str, Any]]:
    commitment = new_commitment(cast)
    return f"/commitments/{commitment.pk}/stocktake/", {
        "held_on": in_days(0),
        "likelihood": "amber_red",
        "progress": "20",
        "reason": "The council has not yet set its budget.",
    }


FORMS: list[tuple[Form, type[Model]]] = [
    (case_action, Action),
    (person, Person),
    (reply_template, ReplyTemplate),
    (team_obstacle, Obstacle),
    (learning, LearningEntry),
    (insight_action, InsightAction),
    (milestone, Milestone),
    (stocktake, Stocktake),
]


@pytest.mark.parametrize("form,model", FORMS, ids=[form.__name__ for form, _ in FORMS])
def test_the_same_form_sent_twice_adds_one_record(
    client: Client, cast: Cast, form: Form, model: type[Model]
) -> None:
    path, data = form(cast)
    client.force_login(cast.leader)
    before = model.objects.count()
    first = client.post(path, data)
    assert first.status_code == 302, first.content.decode()[:2000]
    second = client.post(path, data, follow=True)
    assert model.objects.count() == before + 1
    assert second.redirect_chain[0][0] == first["Location"]
    assert "already saved a moment ago; nothing was added twice" in second.content.decode()


def test_a_form_refused_the_first_time_is_read_again(client: Client, cast: Cast) -> None:
    client.force_login(cast.leader)
    refused = {"first_name": "Ada", "email": "ada at home"}
    assert client.post("/people/new/", refused).status_code == 200
    assert client.post("/people/new/", refused).status_code == 200  # the same error again
    client.post("/people/new/", {"first_name": "Ada", "email": "ada@example.org"})
    assert Person.objects.filter(first_name="Ada").count() == 1


def test_two_people_sending_the_same_form_each_add_their_own(client: Client, cast: Cast) -> None:
    for user in (cast.leader, cast.manager):
        client.force_login(user)
        client.post("/team/obstacles/", {"title": "No quiet room for hard phone calls"})
    assert Obstacle.objects.count() == 2
