"""Risk readings on ordinary casework: the theme, asks and tone sets, each message also
labelled with its urgent risk by a reader who saw no model. The risk models never trained
on them, so they show what an office's everyday mail would raise."""

import pytest

from compassion.lens.evaluate import RiskScores, casework_risk_scores
from compassion.lens.rules import FLAG_KINDS
from compassion.lens.train import CASEWORK_DIR, FOLLOW_UP_SET, RISK_LABELLED_SETS, read_tsv


@pytest.mark.parametrize("name", RISK_LABELLED_SETS)
def test_every_message_of_the_set_has_a_risk_label(name: str) -> None:
    rows = read_tsv(CASEWORK_DIR / name)
    assert {row["risk"] for row in rows} <= {*FLAG_KINDS, "none"}
    assert all(row["text"] for row in rows)


@pytest.fixture(scope="module")
def ordinary() -> RiskScores:
    total = RiskScores()
    for name in RISK_LABELLED_SETS:
        total += casework_risk_scores(CASEWORK_DIR / name)
    return total


def test_scores_of_several_sets_add_up(ordinary: RiskScores) -> None:
    rows = sum(len(read_tsv(CASEWORK_DIR / name)) for name in RISK_LABELLED_SETS)
    assert ordinary.positives + ordinary.negatives == rows
    assert 100 <= ordinary.life < ordinary.positives
    assert len(ordinary.missed) == ordinary.life - ordinary.life_found


def test_it_hears_the_life_risks_hidden_in_ordinary_casework(ordinary: RiskScores) -> None:
    assert ordinary.risk_recall >= 0.9, ordinary.missed


def test_a_confident_reading_is_rare_enough_to_bring_forward(ordinary: RiskScores) -> None:
    """The inbox brings confident readings forward; on everyday mail they must stay few,
    far fewer than the recall-first reading, and still find most life risks."""
    assert ordinary.confident_false_alarm_rate <= 0.15
    assert ordinary.confident_false_alarm_rate < ordinary.false_alarm_rate / 3
    assert ordinary.confident_recall >= 0.6


def test_a_chaser_is_seldom_read_with_confidence_unless_things_got_worse() -> None:
    """Follow-ups are most of an office's mail. "Any update?" must not be brought forward;
    a follow-up saying things got worse must still be heard."""
    scores = casework_risk_scores(CASEWORK_DIR / FOLLOW_UP_SET)
    assert scores.negatives >= 150 and scores.life >= 30
    assert scores.confident_false_alarm_rate <= 0.06, scores.false_alarms
    assert scores.risk_recall >= 0.9, scores.missed
    assert scores.confident_recall >= 0.75
