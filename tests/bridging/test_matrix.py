import numpy as np
from numpy.testing import assert_array_equal

from compassion.bridging import Vote
from compassion.bridging.matrix import (
    build_vote_matrix,
    participants_in_conversation,
    vote_matrix_from_arrays,
)


def test_it_keeps_the_latest_vote_of_each_pair():
    votes = [Vote("a", 1, 1, 10), Vote("a", 1, -1, 20), Vote("a", 2, 0, 5), Vote("b", 1, 1, 1)]
    matrix = build_vote_matrix(votes)
    dense = matrix.to_csr().toarray()
    assert matrix.participant_ids == ("a", "b")
    assert matrix.n_votes == 3
    assert_array_equal(dense, [[-1, 0], [1, 0]])
    assert_array_equal(np.diff(matrix.to_csr().indptr), [2, 1])


def test_it_gives_statements_without_votes_a_column():
    matrix = build_vote_matrix([Vote(1, 1, 1)], statement_ids=[3, 1, 2])
    assert matrix.statement_ids == (1, 2, 3)


def seeded(votes: list[Vote], n_statements: int) -> list[Vote]:
    """Votes preceded by a first voter who voted on every statement."""
    return [Vote("first", s, 1, -1 - s) for s in range(n_statements)] + votes


def test_it_includes_participants_once_they_voted_enough():
    pairs = [(p, s) for p in range(20) for s in range(p % 10)]
    votes = seeded([Vote(p, s, 1, t) for t, (p, s) in enumerate(pairs)], 10)
    matrix = build_vote_matrix(votes)
    included = participants_in_conversation(matrix, min_votes=7, min_participants=0)
    counts = matrix.votes_per_participant()
    assert_array_equal(included, counts >= 7)


def test_it_keeps_early_participants_sticky():
    early = [Vote("early", s, 1, s) for s in range(2)]
    late = [Vote(f"late{p}", s, 1, 100 + 10 * p + s) for p in range(3) for s in range(10)]
    matrix = build_vote_matrix(early + late)
    included = participants_in_conversation(matrix, min_votes=7, min_participants=0)
    assert included[matrix.participant_ids.index("early")]


def test_it_adds_the_top_voters_when_too_few_qualify():
    votes = seeded([Vote(p, s, 1, 10 * p + s) for p in range(20) for s in range(p % 5 + 1)], 10)
    matrix = build_vote_matrix(votes)
    included = participants_in_conversation(matrix, min_votes=7, min_participants=15)
    assert included.sum() == 15
    counts = matrix.votes_per_participant()
    assert counts[included].min() >= counts[~included].max()


def test_it_builds_the_same_matrix_from_arrays():
    votes = [Vote(p, s, (p + s) % 3 - 1, float(10 * p + s)) for p in range(5) for s in range(4)]
    from_votes = build_vote_matrix(votes, statement_ids=[0, 1, 2, 3, 9])
    from_arrays = vote_matrix_from_arrays(
        [v.participant for v in votes],
        np.array([v.statement for v in votes]),
        [v.value for v in votes],
        [v.timestamp for v in votes],
        statement_ids=[0, 1, 2, 3, 9],
    )
    assert from_votes.participant_ids == from_arrays.participant_ids
    assert from_votes.statement_ids == from_arrays.statement_ids == (0, 1, 2, 3, 9)
    assert_array_equal(from_votes.to_csr().toarray(), from_arrays.to_csr().toarray())
