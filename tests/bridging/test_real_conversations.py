"""Agreement with Pol.is's own groups on three real conversations.

Pol.is open data (CC BY 4.0): "Data was gathered using the Polis software
(compdemocracy.org/polis) and is sub-licensed under CC BY 4.0 with
Attribution to The Computational Democracy Project."
https://compdemocracy.org/case-studies/2014-seattle-15-per-hour
"""

import pytest
from sklearn.metrics import adjusted_rand_score

from compassion.bridging import Options, analyse, read_polis_export

from .conftest import polis_folder


def agreement_with_polis(name, options=None):
    conversation = read_polis_export(polis_folder(name))
    options = options or Options(bootstrap_rounds=0)
    result = analyse(conversation.votes, conversation.statements, options)
    both = [
        p
        for p, g in conversation.polis_groups.items()
        if g is not None and result.participant_groups.get(p) is not None
    ]
    ari = adjusted_rand_score(
        [conversation.polis_groups[p] for p in both], [result.participant_groups[p] for p in both]
    )
    return result, conversation, ari


@pytest.mark.parametrize(
    ("name", "minimum_ari"),
    [("canadian-electoral-reform", 0.88), ("15-per-hour-seattle", 0.88)],
)
def test_it_agrees_with_polis_groups(name, minimum_ari):
    result, conversation, ari = agreement_with_polis(name)
    assert ari >= minimum_ari
    assert len(result.groups) == len(
        {g for g in conversation.polis_groups.values() if g is not None}
    )


def test_it_finds_as_many_groups_as_polis_on_ubi_grouping_every_voter():
    """This 2017 export groups all 234 voters, even those with one vote, so
    Pol.is then grouped every voter; with that rule we find its 4 groups."""
    result, conversation, _ = agreement_with_polis(
        "scoop-hivemind.ubi", Options(bootstrap_rounds=0, min_votes=1)
    )
    assert all(g is not None for g in conversation.polis_groups.values())
    assert len(result.groups) == 4


@pytest.mark.parametrize("name", ["canadian-electoral-reform", "15-per-hour-seattle"])
def test_it_groups_the_same_participants_as_polis(name):
    result, conversation, _ = agreement_with_polis(name)
    ours = {p for p, g in result.participant_groups.items() if g is not None}
    theirs = {p for p, g in conversation.polis_groups.items() if g is not None}
    assert ours == theirs
