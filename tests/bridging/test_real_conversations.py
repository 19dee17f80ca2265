"""Agreement with Pol.is's own groups on three real conversations.

Pol.is open data (CC BY 4.0): "Data was gathered using the Polis software
(compdemocracy.org/polis) and is sub-licensed under CC BY 4.0 with
Attribution to The Computational Democracy Project."
https://compdemocracy.org/case-studies/2014-seattle-15-per-hour
"""

from dataclasses import replace

import numpy as np
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
    ("name", "expected_ari"),
    [("canadian-electoral-reform", 1.0), ("15-per-hour-seattle", 0.970)],
)
def test_it_agrees_with_polis_groups(name, expected_ari):
    result, conversation, ari = agreement_with_polis(name)
    assert round(ari, 3) == expected_ari
    assert len(result.groups) == len(
        {g for g in conversation.polis_groups.values() if g is not None}
    )


def test_the_groups_do_not_depend_on_the_order_people_arrived_in():
    conversation = read_polis_export(polis_folder("canadian-electoral-reform"))
    ids = sorted({v.participant for v in conversation.votes})
    renamed = dict(zip(ids, np.random.default_rng(0).permutation(len(ids)).tolist(), strict=True))
    votes = [replace(v, participant=renamed[v.participant]) for v in conversation.votes]
    result = analyse(votes, conversation.statements, Options(bootstrap_rounds=0))
    both = [p for p, g in conversation.polis_groups.items() if g is not None]
    ours = [result.participant_groups[renamed[p]] for p in both]
    assert adjusted_rand_score([conversation.polis_groups[p] for p in both], ours) == 1.0


@pytest.mark.xfail(
    strict=True,
    reason="Pol.is showed 4 groups on this 2017 conversation, but on our opinion map "
    "they barely separate (silhouette 0.04 to 0.11) while 2 groups score 0.6.",
)
@pytest.mark.parametrize("min_votes", [7, 1])
def test_it_finds_as_many_groups_as_polis_on_ubi(min_votes):
    result, _, _ = agreement_with_polis(
        "scoop-hivemind.ubi", Options(bootstrap_rounds=0, min_votes=min_votes)
    )
    assert len(result.groups) == 4


@pytest.mark.parametrize("name", ["canadian-electoral-reform", "15-per-hour-seattle"])
def test_it_groups_the_same_participants_as_polis(name):
    result, conversation, _ = agreement_with_polis(name)
    ours = {p for p, g in result.participant_groups.items() if g is not None}
    theirs = {p for p, g in conversation.polis_groups.items() if g is not None}
    assert ours == theirs
