"""Whatever the votes, `analyse` returns a result and `summarise` can read it."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compassion.bridging import Options, Statement, Vote, analyse, summarise

votes_strategy = st.lists(
    st.builds(
        Vote,
        participant=st.integers(0, 25),
        statement=st.integers(0, 8),
        value=st.sampled_from([1, -1, 0]),
        timestamp=st.floats(0, 1000, allow_nan=False),
    ),
    max_size=300,
)
moderation_strategy = st.lists(st.sampled_from([1, 0, -1]), min_size=9, max_size=9)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(votes=votes_strategy, moderation=moderation_strategy)
def test_it_never_crashes_on_any_votes(votes, moderation):
    statements = [Statement(i, f"S{i}", moderated=m) for i, m in enumerate(moderation)]
    result = analyse(votes, statements, Options(bootstrap_rounds=3))
    assert set(result.participant_groups) == {v.participant for v in votes}
    assert all(group.size >= 2 for group in result.groups)
    reported = {b.statement for b in result.bridging} | set(result.group_informed_consensus)
    assert not reported & {i for i, m in enumerate(moderation) if m == -1}
    assert all(isinstance(s.text, str) for s in summarise(result, statements))
