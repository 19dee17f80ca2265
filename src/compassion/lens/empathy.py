"""EPITOME empathy models for the reply coach, stored as `.npz` + JSON (never pickle).

Each mechanism (emotional reaction, interpretation, exploration) is a small stack:
1. a logistic regression over the whole reply (hashed word 1-3 grams);
2. a logistic regression over single sentences, trained on the raters' rationale spans
   (a sentence is positive when it holds a span), read as the best sentence of the reply;
3. a logistic regression combining those two scores with the counted cues of
   `coach_features.CUES`, fitted on out-of-fold scores, with a decision threshold chosen
   on the training data only;
4. for replies that show the mechanism, a reply-level model of weak (1) versus strong (2).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from compassion.lens.coach_features import (
    CUES,
    N_FEATURES,
    cue_matrix,
    hashed_words,
    rationale_labels,
    split_sentences,
    without_office_formulas,
)
from compassion.lens.linear import MODELS_DIR

REPLY_C = 16.0
SENTENCE_C = 4.0
INNER_FOLDS = 5
THRESHOLDS = np.arange(0.2, 0.8, 0.02)


@dataclass
class Examples:
    """Rated (message, reply) pairs; `rationales` are the raters' '|'-separated spans."""

    messages: list[str]
    replies: list[str]
    levels: np.ndarray
    rationales: list[str]

    def subset(self, index: np.ndarray) -> Examples:
        return Examples(
            [self.messages[i] for i in index],
            [self.replies[i] for i in index],
            self.levels[index],
            [self.rationales[i] for i in index],
        )


@dataclass
class Weights:
    """A logistic regression over hashed features: weight per feature and an intercept."""

    coef: np.ndarray
    intercept: float

    def decision(self, features: sparse.csr_matrix) -> np.ndarray:
        return np.asarray(features @ self.coef).ravel() + self.intercept


def fit_weights(features: sparse.csr_matrix, labels: np.ndarray, c: float) -> Weights:
    """Balanced liblinear logistic regression, fitted on the columns in use only (fast)."""
    columns = np.unique(features.indices)
    fitted = LogisticRegression(C=c, solver="liblinear", class_weight="balanced")
    fitted.fit(features[:, columns], labels)
    coef = np.zeros(features.shape[1], dtype=np.float32)
    coef[columns] = fitted.coef_[0]
    return Weights(coef, float(fitted.intercept_[0]))


@dataclass
class PairFeatures:
    """What the readers see of a batch of (message, reply) pairs: the hashed replies, their
    hashed sentences with the reply each came from, and the cues."""

    replies: sparse.csr_matrix
    sentences: sparse.csr_matrix
    owners: np.ndarray
    cues: np.ndarray


def pair_features(messages: Sequence[str], replies: Sequence[str]) -> PairFeatures:
    sentences, owners = split_sentences(replies)
    return PairFeatures(
        hashed_words(replies), hashed_words(sentences), owners, cue_matrix(messages, replies)
    )


@dataclass
class ReplyReading:
    """A batch of pairs read once for all three mechanisms: the readers' features with the
    courtesy formulas set aside (a rule: the Reddit ratings never saw them), and the
    replies as written, hashed for the weak-versus-strong model."""

    pairs: PairFeatures
    written: sparse.csr_matrix


def read_replies(messages: Sequence[str], replies: Sequence[str]) -> ReplyReading:
    kept = [without_office_formulas(reply) for reply in replies]
    return ReplyReading(pair_features(messages, kept), hashed_words(replies))


@dataclass
class Readers:
    """The whole-reply and best-sentence scorers (steps 1 and 2)."""

    reply: Weights
    sentence: Weights

    def scores(self, features: PairFeatures) -> np.ndarray:
        """One row per pair: reply score, best sentence score, log(1 + sentences scored
        positive), then the cues."""
        n_replies = features.replies.shape[0]
        by_sentence = self.sentence.decision(features.sentences)
        best = np.full(n_replies, -np.inf)
        np.maximum.at(best, features.owners, by_sentence)
        positive = np.bincount(features.owners, weights=by_sentence > 0, minlength=n_replies)
        return np.column_stack(
            [self.reply.decision(features.replies), best, np.log1p(positive), features.cues]
        )


def fit_readers(examples: Examples) -> Readers:
    shows = (examples.levels > 0).astype(int)
    reply = fit_weights(hashed_words(examples.replies), shows, REPLY_C)
    sentences, labels = [], []
    for reply_text, rationale, level in zip(
        examples.replies, examples.rationales, examples.levels, strict=True
    ):
        marked, found = rationale_labels(reply_text, rationale)
        if level > 0 and not found:
            continue  # rated as showing it, but the span could not be located: unusable
        sentences.extend(split_sentences([reply_text])[0])
        labels.extend(marked if level > 0 else [0] * len(marked))
    sentence = fit_weights(hashed_words(sentences), np.array(labels), SENTENCE_C)
    return Readers(reply, sentence)


@dataclass
class MechanismModel:
    name: str
    readers: Readers
    combiner: np.ndarray
    combiner_intercept: float
    threshold: float
    strong: Weights
    meta: dict = field(default_factory=dict)

    def probability(self, messages: Sequence[str], replies: Sequence[str]) -> np.ndarray:
        """Probability that each reply shows the mechanism at all (level 1 or 2)."""
        return self.probability_of(read_replies(messages, replies))

    def levels(self, messages: Sequence[str], replies: Sequence[str]) -> np.ndarray:
        return self.levels_of(read_replies(messages, replies))

    def probability_of(self, reading: ReplyReading) -> np.ndarray:
        scores = self.readers.scores(reading.pairs)
        return 1.0 / (1.0 + np.exp(-(scores @ self.combiner + self.combiner_intercept)))

    def levels_of(self, reading: ReplyReading) -> np.ndarray:
        shows = self.probability_of(reading) >= self.threshold
        strong = self.strong.decision(reading.written) > 0  # weak or strong, if shown
        return np.where(shows, np.where(strong, 2, 1), 0)

    def save(self, directory: Path = MODELS_DIR) -> None:
        arrays = {"combiner": self.combiner.astype(np.float32)}
        for part, weights in [
            ("reply", self.readers.reply),
            ("sentence", self.readers.sentence),
            ("strong", self.strong),
        ]:
            rows = np.flatnonzero(np.abs(weights.coef) > 1e-4).astype(np.int32)
            arrays[f"{part}_rows"] = rows
            arrays[f"{part}_values"] = weights.coef[rows].astype(np.float16)
            arrays[f"{part}_intercept"] = np.array([weights.intercept], dtype=np.float32)
        np.savez_compressed(directory / f"epitome_{self.name}.npz", **arrays)
        description = {
            "name": f"epitome_{self.name}",
            "kind": "coach stack (see lens/empathy.py)",
            "n_features": N_FEATURES,
            "combiner_inputs": ["reply_score", "best_sentence_score", "positive_sentences", *CUES],
            "combiner_intercept": self.combiner_intercept,
            "threshold": self.threshold,
            "meta": self.meta,
        }
        (directory / f"epitome_{self.name}.json").write_text(
            json.dumps(description, indent=2) + "\n"
        )

    @classmethod
    def load(cls, name: str, directory: Path = MODELS_DIR) -> MechanismModel:
        description = json.loads((directory / f"epitome_{name}.json").read_text())
        if description["n_features"] != N_FEATURES:
            raise ValueError(f"The {name} coach model was trained for a different feature space.")
        with np.load(directory / f"epitome_{name}.npz", allow_pickle=False) as stored:
            parts = {}
            for part in ("reply", "sentence", "strong"):
                coef = np.zeros(N_FEATURES, dtype=np.float32)
                coef[stored[f"{part}_rows"]] = stored[f"{part}_values"]
                parts[part] = Weights(coef, float(stored[f"{part}_intercept"][0]))
            combiner = stored["combiner"].astype(float)
        return cls(
            name=name,
            readers=Readers(parts["reply"], parts["sentence"]),
            combiner=combiner,
            combiner_intercept=float(description["combiner_intercept"]),
            threshold=float(description["threshold"]),
            strong=parts["strong"],
            meta=description["meta"],
        )


def _out_of_fold_scores(examples: Examples, random_state: int) -> np.ndarray:
    shows = (examples.levels > 0).astype(int)
    folds = StratifiedKFold(n_splits=INNER_FOLDS, shuffle=True, random_state=random_state)
    scores = np.zeros((len(shows), 3 + len(CUES)))
    for train, held_out in folds.split(examples.replies, shows):
        part = examples.subset(held_out)
        readers = fit_readers(examples.subset(train))
        scores[held_out] = readers.scores(pair_features(part.messages, part.replies))
    return scores


def _best_threshold(truth: np.ndarray, probability: np.ndarray) -> float:
    ranked = [(f1_score(truth, probability >= t, average="macro"), -t) for t in THRESHOLDS]
    return round(-max(ranked)[1], 2)


def fit_mechanism(name: str, examples: Examples, random_state: int) -> MechanismModel:
    """Fit every step on `examples` only; the combiner and its threshold see out-of-fold
    reader scores, so they learn how far to trust the readers on unseen replies."""
    shows = (examples.levels > 0).astype(int)
    scores = _out_of_fold_scores(examples, random_state)
    combiner = LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced")
    combiner.fit(scores, shows)
    threshold = _best_threshold(shows, combiner.predict_proba(scores)[:, 1])
    positive = np.flatnonzero(shows)
    strong = fit_weights(
        hashed_words([examples.replies[i] for i in positive]),
        (examples.levels[positive] == 2).astype(int),
        REPLY_C,
    )
    return MechanismModel(
        name=name,
        readers=fit_readers(examples),
        combiner=combiner.coef_[0].astype(float),
        combiner_intercept=float(combiner.intercept_[0]),
        threshold=threshold,
        strong=strong,
    )


def cross_validated_levels(name: str, examples: Examples, random_state: int) -> np.ndarray:
    """Outer 5-fold levels: each fold's model (thresholds included) is fitted without it."""
    shows = (examples.levels > 0).astype(int)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=random_state)
    levels = np.zeros(len(shows), dtype=int)
    for train, held_out in folds.split(examples.replies, shows):
        model = fit_mechanism(name, examples.subset(train), random_state)
        part = examples.subset(held_out)
        levels[held_out] = model.levels(part.messages, part.replies)
    return levels
