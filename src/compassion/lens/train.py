"""Train the shipped lens models from the public data sets in `../shared/data`.

Run with `compassion lens train --data ../shared/data`. Each model is a logistic regression
over the shared hashed features (see `features.py`), saved as `.npz` + JSON in `models/`.
Where a data set has no separate train split (EPITOME, disaster response, empathic
reactions, the theme seed set), scores are 5-fold cross-validated within it and the
final model is refitted on all of it; GoEmotions is trained on train and scored on dev.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import f1_score, precision_score, recall_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from compassion.lens.features import featurize
from compassion.lens.linear import MODELS_DIR, LinearModel
from compassion.lens.rules import LIFE_RISK_KINDS, find_flags
from compassion.lens.themes import load_seed_set

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
CASEWORK_DIR = Path(__file__).parent / "data"
CASEWORK_SETS = ("uk_risk_messages.tsv", "uk_risk_holdout.tsv", "uk_risk_holdout_2.tsv")
CASEWORK_THRESHOLD = 0.3


@dataclass
class Text:
    texts: list[str]
    labels: np.ndarray
    weights: np.ndarray | None = None


def _classifier(c: float, random_state: int, balanced: bool = True) -> LogisticRegression:
    return LogisticRegression(
        C=c,
        max_iter=3000,
        class_weight="balanced" if balanced else None,
        random_state=random_state,
    )


def read_goemotions(path: Path, multi_label: bool) -> Text:
    """Ekman-labelled GoEmotions rows mapped to the four lens emotions.

    With `multi_label`, a comment carrying two mapped emotions becomes two rows of half
    weight (used for training); otherwise only single-label rows are kept (the dev metric).
    """
    names = (path.parent / "ekman_labels.txt").read_text().split()
    texts, labels, weights = [], [], []
    with path.open(encoding="utf-8") as rows:
        for row in rows:
            text, ids, _ = row.rstrip("\n").split("\t")
            ekman = [names[int(i)] for i in ids.split(",")]
            if not multi_label and len(ekman) != 1:
                continue
            mapped = sorted({EKMAN_TO_EMOTION[e] for e in ekman if e in EKMAN_TO_EMOTION})
            if not mapped or (not multi_label and len(mapped) != 1):
                continue
            for emotion in mapped:
                texts.append(text)
                labels.append(EMOTIONS.index(emotion))
                weights.append(1.0 / len(mapped))
    return Text(texts, np.array(labels), np.array(weights))


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def epitome_text(seeker_post: str, response: str) -> str:
    """Responses carry the signal; the seeker's post is not used (replies are scored alone)."""
    del seeker_post
    return response


def _cross_validated(
    data: Text, make: Callable[[], LogisticRegression], random_state: int
) -> np.ndarray:
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=random_state)
    return cross_val_predict(
        make(), featurize(data.texts), data.labels, cv=folds, method="predict_proba"
    )


def train_emotion(data_dir: Path, random_state: int) -> dict:
    train = read_goemotions(data_dir / "goemotions" / "ekman_train.tsv", multi_label=True)
    dev = read_goemotions(data_dir / "goemotions" / "ekman_dev.tsv", multi_label=False)
    estimator = _classifier(3.0, random_state).fit(
        featurize(train.texts), train.labels, sample_weight=train.weights
    )
    model = LinearModel.from_estimator("emotion", estimator, EMOTIONS)
    predicted = model.proba(featurize(dev.texts)).argmax(axis=1)
    scores = {
        "dataset": "GoEmotions (Ekman mapping, single-label dev rows, surprise dropped)",
        "train_rows": len(train.texts),
        "dev_rows": len(dev.texts),
        "dev_macro_f1": round(float(f1_score(dev.labels, predicted, average="macro")), 4),
    }
    model.meta = scores
    model.save()
    return scores


def train_epitome(data_dir: Path, random_state: int) -> dict:
    results = {}
    for mechanism, filename in EPITOME_FILES.items():
        rows = read_csv(data_dir / "epitome_reddit" / filename)
        data = Text(
            [epitome_text(r["seeker_post"], r["response_post"]) for r in rows],
            np.array([int(r["level"]) for r in rows]),
        )
        probabilities = _cross_validated(data, lambda: _classifier(4.0, random_state), random_state)
        binary_truth = data.labels > 0
        binary_predicted = probabilities[:, 1:].sum(axis=1) > 0.5
        scores = {
            "dataset": f"EPITOME Reddit {filename}",
            "rows": len(rows),
            "cv5_binary_macro_f1": round(
                float(f1_score(binary_truth, binary_predicted, average="macro")), 4
            ),
            "cv5_level_macro_f1": round(
                float(f1_score(data.labels, probabilities.argmax(axis=1), average="macro")), 4
            ),
        }
        estimator = _classifier(4.0, random_state).fit(featurize(data.texts), data.labels)
        LinearModel.from_estimator(
            f"epitome_{mechanism}", estimator, ["0", "1", "2"], meta=scores
        ).save()
        results[mechanism] = scores
    return results


def _read_disaster(data_dir: Path) -> tuple[list[str], np.ndarray, np.ndarray]:
    rows = read_csv(data_dir / "disaster_response" / "disaster_response_validation.csv")
    texts = [r["message"] for r in rows]
    request = np.array([r["request"] == "1" for r in rows], dtype=int)
    life = np.array([any(r[c] == "1" for c in LIFE_RISK_COLUMNS) for r in rows], dtype=int)
    return texts, request, life


def _life_risk_threshold(truth: np.ndarray, probability: np.ndarray, rules: np.ndarray) -> float:
    """Highest threshold whose out-of-fold recall (model or rules) reaches the target."""
    for threshold in np.arange(0.9, 0.04, -0.01):
        predicted = (probability >= threshold) | rules
        if recall_score(truth, predicted) >= LIFE_RISK_TARGET_RECALL:
            return round(float(threshold), 2)
    return 0.05


def train_disaster(data_dir: Path, random_state: int) -> dict:
    texts, request, life = _read_disaster(data_dir)
    features = featurize(texts)
    results = {}

    request_data = Text(texts, request)
    probability = _cross_validated(request_data, lambda: _classifier(2.0, random_state), 1)[:, 1]
    results["request_for_help"] = {
        "dataset": "Disaster Response Messages, official validation split",
        "rows": len(texts),
        "cv5_macro_f1": round(float(f1_score(request, probability > 0.5, average="macro")), 4),
    }
    estimator = _classifier(2.0, random_state).fit(features, request)
    LinearModel.from_estimator(
        "request_for_help", estimator, ["no", "yes"], meta=results["request_for_help"]
    ).save()

    life_data = Text(texts, life)
    probability = _cross_validated(life_data, lambda: _classifier(1.0, random_state), 1)[:, 1]
    rules = _rules_say_life_risk(texts)
    threshold = _life_risk_threshold(life, probability, rules)
    predicted = (probability >= threshold) | rules
    results["risk_to_life"] = {
        "dataset": "Disaster Response Messages, official validation split",
        "rows": len(texts),
        "positives": int(life.sum()),
        "threshold": threshold,
        "cv5_recall": round(float(recall_score(life, predicted)), 4),
        "cv5_precision": round(float(precision_score(life, predicted)), 4),
        "cv5_recall_rules_only": round(float(recall_score(life, rules)), 4),
        "cv5_recall_model_only": round(float(recall_score(life, probability >= threshold)), 4),
    }
    estimator = _classifier(1.0, random_state).fit(features, life)
    LinearModel.from_estimator(
        "risk_to_life", estimator, ["no", "yes"], threshold=threshold, meta=results["risk_to_life"]
    ).save()
    return results


def read_casework(name: str) -> Text:
    """A hand-written UK casework risk set: label 1 for a life-risk kind, else 0."""
    rows = read_tsv(CASEWORK_DIR / name)
    return Text(
        [r["text"] for r in rows],
        np.array([r["kind"] in LIFE_RISK_KINDS for r in rows], dtype=int),
    )


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _rules_say_life_risk(texts: list[str]) -> np.ndarray:
    return np.array([any(f.kind in LIFE_RISK_KINDS for f in find_flags(t)) for t in texts])


def train_casework_risk(random_state: int) -> dict:
    """Life risk in UK casework, learned from the hand-written risk sets in `data/`.

    The last set was written after the rules were frozen and is scored blind here (model
    trained on the others, combined with the rules) before the shipped model is refitted on
    all three. A 5-fold CV over all sets is reported too.
    """
    sets = [read_casework(name) for name in CASEWORK_SETS]
    earlier = Text(sets[0].texts + sets[1].texts, np.concatenate([sets[0].labels, sets[1].labels]))
    blind = sets[2]
    fitted = _classifier(10.0, random_state).fit(featurize(earlier.texts), earlier.labels)
    model_says = fitted.predict_proba(featurize(blind.texts))[:, 1] >= CASEWORK_THRESHOLD
    rules_say = _rules_say_life_risk(blind.texts)
    negatives = blind.labels == 0
    every = Text(
        earlier.texts + blind.texts, np.concatenate([earlier.labels, blind.labels])
    )
    probability = _cross_validated(every, lambda: _classifier(10.0, random_state), random_state)
    combined = (probability[:, 1] >= CASEWORK_THRESHOLD) | _rules_say_life_risk(every.texts)
    scores = {
        "dataset": "Hand-written UK casework risk sets (this repository)",
        "rows": len(every.texts),
        "life_risk_rows": int(every.labels.sum()),
        "threshold": CASEWORK_THRESHOLD,
        "blind_set": CASEWORK_SETS[2],
        "blind_recall_rules_only": round(float(rules_say[blind.labels == 1].mean()), 4),
        "blind_recall_model_or_rules": round(
            float((model_says | rules_say)[blind.labels == 1].mean()), 4
        ),
        "blind_false_alarms_model_or_rules": round(
            float((model_says | rules_say)[negatives].mean()), 4
        ),
        "cv5_recall_model_or_rules": round(float(recall_score(every.labels, combined)), 4),
        "cv5_precision_model_or_rules": round(float(precision_score(every.labels, combined)), 4),
    }
    estimator = _classifier(10.0, random_state).fit(featurize(every.texts), every.labels)
    LinearModel.from_estimator(
        "casework_risk", estimator, ["no", "yes"], threshold=CASEWORK_THRESHOLD, meta=scores
    ).save()
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
    from compassion.lens.themes import fit_theme_model, load_blind_set, load_keywords, training_set

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
    model = fit_theme_model(*training_set(), random_state=random_state)
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
    return round(float(np.mean([t == p for t, p in zip(truth, predicted, strict=True)])), 4)


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
        ("distress", lambda: train_distress(data_dir, random_state)),
        ("disaster", lambda: train_disaster(data_dir, random_state)),
        ("epitome", lambda: train_epitome(data_dir, random_state)),
        ("emotion", lambda: train_emotion(data_dir, random_state)),
    ]
    scores = {}
    for name, step in steps:
        report(f"Training {name}...")
        scores[name] = step()
        report(json.dumps(scores[name], indent=2))
    (MODELS_DIR / "scores.json").write_text(json.dumps(scores, indent=2) + "\n")
    return scores
