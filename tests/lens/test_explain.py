"""Explanations and results computed for a whole batch at once are what reading each text
on its own gives."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import numpy as np

import compassion.lens
from compassion.lens.analyse import EMOTIONS, EXPLAIN_CHARS, Lens, default_lens
from compassion.lens.features import featurize, term_rows
from compassion.lens.themes import THEME_SLUGS
from tests.lens.reference import content_terms

PACKAGE_DATA = Path(compassion.lens.__file__).parent / "data"


def _texts() -> list[str]:
    texts = []
    for name in ("theme_seed.tsv", "uk_risk_messages.tsv"):
        with (PACKAGE_DATA / name).open(encoding="utf-8", newline="") as handle:
            texts += [row["text"] for row in csv.DictReader(handle, delimiter="\t")]
    long = " ".join(texts[:40])
    return texts + [long, long[: EXPLAIN_CHARS + 7], "", "a the of", "😡 help!!", "İİ evicted"]


def explain_alone(lens: Lens, text: str, emotion: str, theme: str) -> dict[str, list[str]]:
    """The explanation of one text on its own: each decision's three heaviest positive terms."""
    terms = content_terms(text[:EXPLAIN_CHARS])
    if not terms:
        return {}
    rows = term_rows(terms)
    casework = lens.casework_weight * lens.models["casework_domain"].proba(featurize([text]))[0, 1]
    column = EMOTIONS.index(emotion)
    columns = {
        "emotion": (1 - casework) * lens.models["emotion"].coef[rows, column]
        + casework * lens.models["casework_emotion"].coef[rows, column],
        "theme": lens.theme_model.model_.coef[rows, THEME_SLUGS.index(theme)],
        "request_for_help": lens.models["casework_request"].coef[rows, 0],
        "risk_to_life": lens.models["casework_risk"].coef[rows, 0],
    }
    return {
        name: [terms[i] for i in np.argsort(-weights)[:3] if weights[i] > 0]
        for name, weights in columns.items()
    }


def test_batch_explanations_are_those_of_each_text_alone():
    lens = default_lens()
    texts = _texts()
    analyses = lens.analyse(texts)
    explained = 0
    for text, analysis in zip(texts, analyses, strict=True):
        expected = explain_alone(lens, text, analysis.emotion, analysis.theme)
        # The writer's own words of feeling, and of asking for help, come first.
        if analysis.emotion_words:
            expected["emotion"] = [analysis.emotion_words, *expected.get("emotion", [])][:3]
        if analysis.request_words:
            words = [analysis.request_words, *expected.get("request_for_help", [])][:3]
            expected["request_for_help"] = words
        assert analysis.top_features == expected, text
        explained += bool(expected)
    assert explained > len(texts) * 0.9


def test_it_explains_nothing_when_asked_not_to():
    analyses = default_lens().analyse(["I am frightened", "Thanks"], explain=False)
    assert [a.top_features for a in analyses] == [{}, {}]
    assert analyses[0].top_features is not analyses[1].top_features


def test_to_dict_gives_what_dataclasses_asdict_gives():
    [analysis] = default_lens().analyse(
        ["The bailiffs come tomorrow and my husband hits me."], ["a1"], redact_text=True
    )
    analysis.personal_lines = ["my own line"]
    assert analysis.flags
    data = analysis.to_dict()
    assert data == dataclasses.asdict(analysis)
    assert list(data) == [f.name for f in dataclasses.fields(analysis)]
    data["flags"][0]["kind"] = "changed"
    data["top_features"]["emotion"].append("changed")
    assert analysis.flags[0].kind != "changed"
    assert "changed" not in analysis.top_features["emotion"]
