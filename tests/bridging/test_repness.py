import numpy as np
from numpy.testing import assert_allclose
from reddwarf.utils import stats as reddwarf_stats
from scipy import sparse

from compassion.bridging.model import Interval
from compassion.bridging.repness import (
    VoteCounts,
    consensus_statements,
    count_votes,
    group_informed_consensus,
    one_proportion_z,
    representative_statements,
    two_proportion_z,
    wilson_interval,
)


def test_it_tests_proportions_as_polis_does():
    rng = np.random.default_rng(0)
    n_in, n_out = rng.integers(0, 50, 20), rng.integers(0, 50, 20)
    s_in, s_out = rng.integers(0, n_in + 1), rng.integers(0, n_out + 1)
    assert_allclose(one_proportion_z(s_in, n_in), reddwarf_stats.one_prop_test(s_in, n_in))
    assert_allclose(
        two_proportion_z(s_in, s_out, n_in, n_out),
        reddwarf_stats.two_prop_test(s_in, s_out, n_in, n_out),
    )


def test_it_counts_votes_per_group_with_passes():
    votes = sparse.csr_matrix(
        (np.array([1.0, 0, -1, 1, 1]), (np.array([0, 0, 1, 2, 2]), np.array([0, 1, 0, 0, 1]))),
        shape=(3, 2),
    )
    counts = count_votes(votes, np.array([0, 0, 1]), 2)
    assert_allclose(counts.agree, [[1, 0], [1, 1]])
    assert_allclose(counts.disagree, [[1, 0], [0, 0]])
    assert_allclose(counts.votes, [[2, 1], [1, 1]])
    assert_allclose(counts.passed, [[0, 1], [0, 0]])


def test_it_multiplies_the_groups_smoothed_agree_rates():
    counts = VoteCounts(
        agree=np.array([[8, 9], [8, 0]]),
        disagree=np.array([[0, 0], [0, 9]]),
        votes=np.array([[8, 9], [8, 9]]),
    )
    assert_allclose(group_informed_consensus(counts), [(9 / 10) ** 2, (10 / 11) * (1 / 11)])


def test_it_picks_what_sets_each_group_apart():
    counts = VoteCounts(
        agree=np.array([[30, 2, 28], [3, 29, 27]]),
        disagree=np.array([[0, 28, 1], [27, 1, 2]]),
        votes=np.array([[30, 30, 30], [30, 30, 30]]),
    )
    reportable = np.array([True, True, True])
    picked = representative_statements(counts, reportable, ("a", "b", "c"))
    assert picked[0][0].statement == "a" and picked[0][0].direction == "agree"
    assert picked[1][0].statement == "b" and picked[1][0].direction == "agree"
    assert all(r.statement != "c" or r.repness_test < 1.28 for g in picked for r in g[1:])


def test_it_never_reports_moderated_statements():
    counts = VoteCounts(
        agree=np.array([[30, 2], [3, 29]]),
        disagree=np.array([[0, 28], [27, 1]]),
        votes=np.array([[30, 30], [30, 30]]),
    )
    picked = representative_statements(counts, np.array([False, True]), ("a", "b"))
    assert {r.statement for g in picked for r in g} == {"b"}
    consensus = consensus_statements(
        np.array([50, 50]),
        np.array([0, 0]),
        np.array([50, 50]),
        np.array([False, True]),
        ("a", "b"),
    )
    assert [c.statement for c in consensus] == ["b"]


def test_it_gives_wilson_intervals_for_consensus():
    from scipy.stats import binomtest

    interval = wilson_interval(40, 50, 0.90)
    expected = binomtest(40, 50).proportion_ci(0.90, method="wilson")
    assert_allclose([interval.low, interval.high], [expected.low, expected.high])
    assert wilson_interval(0, 0) == Interval(0.0, 1.0)
