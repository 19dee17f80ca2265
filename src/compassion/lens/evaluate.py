"""Scores for the hand-built test sets: redaction, UK casework risk and asking for help.

Redaction sets mark personal data inline as `[[KIND:text]]`. A marked span counts as
found when a redaction overlaps it (recall); a redaction counts as right when it overlaps
a marked span (precision). Kinds are reported but not required to match: any redaction
removes the data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import astuple, dataclass, field
from pathlib import Path

from compassion.lens.analyse import CONFIDENT_RISK_SCORE, Lens, default_lens
from compassion.lens.redact import Span, find_personal_data
from compassion.lens.rules import LIFE_RISK_KINDS
from compassion.lens.themes import read_tsv
from compassion.lens.train import asking_figures

_MARK = re.compile(r"\[\[([A-Z_]+):(.+?)\]\]")


def parse_marked(line: str) -> tuple[str, list[Span]]:
    """The plain text of a marked line and its gold spans."""
    text, spans, position = [], [], 0
    length = 0
    for match in _MARK.finditer(line):
        before = line[position : match.start()]
        text.append(before)
        length += len(before)
        spans.append(Span(match.group(1), length, length + len(match.group(2))))
        text.append(match.group(2))
        length += len(match.group(2))
        position = match.end()
    text.append(line[position:])
    return "".join(text), spans


@dataclass
class RedactionScores:
    precision: float
    recall: float
    gold: int
    predicted: int
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)


def _overlaps(span: Span, others: list[Span]) -> bool:
    return any(span.start < other.end and other.start < span.end for other in others)


def read_marked_lines(path: Path) -> list[str]:
    """The marked lines of a labelled redaction set: one message a line, comments (`#`)
    and blank lines left out, and a written `\\n` read as a line break (for sign-offs and
    greetings on lines of their own)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.replace("\\n", "\n") for line in lines if line.strip() and line[0] != "#"]


def redaction_scores(lines: Iterable[str]) -> RedactionScores:
    """Scores over marked lines, as `read_marked_lines` gives them."""
    gold_total = predicted_total = found = right = 0
    missed, wrong = [], []
    for line in lines:
        text, gold = parse_marked(line)
        predicted = find_personal_data(text)
        gold_total += len(gold)
        predicted_total += len(predicted)
        for span in gold:
            if _overlaps(span, predicted):
                found += 1
            else:
                missed.append(f"{span.kind}: {text[span.start : span.end]}")
        for span in predicted:
            if _overlaps(span, gold):
                right += 1
            else:
                wrong.append(f"{span.kind}: {text[span.start : span.end]}")
    return RedactionScores(
        precision=round(right / predicted_total, 4) if predicted_total else 1.0,
        recall=round(found / gold_total, 4) if gold_total else 1.0,
        gold=gold_total,
        predicted=predicted_total,
        missed=missed,
        wrong=wrong,
    )


@dataclass
class RiskScores:
    """Counts of risk readings on a hand-written set; the rates are worked out from them, so
    the scores of several sets can be added together (`+`)."""

    life: int = 0  # life-risk messages (self-harm, threat to life, domestic abuse, child)
    life_found: int = 0  # ... with `risk_to_life` true
    life_confident: int = 0  # ... read with confidence (see `casework_risk_scores`)
    positives: int = 0  # messages with any urgent risk
    flagged: int = 0  # ... whose expected flag kind was raised
    negatives: int = 0  # messages with none
    alarms: int = 0  # ... with a flag or `risk_to_life`
    confident_alarms: int = 0  # ... read with confidence
    missed: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    def __add__(self, other: RiskScores) -> RiskScores:
        return RiskScores(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))

    @property
    def risk_recall(self) -> float:
        return round(self.life_found / self.life, 4)

    @property
    def confident_recall(self) -> float:
        return round(self.life_confident / self.life, 4)

    @property
    def flag_recall(self) -> float:
        return round(self.flagged / self.positives, 4)

    @property
    def false_alarm_rate(self) -> float:
        return round(self.alarms / self.negatives, 4)

    @property
    def confident_false_alarm_rate(self) -> float:
        return round(self.confident_alarms / self.negatives, 4)


def casework_risk_scores(path: Path, lens: Lens | None = None) -> RiskScores:
    """Score a hand-written TSV whose `kind` column (in the risk sets) or `risk` column (in
    the theme, asks and tone sets) names the urgent risk of each message, `none` if none.

    `risk_recall`: share of life-risk messages with `risk_to_life` true. `flag_recall`: share
    of risky messages whose expected flag kind was raised. `false_alarm_rate`: share of
    `none` messages with a flag or `risk_to_life`. The `confident_` pair: the same for a
    confident risk reading (`risk_score` at least `CONFIDENT_RISK_SCORE`) or a life-risk
    flag, the level at which the inbox brings a message forward.
    """
    rows = read_tsv(path)
    analyses = (lens or default_lens()).analyse([r["text"] for r in rows], explain=False)
    scores = RiskScores()
    for row, analysis in zip(rows, analyses, strict=True):
        kind = row["risk"] if "risk" in row else row["kind"]
        kinds = {flag.kind for flag in analysis.flags}
        confident = analysis.risk_score >= CONFIDENT_RISK_SCORE or bool(kinds & LIFE_RISK_KINDS)
        if kind == "none":
            scores.negatives += 1
            scores.confident_alarms += confident
            if kinds or analysis.risk_to_life:
                scores.alarms += 1
                scores.false_alarms.append(row["text"])
            continue
        scores.positives += 1
        scores.flagged += kind in kinds
        if kind in LIFE_RISK_KINDS:
            scores.life += 1
            scores.life_found += analysis.risk_to_life
            scores.life_confident += confident
            if not analysis.risk_to_life:
                scores.missed.append(row["text"])
    return scores


@dataclass
class AskingScores:
    """Precision, recall and macro-F1 of one way of reading "asks for help"."""

    precision: float
    recall: float
    macro_f1: float
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)


def _asking_scores(texts: list[str], truth: list[bool], said: list[bool]) -> AskingScores:
    return AskingScores(
        **asking_figures(truth, said),
        missed=[text for text, t, s in zip(texts, truth, said, strict=True) if t and not s],
        wrong=[text for text, t, s in zip(texts, truth, said, strict=True) if s and not t],
    )


def asking_for_help_scores(path: Path, lens: Lens | None = None) -> dict[str, AskingScores]:
    """Score a TSV of `asks<TAB>text` rows (1 where the writer asks the office for help)
    three ways: the writer's asking words alone (`find_asking_words`), the request models
    alone (`request_score` >= 0.5), and the lens as it reads (models, a flag or the asking
    words: `request_for_help`)."""
    rows = read_tsv(path)
    texts = [row["text"] for row in rows]
    truth = [row["asks"] == "1" for row in rows]
    analyses = (lens or default_lens()).analyse(texts, explain=False)
    return {
        "asking words": _asking_scores(texts, truth, [bool(a.request_words) for a in analyses]),
        "models": _asking_scores(texts, truth, [a.request_score >= 0.5 for a in analyses]),
        "lens": _asking_scores(texts, truth, [a.request_for_help for a in analyses]),
    }
