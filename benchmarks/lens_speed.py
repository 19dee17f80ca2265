"""Speed of `analyse` on one core, as a ratio against VADER run in the same process.

Texts: GoEmotions dev comments (short), and 200-word "emails" made by joining them. Times
are CPU seconds of this process (`time.process_time`), so other work on a shared machine
does not distort them; wall-clock rates are printed too.

Run: .venv/bin/python benchmarks/lens_speed.py [--data ../shared/data] [--n 20000]
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from compassion.lens import Lens

os.environ.setdefault("OMP_NUM_THREADS", "1")


def load_comments(data: Path) -> list[str]:
    rows = (data / "goemotions" / "ekman_dev.tsv").read_text(encoding="utf-8").splitlines()
    return [row.split("\t")[0] for row in rows]


def emails(comments: Sequence[str], count: int, words: int = 200) -> list[str]:
    result, current, position = [], [], 0
    while len(result) < count:
        current.append(comments[position % len(comments)])
        position += 1
        if sum(len(c.split()) for c in current) >= words:
            result.append(" ".join(current))
            current = []
    return result


def rate(work: Callable[[], object], count: int) -> tuple[float, float]:
    """(texts per CPU second, texts per wall second)."""
    cpu, wall = time.process_time(), time.perf_counter()
    work()
    return count / (time.process_time() - cpu), count / (time.perf_counter() - wall)


def report(
    name: str, lens_rate: tuple[float, float], vader_rate: tuple[float, float], target: float
) -> None:
    verdict = "meets" if lens_rate[0] >= target else "BELOW"
    print(
        f"{name}: lens {lens_rate[0]:,.0f}/s CPU ({lens_rate[1]:,.0f}/s wall), "
        f"VADER {vader_rate[0]:,.0f}/s CPU, ratio lens/VADER {lens_rate[0] / vader_rate[0]:.1f}; "
        f"target {target:,.0f}/s: {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--n", type=int, default=20_000)
    args = parser.parse_args()

    comments = load_comments(args.data)
    short = (comments * (args.n // len(comments) + 1))[: args.n]
    long = emails(comments, args.n // 10)
    lens = Lens()
    lens.analyse(short[:100])
    vader = SentimentIntensityAnalyzer()

    def analyse(texts, **options):
        return lambda: [
            lens.analyse(texts[i : i + 1000], **options) for i in range(0, len(texts), 1000)
        ]

    def vader_all(texts):
        return lambda: [vader.polarity_scores(text) for text in texts]

    mean_words = sum(len(t.split()) for t in short) / len(short)
    print(f"short texts: {len(short):,} GoEmotions comments, {mean_words:.0f} words on average")
    vader_short = rate(vader_all(short), len(short))
    report("analyse, short texts", rate(analyse(short), len(short)), vader_short, 10_000)
    report(
        "analyse, short texts, no explanations",
        rate(analyse(short, explain=False), len(short)),
        vader_short,
        10_000,
    )
    report(
        "analyse with redaction, short texts",
        rate(analyse(short, redact_text=True), len(short)),
        vader_short,
        2_000,
    )
    print(f"emails: {len(long):,} of about 200 words")
    vader_long = rate(vader_all(long), len(long))
    report("analyse, 200-word emails", rate(analyse(long), len(long)), vader_long, 2_000)


if __name__ == "__main__":
    main()
