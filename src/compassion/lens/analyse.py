"""Read messages with care: emotion, need for help, risk, theme, campaign and load."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property, lru_cache
from itertools import islice

import numpy as np

from compassion.lens.features import ContentTerms, featurize, featurize_with_terms
from compassion.lens.follow_ups import says_nothing_new
from compassion.lens.linear import LinearModel
from compassion.lens.redact import PersonalData, find_personal_data, redact_spans
from compassion.lens.rules import LIFE_RISK_KINDS, Flag, RuleReading, read_rules
from compassion.lens.themes import THEME_SLUGS, ThemeModel

EMOTIONS = ["distress", "anger", "positive", "neutral"]
MAX_CHARS = 100_000
# Half of a UTF-16 pair on its own (JSON can write one, "\\ud800"): no UTF-8 can hold it.
_SURROGATE = re.compile("[\ud800-\udfff]")
EXPLAIN_CHARS = 600
# The crisis model (`risk_to_life`, trained on disaster SMS) fires on about half of ordinary
# UK letters at its recall-first threshold, so in an analysis it counts only when confident.
CRISIS_CONFIDENCE = 0.8
# `risk_to_life` is recall-first, so most messages it marks are not at risk. From this risk
# score up the reading is confident enough to bring a message forward for a careful read
# (the inbox's "possible risk to life"); `benchmarks/lens_quality.py` reports both levels.
CONFIDENT_RISK_SCORE = 0.55
# Where the writer names their feeling in so many words (`find_feeling_words`: overwhelmed,
# afraid, furious...), the emotion scores move this far towards it, which makes it the
# emotion read.
FEELING_WORDS_WEIGHT = 0.6


@dataclass
class Analysis:
    """What the lens read in one message.

    - `emotion`: the most likely of `distress`, `anger`, `positive`, `neutral`;
      `emotion_scores` their probabilities, from the GoEmotions model and the UK casework
      tone model mixed by how much the text reads like casework (`mixed_emotion_scores`).
      Where the writer names their feeling in so many words ("I can't cope", "I am
      furious"), `emotion_words` holds those words and the scores are blended with
      certainty of that feeling (`FEELING_WORDS_WEIGHT`).
    - `request_for_help` / `risk_to_life`: booleans. `request_for_help` is true when
      `request_score` reaches 0.5 (the higher of the UK casework request model and the
      crisis-message one), a flag is found, or the writer asks for help in so many words
      ("Can you help?", "what can I do?"): `request_words` holds those words.
      `risk_to_life` is true when a life-risk rule fires (self-harm, threat to life,
      domestic abuse, child at risk), the UK casework risk model reaches its threshold, or
      the crisis-message model is confident (`CRISIS_CONFIDENCE`). `risk_score` is the
      casework model's probability, or the crisis model's where that is confident and
      higher; 0 for a chaser that says nothing new (`follow_ups.says_nothing_new`).
    - `flags`: urgent-risk findings, each with the words that triggered it.
    - `theme` / `theme_confidence`: the office taxonomy label (`THEMES`) and its probability.
    - `campaign`: id of the near-duplicate campaign the message belongs to, if any, and
      `personal_lines`: what this sender added to the campaign template.
    - `distress_load`: 0-1, how heavy the message is to read (see `distress_load`).
    - `top_features`: the words that pushed the emotion, theme and help decisions.
    - `redacted_text` (with `redact_text=True`): the text with its personal data replaced
      by its kind; the evidence, the explaining terms and the words of feeling and asking
      are then kept free of personal data too (`keep_personal_data_out`).
    """

    id: str | None
    emotion: str
    emotion_scores: dict[str, float]
    request_for_help: bool
    request_score: float
    risk_to_life: bool
    risk_score: float
    flags: list[Flag]
    theme: str
    theme_confidence: float
    distress_load: float
    top_features: dict[str, list[str]]
    campaign: str | None = None
    personal_lines: list[str] = field(default_factory=list)
    redacted_text: str | None = None
    emotion_words: str | None = None
    request_words: str | None = None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-ready data, as `dataclasses.asdict` gives it but without its slow deep copy."""
        data = dict(vars(self))
        data["emotion_scores"] = dict(self.emotion_scores)
        data["flags"] = [asdict(flag) for flag in self.flags]
        data["top_features"] = {name: list(terms) for name, terms in self.top_features.items()}
        data["personal_lines"] = list(self.personal_lines)
        data["warnings"] = list(self.warnings)
        return data


def keep_personal_data_out(analysis: Analysis, text: str) -> None:
    """For a reading to share: a redacted copy of the text, and no personal data in the
    words quoted as evidence or feeling or asking, nor among the explaining terms."""
    spans = find_personal_data(text)
    found = PersonalData.of(text, spans)
    analysis.redacted_text = redact_spans(text, spans)
    analysis.flags = [replace(flag, evidence=found.scrub(flag.evidence)) for flag in analysis.flags]
    analysis.top_features = {
        name: [term for term in terms if not found.shares_a_word(term)]
        for name, terms in analysis.top_features.items()
    }
    if analysis.emotion_words:
        analysis.emotion_words = found.scrub(analysis.emotion_words)
    if analysis.request_words:
        analysis.request_words = found.scrub(analysis.request_words)


def distress_load(
    emotion_scores: np.ndarray, urgency: np.ndarray, distress_rating: np.ndarray, words: np.ndarray
) -> np.ndarray:
    """How heavy each message is to read, 0-1, used to share distressing casework fairly.

    A blend of the emotion model (`emotion_scores`, rounded, in the order of `EMOTIONS`:
    distress counts fully, anger a little), the urgent-risk flags (`urgency`, see
    `flag_urgency`), the distress rating model trained on Empathic Reactions (1-7, a weak
    signal) and length in words (a long account of hardship takes longer).
    """
    feeling = emotion_scores[:, 0] + 0.4 * emotion_scores[:, 1]
    rating = np.minimum(1.0, np.maximum(0.0, (distress_rating - 2.0) / 4.0))
    length = np.minimum(1.0, words / 400)
    load = 0.4 * feeling + 0.15 * rating + 0.35 * urgency + 0.1 * length
    return round4(np.minimum(1.0, load))


def mixed_emotion_scores(
    goemotions: np.ndarray, casework: np.ndarray, share: np.ndarray
) -> np.ndarray:
    """The emotion scores the lens reads: the GoEmotions model's (Reddit comments) and the
    UK casework tone model's, mixed in each text by its `share`: the casework weight
    chosen in training times the probability that the text is casework. So a comment is
    read much as before, and a constituent's letter mostly by the model of letters."""
    return (1 - share[:, None]) * goemotions + share[:, None] * casework


def flag_urgency(life_risk: np.ndarray, flag_counts: np.ndarray) -> np.ndarray:
    """How urgent each message's flags make it, 0-1: a life-risk flag weighs most, any
    other flag half."""
    return np.where(life_risk, 1.0, np.minimum(1.0, 0.5 * flag_counts))


def round4(values: np.ndarray) -> np.ndarray:
    """Each value as `round(value, 4)` gives it, for a whole array at once (float64).

    Python rounds a float's exact value half to even, then gives the float nearest the
    rounded decimal; so does k / 10,000 for the integer k chosen. Scaling by 10,000 is off
    by far less than 1e-6, which can only matter for a value that lies on a half; those
    few (and any not below 1e4 in size, or not finite) are rounded by Python itself.
    """
    values = np.asarray(values, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        scaled = values * 10_000
        rounded = np.rint(scaled) / 10_000
        doubtful = ~(np.abs(scaled - np.floor(scaled) - 0.5) >= 1e-6) | ~(np.abs(values) < 1e4)
    for index in zip(*np.nonzero(doubtful), strict=True):
        rounded[index] = round(float(values[index]), 4)
    return rounded


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a batch is read, then restore it.

    Reading a batch makes tens of thousands of small lists and dicts, none of them in a
    reference cycle, so reference counting frees them all; the collector would only walk
    them, and everything else alive, again and again (a sixth of the time on short texts,
    measured with `benchmarks/lens_speed.py`). It is not turned on if it was already off.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


@lru_cache(maxsize=1)
def shipped_models() -> dict[str, LinearModel]:
    """The shipped models, loaded once per process and shared by every `Lens` (an office's
    lens differs only in its theme model)."""
    names = [
        "emotion",
        "casework_emotion",
        "casework_domain",
        "request_for_help",
        "casework_request",
        "risk_to_life",
        "distress",
        "casework_risk",
    ]
    return {name: LinearModel.load(name) for name in names}


class Lens:
    """Loads the shipped models once (lazily) and analyses batches of texts.

    Pass a fitted `ThemeModel` to use an office's own theme corrections.
    """

    def __init__(self, theme_model: ThemeModel | None = None) -> None:
        self._theme_model = theme_model

    @cached_property
    def theme_model(self) -> ThemeModel:
        return self._theme_model or ThemeModel().fit()

    @property
    def models(self) -> dict[str, LinearModel]:
        return shipped_models()

    @property
    def casework_weight(self) -> float:
        """How far the casework tone model counts in a text that is surely casework."""
        return self.models["casework_emotion"].meta["casework_weight"]

    @cached_property
    def _stacked(self) -> tuple[np.ndarray, np.ndarray, dict[str, slice]]:
        """All models' weights side by side, so one product scores every model; and each
        model's columns, by name (the theme model's are "themes")."""
        models = {**self.models, "themes": self.theme_model.model_}
        slices, position = {}, 0
        for name, model in models.items():
            width = model.coef.shape[1]
            slices[name] = slice(position, position + width)
            position += width
        coef = np.hstack([model.coef for model in models.values()])
        intercept = np.concatenate([model.intercept for model in models.values()])
        return coef, intercept, slices

    def _emotion_decisions(
        self, readings: Sequence[RuleReading], scores: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The two emotion models' decision values, read without the writer's courtesy
        (`RuleReading.plain`): "Many thanks for any help you can give" is not joy. Only the
        few texts that have some are vectorised again."""
        coef, intercept, slices = self._stacked
        goemotions = scores[:, slices["emotion"]].copy()
        casework_tone = scores[:, slices["casework_emotion"]].copy()
        plain = [(row, reading.plain) for row, reading in enumerate(readings) if reading.plain]
        if plain:
            rows, kept = zip(*plain, strict=True)
            again = np.asarray(featurize(list(kept)) @ coef) + intercept
            goemotions[list(rows)] = again[:, slices["emotion"]]
            casework_tone[list(rows)] = again[:, slices["casework_emotion"]]
        return goemotions, casework_tone

    def analyse(
        self,
        texts: Sequence[str],
        ids: Sequence[str | None] | None = None,
        redact_text: bool = False,
        explain: bool = True,
    ) -> list[Analysis]:
        """One `Analysis` per text, in order. Texts over `MAX_CHARS` are read up to it."""
        if not texts:
            return []
        with cycle_collection_paused():
            return self._read(texts, ids, redact_text, explain)

    def _read(
        self,
        texts: Sequence[str],
        ids: Sequence[str | None] | None,
        redact_text: bool,
        explain: bool,
    ) -> list[Analysis]:
        ids = list(ids) if ids is not None else [None] * len(texts)
        warnings = [[] for _ in texts]
        clipped = []
        for text, notes in zip(texts, warnings, strict=True):
            if len(text) > MAX_CHARS:
                notes.append(f"Only the first {MAX_CHARS:,} of {len(text):,} characters were read.")
                text = text[:MAX_CHARS]
            if not text.isascii() and _SURROGATE.search(text):
                notes.append("Characters that are not valid Unicode were replaced.")
                text = _SURROGATE.sub("\ufffd", text)
            clipped.append(text)
        if explain:
            features, terms = featurize_with_terms(clipped, EXPLAIN_CHARS)
        else:
            features = featurize(clipped)
        coef, intercept, slices = self._stacked
        scores = np.asarray(features @ coef) + intercept

        def probability(name: str) -> np.ndarray:
            return self.models[name].proba_from_decision(scores[:, slices[name]])

        casework_share = self.casework_weight * probability("casework_domain")[:, 1]
        readings = [read_rules(text) for text in clipped]
        goemotions, casework_tone = self._emotion_decisions(readings, scores)
        emotion = self.models["emotion"].proba_from_decision(
            mixed_emotion_scores(goemotions, casework_tone, casework_share)
        )
        flags = [reading.flags for reading in readings]
        for row, reading in enumerate(readings):
            if reading.feeling:
                emotion[row] *= 1 - FEELING_WORDS_WEIGHT
                emotion[row, EMOTIONS.index(reading.feeling[0])] += FEELING_WORDS_WEIGHT
        emotion_words = [reading.feeling[1] if reading.feeling else None for reading in readings]
        request_words = [reading.asks for reading in readings]
        request = np.maximum(
            probability("request_for_help")[:, 1], probability("casework_request")[:, 1]
        )
        crisis = probability("risk_to_life")[:, 1]
        distress = scores[:, slices["distress"]][:, 0]
        casework = probability("casework_risk")[:, 1]
        crisis = np.where(crisis >= CRISIS_CONFIDENCE, crisis, 0.0)
        life = (casework >= self.models["casework_risk"].threshold) | (crisis > 0)
        for row in np.flatnonzero(life):  # a chaser's few words say nothing of risk
            if not readings[row].flags and says_nothing_new(clipped[row]):
                casework[row] = crisis[row] = life[row] = 0
        risk = np.maximum(casework, crisis)
        if self.theme_model.corrected_features_ is None:
            themes = self.theme_model.model_.proba_from_decision(scores[:, slices["themes"]])
        else:
            themes = self.theme_model.predict_proba(clipped, features)
        best_emotions = emotion.argmax(axis=1)
        best_themes = themes.argmax(axis=1)
        theme_confidences = themes[np.arange(len(clipped)), best_themes]
        if explain:
            explanations = self._explain(
                terms, len(clipped), best_emotions, best_themes, casework_share
            )
            for explanation, feeling, asks in zip(
                explanations, emotion_words, request_words, strict=True
            ):
                _put_first(explanation, "emotion", feeling)
                _put_first(explanation, "request_for_help", asks)
        else:
            explanations = [{} for _ in clipped]
        life_flag = np.array(
            [any(flag.kind in LIFE_RISK_KINDS for flag in found) for found in flags], dtype=bool
        )
        urgency = flag_urgency(life_flag, np.array([len(found) for found in flags]))
        emotion_scores = round4(emotion)
        words = np.array([text.count(" ") + 1 for text in clipped])
        loads = distress_load(emotion_scores, urgency, distress.astype(np.float64), words)
        # Python numbers from whole columns at once (`tolist`) rather than one by one.
        rows = zip(
            ids,
            clipped,
            flags,
            emotion_scores.tolist(),
            best_emotions.tolist(),
            request.tolist(),
            round4(request).tolist(),
            round4(risk).tolist(),
            (life | life_flag).tolist(),
            best_themes.tolist(),
            round4(theme_confidences).tolist(),
            loads.tolist(),
            explanations,
            emotion_words,
            request_words,
            warnings,
            strict=True,
        )
        analyses = [
            Analysis(
                id=identifier,
                emotion=EMOTIONS[best_emotion],
                emotion_scores=dict(zip(EMOTIONS, scores, strict=True)),
                request_for_help=request_score >= 0.5 or bool(found) or bool(asks),
                request_score=rounded_request,
                risk_to_life=risk_to_life,
                risk_score=risk_score,
                flags=found,
                theme=THEME_SLUGS[theme],
                theme_confidence=theme_confidence,
                distress_load=load,
                top_features=explanation,
                emotion_words=words,
                request_words=asks,
                warnings=notes,
            )
            for (
                identifier,
                text,
                found,
                scores,
                best_emotion,
                request_score,
                rounded_request,
                risk_score,
                risk_to_life,
                theme,
                theme_confidence,
                load,
                explanation,
                words,
                asks,
                notes,
            ) in rows
        ]
        if redact_text:
            for analysis, text in zip(analyses, clipped, strict=True):
                keep_personal_data_out(analysis, text)
        return analyses

    def _explain(
        self,
        terms: ContentTerms,
        count: int,
        emotions: np.ndarray,
        themes: np.ndarray,
        casework_share: np.ndarray,
    ) -> list[dict[str, list[str]]]:
        """For each of `count` texts, the words and word pairs with the largest weights
        towards each decision (its emotion, its theme, help, risk to life).

        Only the first `EXPLAIN_CHARS` characters are explained (`terms`), which keeps long
        emails fast. The terms of the whole batch are weighed in one go rather than text by
        text.
        """
        owner, rows = terms.owners, terms.rows
        share = casework_share[owner]
        weights = {
            "emotion": (1 - share) * self.models["emotion"].coef[rows, emotions[owner]]
            + share * self.models["casework_emotion"].coef[rows, emotions[owner]],
            "theme": self.theme_model.model_.coef[rows, themes[owner]],
            "request_for_help": self.models["casework_request"].coef[rows, 0],
            "risk_to_life": self.models["casework_risk"].coef[rows, 0],
        }
        has_terms = np.bincount(owner, minlength=count) > 0
        explained = [{name: [] for name in weights} if has else {} for has in has_terms.tolist()]
        for name, weight in weights.items():
            chosen = _heaviest(weight, owner)
            for text, term in zip(owner[chosen].tolist(), terms.spell(chosen), strict=True):
                explained[text][name].append(term)
        return explained


def _put_first(explanation: dict[str, list[str]], decision: str, words: str | None) -> None:
    """Put the writer's own words (found by a rule) first among the terms behind a
    decision, keeping three in all."""
    if words:
        explanation[decision] = [words, *explanation.get(decision, [])][:3]


def _heaviest(weights: np.ndarray, owners: np.ndarray, count: int = 3) -> np.ndarray:
    """Per owner, the indices of its `count` largest positive weights, largest first.

    `owners` must be in ascending order. The whole batch is sorted at once, which leaves
    equal weights in no set order; so where equal weights decide which terms are chosen or
    their order, that owner's weights are ranked on their own with `np.argsort`, as
    explanations always were, and they stay the same.
    """
    positive = np.flatnonzero(weights > 0)
    # Positive float32 numbers order like their bit patterns read as integers, so one
    # integer per term sorts by owner, then heaviest first, in a single fast sort.
    bits = weights[positive].astype(np.float32).view(np.int32)
    order = positive[np.argsort((owners[positive] << 32) - bits)]
    ranked, ranked_owners = weights[order], owners[order]
    rank = np.arange(len(order)) - np.searchsorted(ranked_owners, ranked_owners)
    chosen = rank < count
    tied = chosen[:-1] & (ranked[:-1] == ranked[1:]) & (ranked_owners[:-1] == ranked_owners[1:])
    tied_owners = np.unique(ranked_owners[:-1][tied])
    ranked_alone = []
    for start, end in zip(
        np.searchsorted(owners, tied_owners).tolist(),
        np.searchsorted(owners, tied_owners, side="right").tolist(),
        strict=True,
    ):
        own = weights[start:end]
        ranked_alone += [start + i for i in np.argsort(-own)[:count].tolist() if own[i] > 0]
    chosen &= ~np.isin(ranked_owners, tied_owners)
    return np.concatenate([order[chosen], np.array(ranked_alone, dtype=np.int64)])


_DEFAULT_LENS: Lens | None = None


def default_lens() -> Lens:
    """A process-wide `Lens` with the shipped models."""
    global _DEFAULT_LENS
    if _DEFAULT_LENS is None:
        _DEFAULT_LENS = Lens()
    return _DEFAULT_LENS


def analyse_texts(
    texts: Iterable[str],
    ids: Iterable[str | None] | None = None,
    lens: Lens | None = None,
    redact_text: bool = False,
    explain: bool = True,
    batch_size: int = 1000,
) -> Iterator[Analysis]:
    """Analyse a stream of texts in batches; yields one `Analysis` per text, in order.

    Memory stays flat however long the stream. Campaigns need the whole collection: see
    `find_campaigns`, or the `analyse` command, which fills in `campaign` for each message.
    """
    lens = lens or default_lens()
    texts = iter(texts)
    ids = iter(ids) if ids is not None else None
    while batch := list(islice(texts, batch_size)):
        batch_ids = [next(ids) for _ in batch] if ids is not None else None
        yield from lens.analyse(batch, batch_ids, redact_text=redact_text, explain=explain)
