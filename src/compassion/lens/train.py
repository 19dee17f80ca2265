"""Train the shipped lens models from the public data sets in `../shared/data`.

Run with `compassion lens train --data ../shared/data`. Each model is a logistic regression
over the shared hashed features (see `features.py`), saved as `.npz` + JSON in `models/`;
the EPITOME reply-coach models are small stacks over their own features (see `empathy.py`).
Where a data set has no separate train split (EPITOME, disaster response, empathic
reactions, the theme seed set), scores are 5-fold cross-validated within it and the
final model is refitted on all of it; GoEmotions is trained on train and scored on dev.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from compassion.lens.analyse import mixed_emotion_scores
from compassion.lens.empathy import Examples, cross_validated_levels, fit_mechanism
from compassion.lens.features import featurize
from compassion.lens.linear import MODELS_DIR, LinearModel
from compassion.lens.rules import LIFE_RISK_KINDS, find_asking_words, find_flags
from compassion.lens.themes import (
    fit_theme_model,
    load_blind_set,
    load_keywords,
    load_seed_set,
    read_tsv,
)

EMOTIONS = ["distress", "anger", "positive", "neutral"]
EKMAN_TO_EMOTION = {
    "fear": "distress",
    "sadness": "distress",
    "anger": "anger",
    "disgust": "anger",
    "joy": "positive",
    "neutral": "neutral",
}
EPITOME_FILES = {
    "emotional_reaction": "emotional-reactions-dev.csv",
    "interpretation": "interpretations-dev.csv",
    "exploration": "explorations-dev.csv",
}
LIFE_RISK_COLUMNS = ("medical_help", "search_and_rescue", "death", "missing_people")
LIFE_RISK_TARGET_RECALL = 0.87
LIFE_RISK_THRESHOLDS = np.round(np.arange(0.90, 0.04, -0.01), 2)
DISASTER_C_GRID = (0.5, 1.0, 2.0, 4.0)
CASEWORK_DIR = Path(__file__).parent / "data"
CASEWORK_SETS = (
    "uk_risk_messages.tsv",
    "uk_risk_holdout.tsv",
    "uk_risk_holdout_2.tsv",
    "uk_risk_letters.tsv",
    "uk_risk_blind.tsv",
)
CASEWORK_BLIND_SETS = ("uk_risk_blind_2.tsv", "uk_risk_blind_3.tsv")
CASEWORK_C_GRID = (10.0, 30.0, 100.0)
CASEWORK_TARGET_RECALL = 0.99
CASEWORK_THRESHOLDS = np.round(np.arange(0.90, 0.005, -0.01), 2)
ASKING_SETS = ("asks_for_help_letters.tsv", "asks_for_help_notes.tsv")
ASKING_BLIND_SET = "asks_for_help_blind.tsv"
ASKING_C_GRID = (1.0, 4.0, 16.0, 64.0)
TONE_SETS = ("tone_letters.tsv", "tone_notes.tsv")
TONE_BLIND_SET = "tone_blind.tsv"
TONE_C_GRID = (1.0, 4.0, 16.0)
TONE_WEIGHTS = np.round(np.arange(0.0, 1.01, 0.1), 1)
# Sets written for themes, asks and tone, each message also labelled with its urgent risk
# (`risk` column, by readers who saw no model): ordinary casework the risk model never saw.
RISK_LABELLED_SETS = (
    "theme_seed.tsv",
    "theme_blind.tsv",
    *ASKING_SETS,
    ASKING_BLIND_SET,
    *TONE_SETS,
    TONE_BLIND_SET,
)
# Follow-ups to an open case (chasers, updates, thanks), 180 with no urgent risk and 60 where
# things got worse, written by another author; never trained on.
FOLLOW_UP_SET = "uk_risk_chasers.tsv"
DOMAIN_SETS = (
    "theme_seed.tsv",
    "uk_risk_messages.tsv",
    "uk_risk_letters.tsv",
    *ASKING_SETS,
    *TONE_SETS,
)
EMOTION_C = 3.0
EMOTION_NB_C = 4.0
EMOTION_NB_ALPHA = 0.1
EMOTION_SOFTMAX_SHARE = 0.25
EMOTION_BIAS_STEPS = np.round(np.arange(-1.5, 1.51, 0.1), 2)


@dataclass
class Text:
    texts: list[str]
    labels: np.ndarray


def _classifier(c: float, random_state: int) -> LogisticRegression:
    return LogisticRegression(
        C=c,
        max_iter=3000,
        class_weight="balanced",
        random_state=random_state,
    )


def _goemotions_rows(path: Path) -> list[tuple[str, list[str]]]:
    """Each comment with its Ekman labels."""
    names = (path.parent / "ekman_labels.txt").read_text().split()
    rows = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            text, ids, _ = line.rstrip("\n").split("\t")
            rows.append((text, [names[int(i)] for i in ids.split(",")]))
    return rows


def read_goemotions(path: Path) -> Text:
    """The GoEmotions comments with a single Ekman label that maps to a lens emotion (the
    rows the dev metric is computed on)."""
    texts, labels = [], []
    for text, ekman in _goemotions_rows(path):
        if len(ekman) == 1 and ekman[0] in EKMAN_TO_EMOTION:
            texts.append(text)
            labels.append(EMOTIONS.index(EKMAN_TO_EMOTION[ekman[0]]))
    return Text(texts, np.array(labels))


def read_goemotions_indicators(path: Path) -> tuple[list[str], np.ndarray]:
    """Every GoEmotions comment carrying at least one lens emotion, and a 0/1 matrix
    (comments x `EMOTIONS`) of the emotions it carries: a comment labelled both sadness and
    anger is a positive example of distress and of anger."""
    texts, rows = [], []
    for text, ekman in _goemotions_rows(path):
        mapped = {EKMAN_TO_EMOTION[e] for e in ekman if e in EKMAN_TO_EMOTION}
        if mapped:
            texts.append(text)
            rows.append([emotion in mapped for emotion in EMOTIONS])
    return texts, np.array(rows, dtype=bool)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _held_out_texts(texts: list[str], share: float, random_state: int) -> np.ndarray:
    """A mask choosing `share` of the distinct texts (a comment's rows stay together)."""
    distinct = sorted(set(texts))
    rng = np.random.RandomState(random_state)
    chosen = set(rng.choice(len(distinct), int(len(distinct) * share), replace=False))
    position = {text: i for i, text in enumerate(distinct)}
    return np.array([position[text] in chosen for text in texts])


def macro_f1_biases(log_proba: np.ndarray, truth: np.ndarray, rounds: int = 3) -> np.ndarray:
    """Per-class additive biases on log-probabilities that maximise macro-F1, one class at a
    time (coordinate ascent over a fixed grid). Fitted on held-out training rows only."""
    biases = np.zeros(log_proba.shape[1])

    def score(candidate: np.ndarray) -> float:
        return f1_score(truth, (log_proba + candidate).argmax(axis=1), average="macro")

    for _ in range(rounds):
        for k in range(len(biases)):
            best_value, best_score = biases[k], score(biases)
            for value in EMOTION_BIAS_STEPS:
                candidate = biases.copy()
                candidate[k] = value
                if (candidate_score := score(candidate)) > best_score:
                    best_value, best_score = value, candidate_score
            biases[k] = best_value
    return biases


def naive_bayes_ratios(
    features: sparse.csr_matrix, positive: np.ndarray, alpha: float
) -> np.ndarray:
    """Each feature's log-count ratio between a class and the rest, smoothed by `alpha`
    (the feature scaling of NBSVM: Wang and Manning, ACL 2012)."""
    inside = alpha + np.asarray(features[positive].sum(axis=0)).ravel()
    outside = alpha + np.asarray(features[~positive].sum(axis=0)).ravel()
    return np.log(inside / inside.sum()) - np.log(outside / outside.sum())


def fit_naive_bayes_logistic(
    features: sparse.csr_matrix, indicators: np.ndarray, random_state: int
) -> LinearModel:
    """One logistic regression per emotion, that emotion against the rest, over the features
    scaled by its naive Bayes ratios. The scaling is folded back into the weights, so the
    model stays linear in the shared features; its probabilities are the softmax of the
    four one-against-the-rest scores."""
    coef = np.zeros((features.shape[1], len(EMOTIONS)), dtype=np.float32)
    intercept = np.zeros(len(EMOTIONS), dtype=np.float32)
    for k in range(len(EMOTIONS)):
        positive = indicators[:, k]
        ratios = naive_bayes_ratios(features, positive, EMOTION_NB_ALPHA)
        fitted = _classifier(EMOTION_NB_C, random_state).fit(
            features.multiply(ratios).tocsr(), positive
        )
        coef[:, k] = fitted.coef_[0] * ratios
        intercept[k] = fitted.intercept_[0]
    return LinearModel("emotion", EMOTIONS, coef, intercept)


def fit_emotion_model(
    features: sparse.csr_matrix, indicators: np.ndarray, random_state: int
) -> LinearModel:
    """The naive Bayes-scaled regressions blended with a softmax regression: their scores
    are averaged (weights 1 - `EMOTION_SOFTMAX_SHARE` and `EMOTION_SOFTMAX_SHARE`), which is
    again one linear model of four columns. For the softmax regression a comment carrying
    several emotions becomes one row per emotion, each weighted by one over their number."""
    scaled = fit_naive_bayes_logistic(features, indicators, random_state)
    comments, emotions = np.nonzero(indicators)
    softmax = _classifier(EMOTION_C, random_state).fit(
        features[comments], emotions, sample_weight=1.0 / indicators.sum(axis=1)[comments]
    )
    share = EMOTION_SOFTMAX_SHARE
    scaled.coef = (1 - share) * scaled.coef + share * softmax.coef_.T.astype(np.float32)
    scaled.intercept = (1 - share) * scaled.intercept + share * softmax.intercept_.astype(
        np.float32
    )
    return scaled


def train_emotion(data_dir: Path, random_state: int) -> dict:
    """The emotion model (see `fit_emotion_model`) on GoEmotions train, with per-class biases
    for macro-F1.

    The biases are chosen on a seventh of the training comments held out from a first
    fit, then added to the intercepts of the model refitted on all of train. The dev split
    is used only for the reported score.
    """
    texts, indicators = read_goemotions_indicators(data_dir / "goemotions" / "ekman_train.tsv")
    dev = read_goemotions(data_dir / "goemotions" / "ekman_dev.tsv")
    features = featurize(texts)
    held_out = _held_out_texts(texts, 1 / 7, random_state)
    first = fit_emotion_model(features[~held_out], indicators[~held_out], random_state)
    single = held_out & (indicators.sum(axis=1) == 1)
    biases = macro_f1_biases(
        np.log(first.proba(features[single])), indicators[single].argmax(axis=1)
    )
    model = fit_emotion_model(features, indicators, random_state)
    dev_features = featurize(dev.texts)
    unbiased = model.proba(dev_features).argmax(axis=1)
    model.intercept = (model.intercept + biases).astype(np.float32)
    predicted = model.proba(dev_features).argmax(axis=1)
    scores = {
        "dataset": "GoEmotions (Ekman mapping, single-label dev rows, surprise dropped)",
        "method": "naive Bayes-scaled logistic regressions, one emotion against the rest, "
        "blended with a softmax regression",
        "nb_c": EMOTION_NB_C,
        "nb_alpha": EMOTION_NB_ALPHA,
        "softmax_c": EMOTION_C,
        "softmax_share": EMOTION_SOFTMAX_SHARE,
        "train_rows": len(texts),
        "dev_rows": len(dev.texts),
        "class_biases": [round(float(b), 2) for b in biases],
        "dev_macro_f1": round(float(f1_score(dev.labels, predicted, average="macro")), 4),
        "dev_macro_f1_without_biases": round(
            float(f1_score(dev.labels, unbiased, average="macro")), 4
        ),
    }
    model.meta = scores
    model.save()
    return scores


def read_epitome(data_dir: Path, filename: str) -> Examples:
    rows = read_csv(data_dir / "epitome_reddit" / filename)
    return Examples(
        [r["seeker_post"] for r in rows],
        [r["response_post"] for r in rows],
        np.array([int(r["level"]) for r in rows]),
        [r["rationales"] for r in rows],
    )


def train_epitome(data_dir: Path, random_state: int) -> dict:
    """The coach's EPITOME stacks (see `empathy.py`): scored by an outer 5-fold CV in which
    every fold's model, thresholds included, is fitted without it; then refitted on all."""
    results = {}
    for mechanism, filename in EPITOME_FILES.items():
        examples = read_epitome(data_dir, filename)
        levels = cross_validated_levels(mechanism, examples, random_state)
        scores = {
            "dataset": f"EPITOME Reddit {filename}",
            "rows": len(examples.replies),
            "cv5_binary_macro_f1": round(
                float(f1_score(examples.levels > 0, levels > 0, average="macro")), 4
            ),
            "cv5_level_macro_f1": round(
                float(f1_score(examples.levels, levels, average="macro")), 4
            ),
        }
        model = fit_mechanism(mechanism, examples, random_state)
        model.meta = scores
        model.save()
        results[mechanism] = scores
    return results


def _read_disaster(data_dir: Path) -> tuple[list[str], np.ndarray, np.ndarray]:
    rows = read_csv(data_dir / "disaster_response" / "disaster_response_validation.csv")
    texts = [r["message"] for r in rows]
    request = np.array([r["request"] == "1" for r in rows], dtype=int)
    life = np.array([any(r[c] == "1" for c in LIFE_RISK_COLUMNS) for r in rows], dtype=int)
    return texts, request, life


def highest_threshold_reaching(
    target_recall: float,
    thresholds: np.ndarray,
    truth: np.ndarray,
    probability: np.ndarray,
    rules: np.ndarray,
) -> float:
    """The highest of `thresholds` (in falling order) at which model-or-rules recalls at
    least `target_recall`; the lowest of them if none does."""
    for threshold in thresholds:
        if recall_score(truth, (probability >= threshold) | rules) >= target_recall:
            return float(threshold)
    return float(thresholds[-1])


@dataclass
class Choice:
    """A regularisation strength and a decision threshold, chosen on training rows only."""

    c: float
    threshold: float


def _out_of_fold(
    features, labels: np.ndarray, c: float, random_state: int, folds_seed: int | None = None
) -> np.ndarray:
    """Out-of-fold probabilities of the positive class from 5-fold CV (folds shuffled with
    `folds_seed`, by default `random_state`)."""
    seed = random_state if folds_seed is None else folds_seed
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    return cross_val_predict(
        _classifier(c, random_state), features, labels, cv=folds, method="predict_proba"
    )[:, 1]


def choose_request(features, labels: np.ndarray, rules: np.ndarray, random_state: int) -> Choice:
    """The C with the highest out-of-fold macro-F1 (model or rules) at threshold 0.5.

    The threshold stays at 0.5 (classes are balanced by weight): one chosen the same way on
    a grid did worse in nested CV (macro-F1 0.809 against 0.815 at C = 2).
    """
    best_score, best = -1.0, Choice(DISASTER_C_GRID[0], 0.5)
    for c in DISASTER_C_GRID:
        predicted = (_out_of_fold(features, labels, c, random_state) >= 0.5) | rules
        if (score := f1_score(labels, predicted, average="macro")) > best_score:
            best_score, best = score, Choice(c, 0.5)
    return best


def choose_life_risk(features, labels: np.ndarray, rules: np.ndarray, random_state: int) -> Choice:
    """For each C, the highest threshold whose out-of-fold recall of model-or-rules reaches
    `LIFE_RISK_TARGET_RECALL`; the C with the best out-of-fold precision there wins."""
    best_precision, best = -1.0, Choice(DISASTER_C_GRID[0], float(LIFE_RISK_THRESHOLDS[-1]))
    for c in DISASTER_C_GRID:
        probability = _out_of_fold(features, labels, c, random_state)
        threshold = highest_threshold_reaching(
            LIFE_RISK_TARGET_RECALL, LIFE_RISK_THRESHOLDS, labels, probability, rules
        )
        predicted = (probability >= threshold) | rules
        if (precision := precision_score(labels, predicted)) > best_precision:
            best_precision, best = precision, Choice(c, float(threshold))
    return best


Chooser = Callable[..., Choice]


def nested_predictions(
    features, labels: np.ndarray, rules: np.ndarray, choose: Chooser, random_state: int
) -> tuple[np.ndarray, list[Choice]]:
    """Outer 5-fold CV predictions (model or rules) in which each fold's C and threshold are
    chosen by `choose` on that fold's training rows alone; also each fold's choice."""
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=random_state + 1)
    predicted = np.zeros(len(labels), dtype=bool)
    choices = []
    for train_index, test_index in folds.split(np.zeros(len(labels)), labels):
        train_features, train_labels = features[train_index], labels[train_index]
        choice = choose(train_features, train_labels, rules[train_index], random_state)
        fitted = _classifier(choice.c, random_state).fit(train_features, train_labels)
        probability = fitted.predict_proba(features[test_index])[:, 1]
        predicted[test_index] = (probability >= choice.threshold) | rules[test_index]
        choices.append(choice)
    return predicted, choices


def _choices_made(choices: list[Choice]) -> dict:
    return {"c": [c.c for c in choices], "threshold": [round(c.threshold, 2) for c in choices]}


def train_disaster(data_dir: Path, random_state: int) -> dict:
    """`request_for_help` and `risk_to_life` from the disaster response validation split.

    Both are scored by nested CV: in each outer fold, C (and for `risk_to_life` the
    threshold) is chosen by an inner 5-fold CV on the training rows only. The shipped models
    are then chosen the same way on all rows and refitted on all of them. `risk_to_life` is
    scored as the lens uses it, model or urgent-risk rules.
    """
    texts, request, life = _read_disaster(data_dir)
    features = featurize(texts)
    dataset = "Disaster Response Messages, official validation split"
    no_rules = np.zeros(len(texts), dtype=bool)

    predicted, choices = nested_predictions(
        features, request, no_rules, choose_request, random_state
    )
    choice = choose_request(features, request, no_rules, random_state)
    scores = {
        "dataset": dataset,
        "rows": len(texts),
        "positives": int(request.sum()),
        "c": choice.c,
        "threshold": choice.threshold,
        "cv5_macro_f1": round(float(f1_score(request, predicted, average="macro")), 4),
        "outer_fold_choices": _choices_made(choices),
    }
    estimator = _classifier(choice.c, random_state).fit(features, request)
    LinearModel.from_estimator(
        "request_for_help", estimator, ["no", "yes"], choice.threshold, scores
    ).save()
    results = {"request_for_help": scores}

    rules = _rules_say_life_risk(texts)
    predicted, choices = nested_predictions(features, life, rules, choose_life_risk, random_state)
    choice = choose_life_risk(features, life, rules, random_state)
    scores = {
        "dataset": dataset,
        "rows": len(texts),
        "positives": int(life.sum()),
        "c": choice.c,
        "threshold": choice.threshold,
        "cv5_recall": round(float(recall_score(life, predicted)), 4),
        "cv5_precision": round(float(precision_score(life, predicted)), 4),
        "cv5_recall_rules_only": round(float(recall_score(life, rules)), 4),
        "cv5_precision_rules_only": round(float(precision_score(life, rules)), 4),
        "outer_fold_choices": _choices_made(choices),
    }
    estimator = _classifier(choice.c, random_state).fit(features, life)
    LinearModel.from_estimator(
        "risk_to_life", estimator, ["no", "yes"], choice.threshold, scores
    ).save()
    results["risk_to_life"] = scores
    return results


def _read_labelled(names: Sequence[str], label: Callable[[dict[str, str]], int]) -> Text:
    """The rows of the hand-written sets `names` in `data/`, one after another, each
    labelled by `label`."""
    rows = [row for name in names for row in read_tsv(CASEWORK_DIR / name)]
    return Text([row["text"] for row in rows], np.array([label(row) for row in rows], dtype=int))


def read_casework(*names: str) -> Text:
    """Hand-written UK casework risk sets: label 1 for a life-risk kind, else 0."""
    return _read_labelled(names, lambda row: int(row["kind"] in LIFE_RISK_KINDS))


def _rules_say_life_risk(texts: list[str]) -> np.ndarray:
    return np.array([any(f.kind in LIFE_RISK_KINDS for f in find_flags(t)) for t in texts])


def _casework_out_of_fold(features, labels: np.ndarray, c: float, random_state: int) -> np.ndarray:
    """Out-of-fold probabilities, averaged over two shuffles of 5-fold CV."""
    return np.mean(
        [
            _out_of_fold(features, labels, c, random_state, folds_seed=seed)
            for seed in (random_state, random_state + 1)
        ],
        axis=0,
    )


def _life_risk_figures(truth: np.ndarray, predicted: np.ndarray) -> dict:
    """Recall, precision and false-alarm rate of life-risk predictions."""
    positives, negatives = truth == 1, truth == 0
    return {
        "recall": round(float(predicted[positives].mean()), 4),
        "precision": round(float(positives[predicted].mean()), 4),
        "false_alarms": round(float(predicted[negatives].mean()), 4),
    }


def _casework_blind_scores(model: LinearModel) -> dict:
    """The shipped model (with the rules) on every blind set together, and per set."""
    truth, rules, predicted, by_set = [], [], [], {}
    for name in CASEWORK_BLIND_SETS:
        blind = read_casework(name)
        blind_rules = _rules_say_life_risk(blind.texts)
        blind_model = model.proba(featurize(blind.texts))[:, 1] >= model.threshold
        combined = blind_model | blind_rules
        by_set[name] = {
            "rows": len(blind.texts),
            "life_risk_rows": int(blind.labels.sum()),
            **_life_risk_figures(blind.labels, combined),
        }
        truth.append(blind.labels)
        rules.append(blind_rules)
        predicted.append(combined)
    truth_all, rules_all = np.concatenate(truth), np.concatenate(rules)
    combined_figures = _life_risk_figures(truth_all, np.concatenate(predicted))
    return {
        "blind_sets": list(CASEWORK_BLIND_SETS),
        "blind_rows": len(truth_all),
        "blind_life_risk_rows": int(truth_all.sum()),
        "blind_recall_rules_only": round(float(rules_all[truth_all == 1].mean()), 4),
        "blind_recall_model_or_rules": combined_figures["recall"],
        "blind_precision_model_or_rules": combined_figures["precision"],
        "blind_false_alarms_model_or_rules": combined_figures["false_alarms"],
        "blind_by_set": by_set,
    }


def train_casework_risk(random_state: int) -> dict:
    """Life risk in UK casework, learned from the hand-written risk sets in `data/`.

    Recall comes first. The regularisation strength and the threshold are chosen on the
    training sets only, by 5-fold cross-validation: for each C, the threshold is the highest
    one whose out-of-fold recall of model-or-rules is at least `CASEWORK_TARGET_RECALL`
    (0.99); the C with the fewest out-of-fold false alarms at its threshold wins. The blind
    sets (`CASEWORK_BLIND_SETS`), each written before any model or rule was run on it, are
    never trained on or tuned against: their scores are those of the shipped model (with
    the rules), over all blind sets together and per set.
    """
    data = read_casework(*CASEWORK_SETS)
    features = featurize(data.texts)
    rules = _rules_say_life_risk(data.texts)
    candidates = []
    for c in CASEWORK_C_GRID:
        probability = _casework_out_of_fold(features, data.labels, c, random_state)
        threshold = highest_threshold_reaching(
            CASEWORK_TARGET_RECALL, CASEWORK_THRESHOLDS, data.labels, probability, rules
        )
        predicted = (probability >= threshold) | rules
        false_alarms = float(predicted[data.labels == 0].mean())
        candidates.append((false_alarms, c, threshold, predicted))
    false_alarms, c, threshold, predicted = min(candidates, key=lambda item: item[0])
    estimator = _classifier(c, random_state).fit(features, data.labels)
    model = LinearModel.from_estimator("casework_risk", estimator, ["no", "yes"], threshold)
    scores = {
        "dataset": "Hand-written UK casework risk sets (this repository)",
        "rows": len(data.texts),
        "life_risk_rows": int(data.labels.sum()),
        "c": c,
        "threshold": threshold,
        "cv5_recall_model_or_rules": round(float(recall_score(data.labels, predicted)), 4),
        "cv5_precision_model_or_rules": round(float(precision_score(data.labels, predicted)), 4),
        "cv5_false_alarms_model_or_rules": round(false_alarms, 4),
        "cv5_recall_rules_only": round(float(rules[data.labels == 1].mean()), 4),
    }
    scores |= _casework_blind_scores(model)
    model.meta = scores
    model.save()
    return scores


def read_asking(*names: str) -> Text:
    """Hand-written sets of UK messages: label 1 where the writer asks the office for help."""
    return _read_labelled(names, lambda row: int(row["asks"] == "1"))


def _asking_words_found(texts: list[str]) -> np.ndarray:
    return np.array([find_asking_words(text) is not None for text in texts])


def asking_figures(truth: Sequence[int], predicted: Sequence[bool]) -> dict[str, float]:
    """Precision, recall and macro-F1 of a reading of "asks for help", rounded."""
    return {
        "precision": round(float(precision_score(truth, predicted, zero_division=0)), 4),
        "recall": round(float(recall_score(truth, predicted)), 4),
        "macro_f1": round(float(f1_score(truth, predicted, average="macro")), 4),
    }


def train_casework_request(random_state: int) -> dict:
    """Whether a UK constituent asks the office for help, learned from the hand-written
    sets `ASKING_SETS` (letters and emails; phone notes, web forms and direct messages).

    The lens reads a message as asking for help where this model or the crisis-message
    request model reaches 0.5, a flag is found, or the writer asks in so many words
    (`find_asking_words`). C is chosen by 5-fold CV on the training sets, for the macro-F1
    of this model or the asking words. The blind set `ASKING_BLIND_SET`, written by another
    author before this model existed, is never trained on or tuned against.
    """
    data = read_asking(*ASKING_SETS)
    features = featurize(data.texts)
    words = _asking_words_found(data.texts)
    chosen = {}
    for c in ASKING_C_GRID:
        predicted = (_casework_out_of_fold(features, data.labels, c, random_state) >= 0.5) | words
        chosen[c] = asking_figures(data.labels, predicted)
    c = max(ASKING_C_GRID, key=lambda candidate: chosen[candidate]["macro_f1"])
    estimator = _classifier(c, random_state).fit(features, data.labels)
    model = LinearModel.from_estimator("casework_request", estimator, ["no", "yes"], 0.5)
    blind = read_asking(ASKING_BLIND_SET)
    blind_model = model.proba(featurize(blind.texts))[:, 1] >= 0.5
    blind_words = _asking_words_found(blind.texts)
    scores = {
        "dataset": "Hand-written UK messages asking, or not, for help (this repository)",
        "training_sets": list(ASKING_SETS),
        "rows": len(data.texts),
        "asking_rows": int(data.labels.sum()),
        "c": c,
        "threshold": 0.5,
        "cv5_model_or_words": chosen[c],
        "cv5_words_only": asking_figures(data.labels, words),
        "blind_set": ASKING_BLIND_SET,
        "blind_rows": len(blind.texts),
        "blind_model_only": asking_figures(blind.labels, blind_model),
        "blind_words_only": asking_figures(blind.labels, blind_words),
        "blind_model_or_words": asking_figures(blind.labels, blind_model | blind_words),
    }
    model.meta = scores
    model.save()
    return scores


def read_tone(*names: str) -> Text:
    """Hand-written sets of UK messages, each labelled with its writer's dominant feeling."""
    return _read_labelled(names, lambda row: EMOTIONS.index(row["tone"]))


def _macro_f1(truth: np.ndarray, scores: np.ndarray) -> float:
    return round(float(f1_score(truth, scores.argmax(axis=1), average="macro")), 4)


def fit_casework_domain(goemotions_texts: list[str], random_state: int) -> LinearModel:
    """How much a text reads like UK casework rather than a Reddit comment: a logistic
    regression of the hand-written UK training sets (`DOMAIN_SETS`) against GoEmotions
    training comments. It sets how far the casework tone model counts for each text."""
    uk_texts = [row["text"] for name in DOMAIN_SETS for row in read_tsv(CASEWORK_DIR / name)]
    labels = np.r_[np.ones(len(uk_texts), dtype=int), np.zeros(len(goemotions_texts), dtype=int)]
    estimator = _classifier(1.0, random_state).fit(featurize(uk_texts + goemotions_texts), labels)
    return LinearModel.from_estimator("casework_domain", estimator, ["reddit", "casework"])


def fit_casework_emotion(
    goemotions: LinearModel, domain: LinearModel, random_state: int
) -> tuple[LinearModel, dict]:
    """The tone of UK casework, learned from the hand-written sets `TONE_SETS`, and its
    scores. The lens mixes it with the GoEmotions model `goemotions` in each text by how
    much that text reads like casework (`domain`; see `analyse.mixed_emotion_scores`).

    C and the weight are chosen together by 5-fold CV on the training sets (the GoEmotions
    model never saw them): the pair with the best out-of-fold macro-F1 of the mix, the
    smaller weight on a tie. The blind set `TONE_BLIND_SET`, written by another author, is
    never trained on or tuned against.
    """
    data = read_tone(*TONE_SETS)
    features = featurize(data.texts)
    base = goemotions.decision(features)
    casework_share = domain.proba(features)[:, 1]
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=random_state)
    best = (-1.0, TONE_C_GRID[0], 0.0)
    for c in TONE_C_GRID:
        out_of_fold = cross_val_predict(
            _classifier(c, random_state),
            features,
            data.labels,
            cv=folds,
            method="decision_function",
        )
        for weight in TONE_WEIGHTS:
            mixed = mixed_emotion_scores(base, out_of_fold, weight * casework_share)
            if (score := _macro_f1(data.labels, mixed)) > best[0]:
                best = (score, c, float(weight))
    cv_mixed, c, weight = best
    estimator = _classifier(c, random_state).fit(features, data.labels)
    model = LinearModel.from_estimator("casework_emotion", estimator, EMOTIONS)
    blind = read_tone(TONE_BLIND_SET)
    blind_features = featurize(blind.texts)
    blind_base = goemotions.decision(blind_features)
    blind_casework = model.decision(blind_features)
    blind_share = domain.proba(blind_features)[:, 1]
    scores = {
        "dataset": "Hand-written UK messages labelled with their tone (this repository)",
        "training_sets": list(TONE_SETS),
        "rows": len(data.texts),
        "c": c,
        "casework_weight": weight,
        "cv5_mixed_macro_f1": cv_mixed,
        "cv5_goemotions_only_macro_f1": _macro_f1(data.labels, base),
        "blind_set": TONE_BLIND_SET,
        "blind_rows": len(blind.texts),
        "blind_goemotions_only_macro_f1": _macro_f1(blind.labels, blind_base),
        "blind_casework_only_macro_f1": _macro_f1(blind.labels, blind_casework),
        "blind_mixed_macro_f1": _macro_f1(
            blind.labels,
            mixed_emotion_scores(blind_base, blind_casework, weight * blind_share),
        ),
        "blind_mean_casework_share": round(float(blind_share.mean()), 4),
    }
    return model, scores


def train_casework_emotion(data_dir: Path, random_state: int) -> dict:
    """The casework domain model and `fit_casework_emotion` with the shipped GoEmotions
    model (trained first); plus the GoEmotions dev macro-F1 of that model alone and as the
    lens mixes it (scored, never used to choose)."""
    goemotions = LinearModel.load("emotion")
    train_texts, _ = read_goemotions_indicators(data_dir / "goemotions" / "ekman_train.tsv")
    domain = fit_casework_domain(train_texts, random_state)
    model, scores = fit_casework_emotion(goemotions, domain, random_state)
    dev = read_goemotions(data_dir / "goemotions" / "ekman_dev.tsv")
    dev_features = featurize(dev.texts)
    dev_base = goemotions.decision(dev_features)
    dev_share = domain.proba(dev_features)[:, 1]
    mixed = mixed_emotion_scores(
        dev_base, model.decision(dev_features), scores["casework_weight"] * dev_share
    )
    scores["goemotions_dev_goemotions_only_macro_f1"] = _macro_f1(dev.labels, dev_base)
    scores["goemotions_dev_mixed_macro_f1"] = _macro_f1(dev.labels, mixed)
    scores["goemotions_dev_mean_casework_share"] = round(float(dev_share.mean()), 4)
    domain.meta = {"dataset": "UK training sets against GoEmotions train comments"}
    domain.save()
    model.meta = scores
    model.save()
    return scores


def train_distress(data_dir: Path, random_state: int) -> dict:
    """A weak 1-7 personal-distress regressor used as one part of `distress_load`."""
    rows = read_csv(data_dir / "empathic_reactions_distress" / "messages-dev.csv")
    texts = [r["essay"] for r in rows]
    target = np.array([float(r["distress"]) for r in rows])
    features = featurize(texts)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=random_state)
    bins = np.digitize(target, [2.5, 4.0, 5.5])
    predicted = np.zeros_like(target)
    for train_index, test_index in folds.split(texts, bins):
        fitted = Ridge(alpha=3.0).fit(features[train_index], target[train_index])
        predicted[test_index] = fitted.predict(features[test_index])
    scores = {
        "dataset": "Empathic Reactions (Buechel et al. 2018) personal distress 1-7",
        "rows": len(texts),
        "cv5_pearson_r": round(float(np.corrcoef(target, predicted)[0, 1]), 4),
    }
    fitted = Ridge(alpha=3.0).fit(features, target)
    model = LinearModel(
        name="distress",
        classes=["score"],
        coef=np.asarray(fitted.coef_, dtype=np.float32).reshape(-1, 1),
        intercept=np.array([fitted.intercept_], dtype=np.float32),
        meta=scores,
    )
    model.save()
    return scores


def train_themes(random_state: int) -> dict:
    """The office theme classifier, from the hand-written seed set plus keyword rows.

    Scored by 5-fold CV within the seed set (keyword rows always in training) and blind on
    `theme_blind.tsv`, written after the seed set was frozen and never trained on: the
    blind figures are those of the shipped model. A model fitted on the keyword rows alone
    is scored blind too, as a baseline.
    """
    texts, themes = load_seed_set()
    keyword_texts, keyword_themes = load_keywords()
    predicted = [""] * len(texts)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=random_state)
    for train_index, test_index in folds.split(texts, themes):
        fold_model = fit_theme_model(
            [texts[i] for i in train_index] + keyword_texts,
            [themes[i] for i in train_index] + keyword_themes,
            random_state=random_state,
        )
        fold_texts = [texts[i] for i in test_index]
        for i, theme in zip(test_index, _themes_of(fold_model, fold_texts), strict=True):
            predicted[i] = theme
    model = fit_theme_model(
        texts + keyword_texts, themes + keyword_themes, random_state=random_state
    )
    keywords_only = fit_theme_model(keyword_texts, keyword_themes, random_state=random_state)
    blind_texts, blind_themes = load_blind_set()
    blind_predicted = _themes_of(model, blind_texts)
    scores = {
        "dataset": "Hand-written UK casework theme seed set + keyword rows (this repository)",
        "rows": len(texts),
        "cv5_accuracy": _accuracy(themes, predicted),
        "cv5_macro_f1": round(float(f1_score(themes, predicted, average="macro")), 4),
        "blind_set": "theme_blind.tsv",
        "blind_rows": len(blind_texts),
        "blind_accuracy": _accuracy(blind_themes, blind_predicted),
        "blind_macro_f1": round(float(f1_score(blind_themes, blind_predicted, average="macro")), 4),
        "blind_f1_by_theme": _f1_by_theme(blind_themes, blind_predicted),
        "blind_accuracy_keywords_only": _accuracy(
            blind_themes, _themes_of(keywords_only, blind_texts)
        ),
    }
    model.meta = scores
    model.save()
    return scores


def _themes_of(model: LinearModel, texts: list[str]) -> list[str]:
    return [model.classes[i] for i in model.proba(featurize(texts)).argmax(axis=1)]


def _accuracy(truth: list[str], predicted: list[str]) -> float:
    return round(float(accuracy_score(truth, predicted)), 4)


def _f1_by_theme(truth: list[str], predicted: list[str]) -> dict[str, float]:
    labels = sorted(set(truth))
    values = f1_score(truth, predicted, labels=labels, average=None)
    return {label: round(float(value), 4) for label, value in zip(labels, values, strict=True)}


def train_all(data_dir: Path, random_state: int = 0, report: Callable[[str], None] = print) -> dict:
    """Train every model, save it in `models/`, write `scores.json`, return the scores."""
    if not (data_dir / "goemotions").is_dir():
        raise FileNotFoundError(f"No GoEmotions folder in {data_dir}.")
    MODELS_DIR.mkdir(exist_ok=True)
    steps: list[tuple[str, Callable[[], dict]]] = [
        ("themes", lambda: train_themes(random_state)),
        ("casework_risk", lambda: train_casework_risk(random_state)),
        ("casework_request", lambda: train_casework_request(random_state)),
        ("distress", lambda: train_distress(data_dir, random_state)),
        ("disaster", lambda: train_disaster(data_dir, random_state)),
        ("epitome", lambda: train_epitome(data_dir, random_state)),
        ("emotion", lambda: train_emotion(data_dir, random_state)),
        ("casework_emotion", lambda: train_casework_emotion(data_dir, random_state)),
    ]
    scores = {}
    for name, step in steps:
        report(f"Training {name}...")
        scores[name] = step()
        report(json.dumps(scores[name], indent=2))
    (MODELS_DIR / "scores.json").write_text(json.dumps(scores, indent=2) + "\n")
    return scores
