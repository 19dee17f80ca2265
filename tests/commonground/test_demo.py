"""The demo conversation: its votes come from latent groups, so the analysis finds them."""

from __future__ import annotations

import random
from typing import Any

from compassion.commonground import analysis, demo
from compassion.commonground.models import Conversation, StatementStatus, Vote


def test_the_demo_conversation_has_groups_and_common_ground(cast: Any) -> None:
    demo.generate(cast.office, random.Random(2026), participants=200)
    conversation = Conversation.objects.get(office=cast.office, slug="northby-town-centre-2030")
    assert conversation.is_open() and conversation.report_published
    assert conversation.statements.filter(status=StatementStatus.PENDING).count() == 5
    assert conversation.statements.filter(status=StatementStatus.REJECTED).count() == 1
    assert conversation.officer_priority() == [39, 40]

    results = analysis.results_for(conversation)
    assert results.participants == 200
    assert len(results.groups) >= 2
    # The statements every kind of resident likes (the first eight) are the common ground.
    top = [row.statement.number for row in results.bridging[:4]]
    assert all(number <= 8 for number in top), top
    meta = {39, 40}
    assert not meta & {row.statement.number for row in results.bridging}

    library = Conversation.objects.get(office=cast.office, slug="eastfield-library")
    assert library.status() == "closed" and library.report_published
    library_results = analysis.results_for(library)
    assert len(library_results.groups) == 2
    assert {row.statement.number for row in library_results.bridging[:3]} <= {1, 2, 3, 4, 14}


def test_the_demo_is_the_same_from_the_same_seed(cast: Any) -> None:
    demo.generate(cast.office, random.Random(5), participants=30)
    first = list(Vote.objects.order_by("pk").values_list("value", flat=True))
    Conversation.objects.all().delete()
    demo.generate(cast.office, random.Random(5), participants=30)
    second = list(Vote.objects.order_by("pk").values_list("value", flat=True))
    assert first == second
