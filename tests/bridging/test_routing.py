import numpy as np
from numpy.testing import assert_allclose
from reddwarf.utils.stats import priority_metric

from compassion.bridging import next_statements
from compassion.bridging.routing import NEW_STATEMENT_PRIORITY, priority


def test_it_computes_polis_priority():
    rng = np.random.default_rng(0)
    votes = rng.integers(0, 40, 10)
    agree = rng.integers(0, votes + 1)
    disagree = rng.integers(0, votes - agree + 1)
    extremity = rng.random(10)
    is_meta = np.arange(10) == 3
    assert_allclose(
        priority(agree, votes - agree - disagree, votes, extremity, is_meta),
        priority_metric(is_meta, agree, disagree, votes, extremity),
    )


def test_it_puts_the_officers_list_first_and_skips_what_was_voted():
    chosen = next_statements(
        [1, 2, 3, 4, 5],
        {s: 1.0 for s in range(6)},
        already_voted=[2],
        officer_priority=[2, 4],
        count=3,
        random_state=0,
    )
    assert chosen[0] == 4 and 2 not in chosen and len(set(chosen)) == 3


def test_it_stops_at_the_session_cap():
    priorities = {s: 1.0 for s in range(10)}
    assert next_statements(range(10), priorities, votes_this_session=20, session_cap=20) == []
    assert (
        len(next_statements(range(10), priorities, votes_this_session=18, session_cap=20, count=5))
        == 2
    )


def test_it_prefers_new_and_informative_statements():
    priorities = {"old": 0.01, "good": 50.0}
    picks = [
        next_statements(["old", "good", "new"], priorities, random_state=i)[0] for i in range(200)
    ]
    assert picks.count("good") > picks.count("new") > picks.count("old")
    assert NEW_STATEMENT_PRIORITY > 1


def test_it_is_reproducible_for_a_seed():
    priorities = {s: float(s + 1) for s in range(20)}
    assert next_statements(range(20), priorities, count=5, random_state=4) == next_statements(
        range(20), priorities, count=5, random_state=4
    )
