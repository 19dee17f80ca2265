"""Office themes: classify into the shared taxonomy, learn from staff corrections, and
discover emerging themes among messages that do not fit.

There is no public labelled UK casework set, so the shipped classifier is trained on a
hand-written seed set (`data/theme_seed.tsv`). Each office improves it with its own
corrections: plain (text, theme) pairs that the app stores and passes in.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

from compassion.lens.features import N_FEATURES, featurize
from compassion.lens.linear import LinearModel

THEMES: dict[str, str] = {
    "housing": "Housing",
    "benefits": "Benefits",
    "health": "Health and care",
    "immigration": "Immigration",
    "education": "Education",
    "transport": "Transport",
    "crime": "Crime and antisocial behaviour",
    "environment": "Environment",
    "local_services": "Local services",
    "tax_money": "Tax and money",
    "other": "Other",
}
THEME_SLUGS = list(THEMES)
SEED_SET = Path(__file__).parent / "data" / "theme_seed.tsv"
KEYWORDS = Path(__file__).parent / "data" / "theme_keywords.tsv"
BLIND_SET = Path(__file__).parent / "data" / "theme_blind.tsv"
THEME_C = 10.0


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def load_seed_set() -> tuple[list[str], list[str]]:
    """The hand-written seed messages and their themes."""
    rows = read_tsv(SEED_SET)
    return [r["text"] for r in rows], [r["theme"] for r in rows]


def load_blind_set() -> tuple[list[str], list[str]]:
    """Messages written after the seed set was frozen, used only to score the model."""
    rows = read_tsv(BLIND_SET)
    return [r["text"] for r in rows], [r["theme"] for r in rows]


def load_keywords() -> tuple[list[str], list[str]]:
    """One keyword list per theme, used as an extra training row for each theme."""
    rows = read_tsv(KEYWORDS)
    return [r["keywords"] for r in rows], [r["theme"] for r in rows]


def training_set() -> tuple[list[str], list[str]]:
    """Seed messages plus the keyword rows."""
    texts, themes = load_seed_set()
    keyword_texts, keyword_themes = load_keywords()
    return texts + keyword_texts, themes + keyword_themes


@dataclass
class ThemeModel:
    """Theme classifier for one office, adjusted by that office's corrections.

    `fit(corrections)` refits the linear model on the seed set plus the corrections
    (weighted `correction_weight` times), and remembers the corrected texts: a new message
    whose cosine similarity to a corrected one reaches `neighbour_similarity` takes that
    correction's theme, so a caseworker's fix applies at once to near-identical messages.
    """

    correction_weight: float = 3.0
    neighbour_similarity: float = 0.6
    random_state: int = 0

    def fit(self, corrections: Iterable[tuple[str, str]] = ()) -> ThemeModel:
        pairs = [(text, theme) for text, theme in corrections if theme in THEMES]
        self.n_corrections_ = len(pairs)
        if not pairs:
            self.model_ = LinearModel.load("themes")
            self.corrected_features_ = None
            self.corrected_themes_ = []
            return self
        seed_texts, seed_themes = training_set()
        weights = [1.0] * len(seed_texts) + [self.correction_weight] * len(pairs)
        self.model_ = fit_theme_model(
            seed_texts + [text for text, _ in pairs],
            seed_themes + [theme for _, theme in pairs],
            weights,
            start=LinearModel.load("themes"),
            random_state=self.random_state,
        )
        self.corrected_features_ = featurize([text for text, _ in pairs])
        self.corrected_themes_ = [theme for _, theme in pairs]
        return self

    def predict_proba(self, texts: Sequence[str], features=None) -> np.ndarray:
        """Probabilities over `THEME_SLUGS`, shape (n_texts, 11)."""
        features = featurize(texts) if features is None else features
        probabilities = self.model_.proba(features)
        if self.corrected_features_ is not None:
            similarity = (features @ self.corrected_features_.T).toarray()
            nearest = similarity.argmax(axis=1)
            for row, column in enumerate(nearest):
                if similarity[row, column] >= self.neighbour_similarity:
                    probabilities[row] = 0.0
                    theme = self.corrected_themes_[column]
                    probabilities[row, THEME_SLUGS.index(theme)] = similarity[row, column]
        return probabilities

    def predict(self, texts: Sequence[str], features=None) -> list[tuple[str, float]]:
        """(theme, confidence) for each text."""
        probabilities = self.predict_proba(texts, features)
        best = probabilities.argmax(axis=1)
        return [
            (THEME_SLUGS[i], round(float(p[i]), 4))
            for i, p in zip(best, probabilities, strict=True)
        ]


def fit_theme_model(
    texts: Sequence[str],
    themes: Sequence[str],
    weights: Sequence[float] | None = None,
    start: LinearModel | None = None,
    random_state: int = 0,
) -> LinearModel:
    """A logistic regression over the shared hashed features, as a `LinearModel`.

    It is fitted on the feature columns the texts use only (a column no text uses keeps a
    zero weight anyway, and the full hashed space is much slower); `start`, when given, is
    a model whose weights the fit starts from, so a refit after a correction is quick.
    """
    labels = np.array([THEME_SLUGS.index(theme) for theme in themes])
    features = featurize(texts)
    used = np.unique(features.indices)
    estimator = LogisticRegression(
        C=THEME_C, max_iter=3000, warm_start=start is not None, random_state=random_state
    )
    if start is not None:
        estimator.coef_ = start.coef[used].T.astype(np.float64)
        estimator.intercept_ = start.intercept.astype(np.float64)
    sample_weight = None if weights is None else np.asarray(weights, dtype=np.float64)
    estimator.fit(features[:, used], labels, sample_weight=sample_weight)
    return _expand_to_all_themes(estimator, used)


def _expand_to_all_themes(estimator: LogisticRegression, used: np.ndarray) -> LinearModel:
    """A LinearModel over the full feature space and all 11 themes; themes with no
    training rows get a prohibitive intercept."""
    coef = np.zeros((N_FEATURES, len(THEME_SLUGS)), dtype=np.float32)
    intercept = np.full(len(THEME_SLUGS), -30.0, dtype=np.float32)
    for position, label in enumerate(estimator.classes_):
        coef[used, label] = estimator.coef_[position]
        intercept[label] = estimator.intercept_[position]
    return LinearModel("themes", THEME_SLUGS, coef, intercept)


@dataclass
class CorrectionReport:
    total: int
    corrected: int
    rate: float
    by_theme: dict[str, float] = field(default_factory=dict)


def correction_rate(decisions: Iterable[tuple[str, str]]) -> CorrectionReport:
    """How often staff changed the predicted theme.

    `decisions` holds (predicted theme, final theme after staff review) pairs; `by_theme`
    gives the correction rate per predicted theme.
    """
    totals: dict[str, int] = {}
    changed: dict[str, int] = {}
    for predicted, final in decisions:
        totals[predicted] = totals.get(predicted, 0) + 1
        changed[predicted] = changed.get(predicted, 0) + int(predicted != final)
    total, corrected = sum(totals.values()), sum(changed.values())
    return CorrectionReport(
        total=total,
        corrected=corrected,
        rate=round(corrected / total, 4) if total else 0.0,
        by_theme={theme: round(changed[theme] / totals[theme], 4) for theme in sorted(totals)},
    )


@dataclass
class DiscoveredTheme:
    """An emerging theme: its key terms, the messages that share it (with how strongly
    each one weighs on it, in the same order), and 3 typical quotes."""

    key_terms: list[str]
    members: list[int]
    quotes: list[str]
    weights: list[float] = field(default_factory=list)

    @property
    def label(self) -> str:
        return ", ".join(self.key_terms[:3])


def word_and_character_tfidf(texts: Sequence[str]) -> sparse.csr_matrix:
    """TF-IDF over words (stop words left out) and character 3-5-grams inside words, side
    by side, rows L2-normalised.

    The character n-grams let "ban", "banned" and "banning" or "advert" and "advertising"
    meet, which matters when a short answer is compared with a theme's description.
    """
    words = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    characters = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    matrix = sparse.hstack([words.fit_transform(texts), characters.fit_transform(texts)])
    return normalize(matrix.tocsr())


def discover_themes(
    texts: Sequence[str],
    n_themes: int | None = None,
    min_share: float = 0.35,
    random_state: int = 0,
) -> list[DiscoveredTheme]:
    """Group `texts` into emerging themes with non-negative matrix factorisation.

    A text belongs to every theme whose weight is at least `min_share` of its strongest
    theme (responses often raise several points). Each theme's key terms are its heaviest
    words and its quotes the 3 texts that weigh most on it. Themes are returned largest
    first.
    """
    texts = list(texts)
    if len(texts) < 4:
        return []
    n_themes = n_themes or max(2, min(12, round(len(texts) ** 0.5 / 1.5)))
    vectorizer = TfidfVectorizer(
        stop_words="english", ngram_range=(1, 2), min_df=2, sublinear_tf=True
    )
    matrix = vectorizer.fit_transform(texts)
    if matrix.shape[1] < n_themes:
        return []
    terms = vectorizer.get_feature_names_out()
    factoriser = NMF(n_components=n_themes, init="nndsvda", random_state=random_state, max_iter=500)
    # On texts it fits almost exactly, scikit-learn's reconstruction error (unused here) is
    # the square root of a rounding error below zero, which numpy warns of.
    with np.errstate(invalid="ignore"):
        weights = factoriser.fit_transform(matrix)
    strongest = weights.max(axis=1, keepdims=True)
    belongs = (weights >= min_share * strongest) & (strongest > 0)
    themes = []
    for component in range(n_themes):
        members = np.flatnonzero(belongs[:, component])
        if len(members) == 0:
            continue
        key_terms = [str(terms[i]) for i in factoriser.components_[component].argsort()[::-1][:6]]
        typical = members[np.argsort(-weights[members, component])][:3]
        quotes = [texts[i] for i in typical]
        member_weights = [round(float(w), 4) for w in weights[members, component]]
        themes.append(DiscoveredTheme(key_terms, members.tolist(), quotes, member_weights))
    return sorted(themes, key=lambda theme: -len(theme.members))


def map_to_themes(
    texts: Sequence[str], theme_descriptions: Sequence[str], min_share: float = 0.6
) -> list[list[int]]:
    """Map each text to the described themes it is most similar to (cosine over
    `word_and_character_tfidf`).

    A description is short and worded unlike the answers, so each theme is first read as
    its description plus the mean of the texts closest to it (one round of relevance
    feedback, after Rocchio): the words people use for a theme join the words that describe
    it. A text then maps to its most similar theme and to any other whose similarity is at
    least `min_share` of that best one; a text that shares nothing with any theme maps to
    none.
    """
    texts = list(texts)
    matrix = word_and_character_tfidf(texts + list(theme_descriptions))
    answers, themes = matrix[: len(texts)], matrix[len(texts) :]
    similarity = (answers @ themes.T).toarray()
    similarity = answers @ _with_closest_texts(themes, answers, similarity).T
    mapped = []
    for row in np.asarray(similarity):
        best = row.max()
        mapped.append([] if best <= 0 else np.flatnonzero(row >= min_share * best).tolist())
    return mapped


def _with_closest_texts(
    themes: sparse.csr_matrix, texts: sparse.csr_matrix, similarity: np.ndarray
) -> np.ndarray:
    """Each theme's vector plus the unit mean of the texts most similar to it, normalised."""
    closest = similarity.argmax(axis=1)
    shares_words = similarity.max(axis=1) > 0
    centroids = themes.toarray()
    for theme in range(centroids.shape[0]):
        members = texts[(closest == theme) & shares_words]
        if members.shape[0]:
            mean = np.asarray(members.mean(axis=0))[0]
            centroids[theme] += mean / np.linalg.norm(mean)
    norms = np.linalg.norm(centroids, axis=1, keepdims=True)
    return centroids / np.where(norms > 0, norms, 1.0)  # an empty description stays empty
