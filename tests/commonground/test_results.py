"""Results: the analysis of the stored votes, refreshed as votes arrive; the public report."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from compassion.commonground import analysis
from compassion.commonground.models import Conversation, Participant, StatementStatus, Vote


def test_staff_see_two_groups_and_the_statements_that_bridge_them(
    client: Client, cast: Any, voted: Conversation
) -> None:
    client.force_login(cast.caseworker)
    response = client.get(f"/common-ground/{voted.pk}/")
    assert response.status_code == 200
    results = response.context["results"]
    assert results.participants == 36
    assert len(results.groups) == 2
    assert sum(g.size for g in results.groups) == results.grouped >= 30
    # Each group is one camp: the first 20 participants are camp one, the rest camp two.
    first_camp = set(Participant.objects.order_by("pk").values_list("pk", flat=True)[:20])
    for group in analysis.latest_result(voted).groups:
        in_first = {p in first_camp for p in group.participants}
        assert len(in_first) == 1
    # The two statements both camps like are the best bridges; divisive ones are not.
    assert {row.statement.number for row in results.bridging[:2]} == {1, 2}
    top = results.bridging[0]
    assert [bar.who for bar in top.bars] == ["Everyone", "Group A", "Group B"]
    assert all(bar.agree_percent >= 60 for bar in top.bars)
    assert top.note.startswith("Common-ground score") and "likely between" in top.note
    # Divisive statements (one camp for, the other against) are never listed as common ground.
    assert not {row.statement.number for row in results.bridging} & {3, 4, 5, 6, 7, 8}
    assert int(response.context["results"].confident_bridging) >= 1
    html = response.content.decode()
    assert "<svg" in html and 'role="img"' in html and '<title id="map-title">' in html
    assert html.count("<circle") == results.grouped + 2  # one dot each, two group labels
    assert "Group A" in html and "Group B" in html
    assert "#1" in html


def test_every_summary_claim_cites_its_statements_and_shares(
    client: Client, cast: Any, voted: Conversation
) -> None:
    results = analysis.results_for(voted)
    cited = [s for s in results.summary if s["statements"]]
    assert cited
    for sentence in cited:
        for number in sentence["statements"]:
            assert f"#{number}" in sentence["text"]
        for share in sentence["shares"]:
            assert 0 <= share.count <= share.votes
    assert any("finds support across the groups" in s["text"] for s in results.summary)


def test_what_sets_a_group_apart_reads_the_same_share_as_its_bar(voted: Conversation) -> None:
    results = analysis.results_for(voted)
    for group in results.groups:
        for row in group.representative:
            bar = next(b for b in row.bars if b.who == f"Group {group.letter}")
            share = bar.agree_percent if row.direction == "agree" else bar.disagree_percent
            assert row.note.startswith(f"{share}% of the group {row.direction}"), row.note


def test_the_results_update_as_votes_arrive(client: Client, cast: Any, voted: Conversation) -> None:
    before = analysis.results_for(voted)
    newcomer = Participant.objects.create(conversation=voted)
    for statement in voted.statements.all():
        newcomer.cast(statement, 1)
    after = analysis.results_for(voted)
    assert after.participants == before.participants + 1
    assert after.votes == before.votes + 8
    # A changed vote (same count) also refreshes the result.
    newcomer.cast(voted.statements.get(number=1), -1)
    changed = analysis.results_for(voted)
    assert changed.bridging[0].bars[0].disagree >= after.bridging[0].bars[0].disagree


def test_the_results_reuse_the_cache_while_nothing_changes(
    voted: Conversation, monkeypatch: Any
) -> None:
    runs = []
    real = analysis.analyse
    monkeypatch.setattr(analysis, "analyse", lambda *a, **k: runs.append(1) or real(*a, **k))
    first = analysis.latest_result(voted)
    assert analysis.latest_result(voted) == first
    assert len(runs) == 1
    voted.touch()  # a moderation change
    analysis.latest_result(voted)
    assert len(runs) == 2


def test_a_rejected_statement_disappears_from_the_results(
    client: Client, cast: Any, voted: Conversation
) -> None:
    client.force_login(cast.caseworker)
    client.post(f"/common-ground/{voted.pk}/statements/1/", {"action": "reject"})
    results = analysis.results_for(voted)
    shown = {row.statement.number for row in results.bridging + results.all_statements}
    assert 1 not in shown


def test_htmx_refresh_returns_only_the_results_part(
    client: Client, cast: Any, voted: Conversation
) -> None:
    client.force_login(cast.caseworker)
    response = client.get(f"/common-ground/{voted.pk}/", headers={"HX-Request": "true"})
    html = response.content.decode().lstrip()
    assert html.startswith('<div id="results"')
    assert "<h1>" not in html


def test_an_empty_conversation_says_why_there_is_nothing_yet(
    client: Client, cast: Any, conversation: Conversation
) -> None:
    client.force_login(cast.caseworker)
    response = client.get(f"/common-ground/{conversation.pk}/")
    assert response.status_code == 200
    assert "There are no votes yet" in response.content.decode()


def test_the_public_report_never_describes_a_small_group(
    client: Client, voted: Conversation, settings: Any
) -> None:
    sizes = sorted(g.size for g in analysis.latest_result(voted).groups)
    settings.PULSE_MIN_RESPONDENTS = sizes[1]  # the smaller group is now too small to describe
    response = client.get("/have-your-say/alice/town-centre/report/")
    assert response.status_code == 200
    results = response.context["results"]
    assert [(g.letter, g.size) for g in results.groups] == [("A", sizes[1])]
    assert results.small_groups == 1
    html = response.content.decode()
    assert "Group B" not in html and "group B" not in html
    assert f"1 smaller group of fewer than {sizes[1]} people is not described" in html
    for row in results.bridging:
        assert [bar.who for bar in row.bars] == ["Everyone", "Group A"]


def test_the_report_is_not_found_until_published(client: Client, voted: Conversation) -> None:
    voted.report_published = False
    voted.save()
    assert client.get("/have-your-say/alice/town-centre/report/").status_code == 404


def test_pending_statements_are_not_on_the_report(client: Client, voted: Conversation) -> None:
    pending = voted.add_statement("Secret idea nobody has checked yet.")
    assert pending.status == StatementStatus.PENDING
    html = client.get("/have-your-say/alice/town-centre/report/").content.decode()
    assert "Secret idea" not in html
    assert Vote.objects.filter(statement=pending).count() == 0


def test_a_statement_sent_back_to_moderation_leaves_the_report_summary(
    client: Client, cast: Any, voted: Conversation
) -> None:
    report = "/have-your-say/alice/town-centre/report/"
    cited = {n for sentence in analysis.results_for(voted).summary for n in sentence["statements"]}
    number = min(cited)
    text = voted.statements.get(number=number).text
    assert text[:30] in client.get(report).content.decode()

    client.force_login(cast.caseworker)
    client.post(f"/common-ground/{voted.pk}/statements/{number}/", {"action": "pending"})
    client.logout()

    assert text[:30] not in client.get(report).content.decode()
    summary = analysis.results_for(voted).summary
    assert summary and all(number not in sentence["statements"] for sentence in summary)


def test_the_evidence_of_each_claim_is_written_in_words(
    client: Client, cast: Any, voted: Conversation
) -> None:
    client.force_login(cast.caseworker)
    html = client.get(f"/common-ground/{voted.pk}/").content.decode()
    evidence = html.split('class="hint cg-evidence">')[1].split("</p>")[0]
    assert evidence.startswith("Based on statement")
    assert re.search(
        r"(Everyone|Group [A-Z]), \d+ of the \d+ who voted (agreed|disagreed)", evidence
    )


def test_what_sets_a_group_apart_compares_it_with_everyone_else_in_plain_figures(
    voted: Conversation,
) -> None:
    """It read "80% of the group agree, 5.0× others": a ratio of smoothed estimates that
    matched no figure on the page."""
    results = analysis.results_for(voted)
    notes = []
    for group in results.groups:
        for row in group.representative:
            others = [b for b in row.bars if b.who.startswith("Group ")]
            others = [b for b in others if b.who != f"Group {group.letter}"]
            count = sum(b.agree if row.direction == "agree" else b.disagree for b in others)
            share = round(100 * count / sum(b.votes for b in others))
            assert row.note.endswith(f", against {share}% of everyone else"), row.note
            notes.append(row.note)
    assert notes and not any("×" in note for note in notes)
