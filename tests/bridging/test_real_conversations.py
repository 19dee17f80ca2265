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
    reason="Pol.is's 4 groups here came from its update history, which the export lacks. "
    "From the final votes, Pol.is's rules (2017 or now) give 2 groups by silhouette "
    "(0.49 to 0.62; Pol.is's own 4 score 0.07 to 0.14), or 3 to 5 from its first-ever "
    "k-means start, never Pol.is's groups (adjusted Rand at most 0.35): its groups 0 and 2 "
    "differ only in having voted on the statements added on 22-23 August. Replaying the "
    "votes through Pol.is's 2017 update loop ends with 2, 3, 4 or 5 groups depending on "
    "update timing and the random first start (benchmarks/bridging_polis_replay.py).",
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
