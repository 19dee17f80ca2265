"""Linear models over the shared hashed features, stored as `.npz` + JSON (never pickle).

Only the hashed rows that carry weight are stored (indices + float16 values), which keeps
models trained on a few thousand texts to a few hundred kilobytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse

from compassion.lens.features import N_FEATURES

MODELS_DIR = Path(__file__).parent / "models"


@dataclass
class LinearModel:
    """Softmax (several classes) or logistic (two classes) scorer.

    `coef` has shape (n_features, n_outputs). For two classes there is one output column
    scoring the second class; `threshold` is the probability above which it is predicted.
    """

    name: str
    classes: list[str]
    coef: np.ndarray
    intercept: np.ndarray
    threshold: float = 0.5
    meta: dict = field(default_factory=dict)

    @property
    def binary(self) -> bool:
        return len(self.classes) == 2

    def decision(self, features: sparse.csr_matrix) -> np.ndarray:
        return np.asarray(features @ self.coef) + self.intercept

    def proba(self, features: sparse.csr_matrix) -> np.ndarray:
        """Class probabilities, shape (n_texts, n_classes)."""
        return self.proba_from_decision(self.decision(features))

    def proba_from_decision(self, scores: np.ndarray) -> np.ndarray:
        if self.binary:
            positive = 1.0 / (1.0 + np.exp(-scores[:, 0]))
            return np.column_stack([1.0 - positive, positive])
        scores = scores - scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    @classmethod
    def from_estimator(
        cls, name: str, estimator, classes: list[str], threshold: float = 0.5, meta=None
    ) -> LinearModel:
        """Wrap a fitted scikit-learn linear classifier (`coef_`, `intercept_`)."""
        coef = np.asarray(estimator.coef_, dtype=np.float32).T
        return cls(
            name=name,
            classes=list(classes),
            coef=coef,
            intercept=np.asarray(estimator.intercept_, dtype=np.float32),
            threshold=threshold,
            meta=dict(meta or {}),
        )

    def save(self, directory: Path = MODELS_DIR) -> None:
        rows = np.flatnonzero(np.abs(self.coef).max(axis=1) > 1e-4).astype(np.int32)
        np.savez_compressed(
            directory / f"{self.name}.npz",
            rows=rows,
            values=self.coef[rows].astype(np.float16),
            intercept=self.intercept.astype(np.float32),
        )
        description = {
            "name": self.name,
            "classes": self.classes,
            "threshold": self.threshold,
            "n_features": N_FEATURES,
            "meta": self.meta,
        }
        (directory / f"{self.name}.json").write_text(json.dumps(description, indent=2) + "\n")

    @classmethod
    def load(cls, name: str, directory: Path = MODELS_DIR) -> LinearModel:
        description = json.loads((directory / f"{name}.json").read_text())
        if description["n_features"] != N_FEATURES:
            raise ValueError(f"Model {name} was trained for a different feature space.")
        with np.load(directory / f"{name}.npz", allow_pickle=False) as stored:
            n_outputs = stored["values"].shape[1]
            coef = np.zeros((N_FEATURES, n_outputs), dtype=np.float32)
            coef[stored["rows"]] = stored["values"]
            intercept = stored["intercept"]
        return cls(
            name=name,
            classes=description["classes"],
            coef=coef,
            intercept=intercept,
            threshold=description["threshold"],
            meta=description["meta"],
        )
