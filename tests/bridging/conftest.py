"""Shared fixtures: seeded synthetic conversations and the real Pol.is exports.

The real conversations in ../shared/data/polis are Pol.is open data: "Data was
gathered using the Polis software (compdemocracy.org/polis) and is
sub-licensed under CC BY 4.0 with Attribution to The Computational Democracy
Project." https://compdemocracy.org/case-studies/2014-seattle-15-per-hour
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from compassion.bridging import Statement, Vote

POLIS_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "polis"


def camp_conversation(
    camp_sizes=(40, 30),
    n_statements=30,
    vote_share=0.8,
    n_bridging=3,
    seed=0,
) -> tuple[list[Vote], list[Statement]]:
    """Camps that disagree on most statements; the first `n_bridging`
    statements are liked by every camp.

    Camp c agrees with statement j with probability 0.9 when j % n_camps == c
    and 0.1 otherwise, so each camp has statements of its own.
    """
    rng = np.random.default_rng(seed)
    n_camps = len(camp_sizes)
    votes, participant = [], 0
    for camp, size in enumerate(camp_sizes):
        for _ in range(size):
            for j in range(n_statements):
                if rng.random() > vote_share:
                    continue
                shared = j < n_bridging or j % n_camps == camp
                p_agree = 0.9 if shared else 0.1
                value = 1 if rng.random() < p_agree else -1
                if rng.random() < 0.05:
                    value = 0
                votes.append(Vote(participant, j, value, timestamp=float(len(votes))))
            participant += 1
    statements = [Statement(j, f"Statement {j}", moderated=1) for j in range(n_statements)]
    return votes, statements


@pytest.fixture
def camps():
    return camp_conversation()


def polis_folder(name: str) -> Path:
    folder = POLIS_DATA / name
    if not folder.is_dir():
        pytest.skip(f"Pol.is open data not found at {folder}.")
    return folder
