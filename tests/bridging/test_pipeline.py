import dataclasses

import numpy as np
from numpy.testing import assert_allclose
from sklearn.metrics import adjusted_rand_score

from compassion.bridging import Options, Statement, Vote, analyse
from compassion.bridging.uncertainty import adjusted_rand_index

from .conftest import camp_conversation


def test_it_finds_the_camps_and_what_bridges_them(camps):
    votes, statements = camps
    result = analyse(votes, statements)
    assert len(result.groups) == 2
    labels = [result.participant_groups[p] for p in range(70)]
    assert adjusted_rand_score([0] * 40 + [1] * 30, labels) == 1.0
    assert {b.statement for b in result.bridging[:3]} == {0, 1, 2}
    assert set(list(result.group_informed_consensus)[:3]) == {0, 1, 2}
    assert all(len(g.representative) <= 5 for g in result.groups)
    assert result.stability.agreement > 0.9


def test_it_gives_the_same_result_for_the_same_seed(camps):
    votes, statements = camps
    first = analyse(votes, statements, Options(random_state=3))
    second = analyse(list(reversed(votes)), statements, Options(random_state=3))
    assert first == second


def test_it_handles_three_camps():
    votes, statements = camp_conversation(camp_sizes=(50, 40, 30), n_statements=36, seed=5)
    result = analyse(votes, statements)
    assert [g.size for g in result.groups] == [50, 40, 30]


def test_it_explains_an_empty_conversation():
    result = analyse([], [Statement(1, "Hello")])
    assert result.groups == () and result.bridging == ()
    assert result.participant_groups == {}
    assert "no votes" in result.messages[0]


def test_it_handles_fewer_than_fifteen_participants():
    votes, statements = camp_conversation(camp_sizes=(5, 4), n_statements=10, seed=6)
    result = analyse(votes, statements)
    assert all(g is not None for g in result.participant_groups.values())
    assert all(group.size >= 2 for group in result.groups)
    assert any("Only 9 people" in m for m in result.messages)


def test_it_handles_one_dominant_group():
    votes, statements = camp_conversation(camp_sizes=(200, 2), seed=7)
    result = analyse(votes, statements)
    assert all(group.size >= 0.03 * 202 for group in result.groups)


def test_it_handles_statements_everyone_passed():
    votes = [Vote(p, s, 0) for p in range(30) for s in range(8)]
    result = analyse(votes, [Statement(s, moderated=1) for s in range(8)])
    assert result.bridging == ()
    assert any("passed" in m for m in result.messages)
    assert_allclose(list(result.group_informed_consensus.values()), (1 / 32) ** len(result.groups))


def test_it_reports_nothing_when_every_statement_is_moderated_out(camps):
    votes, statements = camps
    hidden = [dataclasses.replace(s, moderated=-1) for s in statements]
    result = analyse(votes, hidden)
    assert result.consensus == () and result.bridging == ()
    assert result.group_informed_consensus == {}
    assert all(g.representative == () for g in result.groups)
    assert any("moderated out" in m for m in result.messages)


def test_it_never_reports_meta_statements(camps):
    votes, statements = camps
    statements = [dataclasses.replace(s, is_meta=s.id < 3) for s in statements]
    result = analyse(votes, statements)
    reported = {b.statement for b in result.bridging} | set(result.group_informed_consensus)
    reported |= {c.statement for c in result.consensus}
    assert not reported & {0, 1, 2}
    assert result.priorities[0] == 49.0


def test_it_gives_intervals_that_contain_the_estimates(camps):
    votes, statements = camps
    result = analyse(votes, statements)
    for statement, score in result.group_informed_consensus.items():
        interval = result.group_informed_consensus_intervals[statement]
        assert interval.low - 0.05 <= score <= interval.high + 0.05
    for item in result.bridging:
        assert item.interval.low <= item.score <= item.interval.high


def test_it_places_everyone_who_voted_on_the_map(camps):
    votes, statements = camps
    result = analyse(votes, statements)
    assert set(result.coordinates) == {v.participant for v in votes}
    assert np.isfinite(np.array(list(result.coordinates.values()))).all()


def test_it_measures_agreement_of_groupings_as_scikit_learn_does():
    rng = np.random.default_rng(0)
    for _ in range(5):
        first, second = rng.integers(0, 3, 50), rng.integers(0, 4, 50)
        assert_allclose(adjusted_rand_index(first, second), adjusted_rand_score(first, second))
    assert adjusted_rand_index(np.zeros(5), np.zeros(5)) == 1.0


def test_it_handles_a_single_voter():
    result = analyse([Vote("only", s, 1) for s in range(5)], [])
    assert result.groups == ()
    assert result.participant_groups == {"only": None}
    assert any("Too few people" in m for m in result.messages)
