"""Quality of the shipped lens models against the targets and baselines of issue 4.

- Emotion: macro-F1 on the GoEmotions dev split for the shipped model, a TF-IDF + logistic
  regression baseline (trained here on GoEmotions train) and VADER-based rules; the same
  dev comments set among neutral ones with a greeting and sign-off (emotion in letters);
  and the tone the lens reads in the urgent UK casework messages.
- EPITOME, request for help, risk to life: the 5-fold cross-validated scores recorded at
  training time (these sets have no separate train split here).
- UK casework risk: the hand-written training sets and the blind sets `uk_risk_blind_2.tsv`
  and `uk_risk_blind_3.tsv` (never trained on), with the blind misses listed.
- Tone of UK casework: the blind hand-written set `tone_blind.tsv`, read by the lens, by
  the GoEmotions model alone (recorded at training) and by VADER-based rules.
- Asking for help: the blind hand-written set `asks_for_help_blind.tsv`, read by the
  writer's asking words alone, by the request models alone, and by the lens as it reads
  (models, a flag or the asking words).
- Redaction: precision and recall on the hand-labelled sets, with what each missed and
  what it removed wrongly.

Run: .venv/bin/python benchmarks/lens_quality.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from compassion.lens import Lens
from compassion.lens.evaluate import (
    RiskScores,
    asking_for_help_scores,
    casework_risk_scores,
    read_marked_lines,
    redaction_scores,
)
from compassion.lens.linear import MODELS_DIR
from compassion.lens.train import (
    CASEWORK_BLIND_SETS,
    CASEWORK_DIR,
    CASEWORK_SETS,
    EMOTIONS,
    FOLLOW_UP_SET,
    RISK_LABELLED_SETS,
    TONE_BLIND_SET,
    read_goemotions,
    read_tone,
    read_tsv,
)

TESTS = Path(__file__).parent.parent / "tests" / "lens" / "data"
_SHOUTING = re.compile(r"!|\b[A-Z]{3,}\b")


def vader_emotion(analyser: SentimentIntensityAnalyzer, text: str) -> int:
    """Positive above +0.05, neutral in between, and a negative text is anger when it
    shouts (an exclamation mark or a word in capitals), otherwise distress."""
    compound = analyser.polarity_scores(text)["compound"]
    if compound >= 0.05:
        return EMOTIONS.index("positive")
    if compound > -0.05:
        return EMOTIONS.index("neutral")
    return EMOTIONS.index("anger" if _SHOUTING.search(text) else "distress")


def emotion_scores(data: Path) -> None:
    train = read_goemotions(data / "goemotions" / "ekman_train.tsv")
    dev = read_goemotions(data / "goemotions" / "ekman_dev.tsv")
    lens = Lens()
    shipped = [EMOTIONS.index(a.emotion) for a in lens.analyse(dev.texts, explain=False)]
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    baseline = LogisticRegression(C=4.0, max_iter=3000, class_weight="balanced")
    baseline.fit(vectorizer.fit_transform(train.texts), train.labels)
    tfidf = baseline.predict(vectorizer.transform(dev.texts))
    analyser = SentimentIntensityAnalyzer()
    vader = [vader_emotion(analyser, text) for text in dev.texts]
    print(f"Emotion, GoEmotions dev ({len(dev.texts):,} single-label rows), macro-F1:")
    for name, predicted in [("lens", shipped), ("TF-IDF + LR", tfidf), ("VADER rules", vader)]:
        print(f"  {name:12} {f1_score(dev.labels, predicted, average='macro'):.4f}")
    print("  target 0.70")
    neutral = [t for t, label in zip(dev.texts, dev.labels, strict=True) if label == 3]
    letters = as_letters(dev.texts, neutral)
    in_letters = [
        ("lens", [EMOTIONS.index(a.emotion) for a in lens.analyse(letters, explain=False)]),
        ("TF-IDF + LR", baseline.predict(vectorizer.transform(letters))),
        ("VADER rules", [vader_emotion(analyser, text) for text in letters]),
    ]
    print("Emotion in letters (each dev comment among 2 to 4 neutral dev comments, with a")
    print("greeting and a sign-off; the label is the comment's), macro-F1:")
    for name, predicted in in_letters:
        print(f"  {name:12} {f1_score(dev.labels, predicted, average='macro'):.4f}")


def as_letters(texts: list[str], neutral: list[str], seed: int = 0) -> list[str]:
    """Each text set inside a short letter of neutral sentences, as a constituent's message
    surrounds what they feel with the facts of their case."""
    rng = random.Random(seed)
    letters = []
    for text in texts:
        before = rng.sample(neutral, rng.randint(1, 2))
        after = rng.sample(neutral, rng.randint(1, 2))
        body = " ".join([*before, text, *after])
        letters.append(f"Dear Alice,\n\n{body}\n\nKind regards,\nJoan Smith")
    return letters


def casework_tone() -> None:
    """How the lens reads the tone of the hand-written UK casework messages that carry an
    urgent kind (no emotion labels exist for them: a check on the domain, not a score)."""
    texts = [
        row["text"]
        for name in (*CASEWORK_SETS, *CASEWORK_BLIND_SETS)
        for row in read_tsv(CASEWORK_DIR / name)
        if row["kind"] != "none"
    ]
    readings = Lens().analyse(texts, explain=False)
    counts = Counter(a.emotion for a in readings)
    said = sum(a.emotion_words is not None for a in readings)
    shares = ", ".join(f"{e} {counts[e]}" for e in EMOTIONS)
    print(f"Tone of {len(texts)} urgent UK casework messages: {shares}; words of feeling: {said}")


def recorded_scores() -> None:
    meta = {
        p.stem: json.loads(p.with_suffix(".json").read_text())["meta"]
        for p in MODELS_DIR.glob("*.npz")
    }
    print("EPITOME, 5-fold CV binary macro-F1 (target / baseline):")
    for name, target, baseline in [
        ("emotional_reaction", 0.80, 0.77),
        ("interpretation", 0.84, 0.80),
        ("exploration", 0.87, 0.84),
    ]:
        score = meta[f"epitome_{name}"]["cv5_binary_macro_f1"]
        print(f"  {name:20} {score:.4f}  ({target} / {baseline})")
    request = meta["request_for_help"]
    print(
        "Request for help, disaster response, nested 5-fold CV (C chosen in the training "
        f"folds, threshold 0.5) macro-F1: {request['cv5_macro_f1']:.4f} "
        "(target 0.84, baseline 0.82)"
    )
    risk = meta["risk_to_life"]
    print(
        "Risk to life, disaster response, nested 5-fold CV (model or rules; C and threshold "
        f"chosen in the training folds): recall {risk['cv5_recall']:.4f}, precision "
        f"{risk['cv5_precision']:.4f} (target recall 0.85 at precision 0.40; baseline "
        "recall 0.48)"
    )


def casework_scores() -> None:
    """Scores on the hand-written sets. The shipped casework model was trained on the
    training sets, so only the blind sets (never trained on, each written before any model
    or rule was run on it) are a fair estimate; they are scored live through the whole lens."""
    for name in (*CASEWORK_SETS, *CASEWORK_BLIND_SETS):
        scores = casework_risk_scores(CASEWORK_DIR / name)
        blind = name in CASEWORK_BLIND_SETS
        print(
            f"UK casework risk, {name} ({scores.positives} risky, {scores.negatives} not, "
            f"{'BLIND' if blind else 'seen in training'}): risk-to-life recall "
            f"{scores.risk_recall:.4f}, flag recall {scores.flag_recall:.4f}, false alarms "
            f"on hard negatives {scores.false_alarm_rate:.4f}; confident reading: recall "
            f"{scores.confident_recall:.4f}, false alarms {scores.confident_false_alarm_rate:.4f}"
        )
        if blind:
            for text in scores.missed:
                print(f"  missed on the blind set: {text}")
    meta = json.loads((MODELS_DIR / "casework_risk.json").read_text())["meta"]
    print(
        f"UK casework risk, all blind sets ({', '.join(meta['blind_sets'])}; "
        f"{meta['blind_rows']} rows, {meta['blind_life_risk_rows']} life-risk), recorded at "
        f"training (model or rules, threshold {meta['threshold']}): recall "
        f"{meta['blind_recall_model_or_rules']:.4f} (target 0.95), precision "
        f"{meta['blind_precision_model_or_rules']:.4f}, false alarms "
        f"{meta['blind_false_alarms_model_or_rules']:.4f}; rules alone "
        f"{meta['blind_recall_rules_only']:.4f}"
    )
    for name, figures in meta["blind_by_set"].items():
        print(
            f"  {name}: recall {figures['recall']:.4f}, precision {figures['precision']:.4f}, "
            f"false alarms {figures['false_alarms']:.4f}"
        )


def ordinary_casework_risk() -> None:
    """Risk readings on ordinary casework: the theme, asks and tone sets, whose messages were
    also labelled with their urgent risk and were never trained on by the risk models.
    Few of them are at risk, so their false alarms are those an office would see. Then the
    follow-ups to open cases (chasers), read the same way."""
    print("Risk in ordinary UK casework (never trained on by the risk models):")
    total = RiskScores()
    for name in RISK_LABELLED_SETS:
        scores = casework_risk_scores(CASEWORK_DIR / name)
        print_ordinary_risk(name, scores)
        total += scores
    print_ordinary_risk("all together", total)
    print_ordinary_risk(FOLLOW_UP_SET, casework_risk_scores(CASEWORK_DIR / FOLLOW_UP_SET))


def print_ordinary_risk(name: str, scores: RiskScores) -> None:
    print(
        f"  {name} ({scores.life} life-risk, {scores.negatives} none): risk_to_life recall "
        f"{scores.risk_recall:.4f}, false alarms {scores.false_alarm_rate:.4f}; confident "
        f"reading recall {scores.confident_recall:.4f}, false alarms "
        f"{scores.confident_false_alarm_rate:.4f}"
    )


def tone_scores() -> None:
    blind = read_tone(TONE_BLIND_SET)
    readings = Lens().analyse(blind.texts, explain=False)
    read = [EMOTIONS.index(reading.emotion) for reading in readings]
    analyser = SentimentIntensityAnalyzer()
    vader = [vader_emotion(analyser, text) for text in blind.texts]
    meta = json.loads((MODELS_DIR / "casework_emotion.json").read_text())["meta"]
    print(f"Tone of UK casework, {TONE_BLIND_SET} ({len(blind.texts)} messages, BLIND), macro-F1:")
    print(f"  lens             {f1_score(blind.labels, read, average='macro'):.4f}")
    print(f"  GoEmotions model {meta['blind_goemotions_only_macro_f1']:.4f}")
    print(f"  VADER rules      {f1_score(blind.labels, vader, average='macro'):.4f}")


def asking_scores() -> None:
    path = CASEWORK_DIR / "asks_for_help_blind.tsv"
    rows = len(read_tsv(path))
    print(f"Asks for help, {path.name} ({rows} hand-written UK messages, BLIND):")
    readings = asking_for_help_scores(path)
    for reading, scores in readings.items():
        print(
            f"  {reading:15} precision {scores.precision:.4f}, recall {scores.recall:.4f}, "
            f"macro-F1 {scores.macro_f1:.4f}"
        )
    for text in readings["lens"].missed:
        print(f"  missed: {text[:150]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    args = parser.parse_args()
    emotion_scores(args.data)
    casework_tone()
    recorded_scores()
    casework_scores()
    ordinary_casework_risk()
    tone_scores()
    asking_scores()
    redaction_set_scores()


def redaction_set_scores() -> None:
    """The figures of each labelled set, and what the rules missed or removed wrongly on
    the sets already mended against; a set still blind shows its figures only, so that
    no one mends the rules against it."""
    for name, blind in (
        ("redaction_set.txt", False),
        ("redaction_blind.txt", False),
        ("redaction_blind_2.txt", False),
        ("redaction_blind_3.txt", False),
        ("redaction_blind_4.txt", True),
    ):
        scores = redaction_scores(read_marked_lines(TESTS / name))
        print(
            f"Redaction, {name}{' (BLIND)' if blind else ''}, {scores.gold} labelled spans: "
            f"precision {scores.precision:.4f}, recall {scores.recall:.4f}"
        )
        for kind, missed in (("missed", scores.missed), ("wrongly removed", scores.wrong)):
            if missed and not blind:
                print(f"  {kind}: " + "; ".join(missed))


if __name__ == "__main__":
    main()
