"""The disaster models' choices (C, threshold) are made on training rows only."""

import numpy as np
from scipy import sparse
from sklearn.metrics import f1_score, recall_score

from compassion.lens.train import (
    DISASTER_C_GRID,
    LIFE_RISK_TARGET_RECALL,
    Choice,
    _out_of_fold,
    choose_life_risk,
    choose_request,
    nested_predictions,
)


def _noisy_problem(rows: int = 200) -> tuple[sparse.csr_matrix, np.ndarray]:
    """About 30% positives, whose signal in column 1 is mixed with noise in 20 columns."""
    rng = np.random.RandomState(0)
    labels = (rng.rand(rows) < 0.3).astype(int)
    noise = rng.rand(rows, 20) * (rng.rand(rows, 20) < 0.3)
    noise[:, 1] += labels * rng.rand(rows)
    return sparse.csr_matrix(noise), labels


def test_each_outer_fold_chooses_without_its_own_rows():
    features, labels = _noisy_problem()
    # The row number, tiny so as not to sway the fit, shows which rows a chooser was given.
    row_numbers = sparse.csr_matrix(np.arange(len(labels)).reshape(-1, 1) * 1e-6)
    features = sparse.hstack([row_numbers, features], format="csr")
    shown = []

    def recording_choice(train_features, train_labels, train_rules, random_state):
        shown.append(set(np.rint(train_features[:, 0].toarray().ravel() * 1e6).astype(int)))
        return Choice(1.0, 0.5)

    rules = np.zeros(len(labels), dtype=bool)
    nested_predictions(features, labels, rules, recording_choice, random_state=0)
    held_out = [set(range(len(labels))) - rows for rows in shown]
    assert len(held_out) == 5
    assert all(35 <= len(rows) <= 45 for rows in held_out)
    assert set().union(*held_out) == set(range(len(labels)))


def test_a_rule_finding_is_always_predicted():
    features, labels = _noisy_problem()
    rules = np.zeros(len(labels), dtype=bool)
    rules[::10] = True
    predicted, choices = nested_predictions(
        features, labels, rules, lambda *_: Choice(1.0, 0.99), random_state=0
    )
    assert predicted[rules].all()
    assert not predicted[~rules].any()
    assert choices == [Choice(1.0, 0.99)] * 5


def test_the_life_risk_threshold_reaches_the_recall_target_out_of_fold():
    features, labels = _noisy_problem()
    rules = np.zeros(len(labels), dtype=bool)
    choice = choose_life_risk(features, labels, rules, random_state=0)
    probability = _out_of_fold(features, labels, choice.c, random_state=0)
    assert recall_score(labels, probability >= choice.threshold) >= LIFE_RISK_TARGET_RECALL
    assert recall_score(labels, probability >= choice.threshold + 0.01) < LIFE_RISK_TARGET_RECALL


def test_the_request_model_takes_the_c_with_the_best_out_of_fold_macro_f1():
    features, labels = _noisy_problem()
    choice = choose_request(features, labels, np.zeros(len(labels), dtype=bool), 0)

    def macro_f1(c: float) -> float:
        probability = _out_of_fold(features, labels, c, random_state=0)
        return f1_score(labels, probability >= 0.5, average="macro")

    assert choice.threshold == 0.5
    assert macro_f1(choice.c) == max(macro_f1(c) for c in DISASTER_C_GRID)
