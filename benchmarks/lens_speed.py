"""Speed of `analyse` on one core, as a ratio against VADER run in the same process.

Texts: GoEmotions comments (short; train and dev, shuffled), and 200-word "emails" made by
joining comments. Every timed run reads texts it has not seen before, so the lens's memory
of hashed words helps only as much as it would on a real stream (the first `--warm`
comments, untimed, fill it as the start of any long run would); VADER reads the same texts
just before the lens, so a run's ratio compares like with like under the same machine load.

Times are CPU seconds of this process (`time.process_time`), which other work on a shared
machine distorts far less than wall time, though not entirely (shared caches and cores
still slow a busy machine down): each case is run `--repeat` times, and the median rate,
the spread and the median ratio to VADER are printed. One core means: this process is
pinned to one CPU and the BLAS / OpenMP thread pools are limited to one thread
(threadpoolctl); both are printed. Peak memory is the process's peak resident set size.

Run: .venv/bin/python benchmarks/lens_speed.py [--data ../shared/data] [--n 3000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from threadpoolctl import threadpool_info, threadpool_limits
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from compassion.lens import Lens

BATCH = 1000


def load_comments(data: Path) -> list[str]:
    """Every GoEmotions comment (train and dev), in a fixed random order."""
    comments = []
    for name in ("ekman_train.tsv", "ekman_dev.tsv"):
        rows = (data / "goemotions" / name).read_text(encoding="utf-8").splitlines()
        comments += [row.split("\t")[0] for row in rows]
    random.Random(0).shuffle(comments)
    return comments


def emails(comments: Sequence[str], count: int, words: int = 200) -> list[str]:
    result, current, position = [], [], 0
    while len(result) < count:
        current.append(comments[position % len(comments)])
        position += 1
        if sum(len(c.split()) for c in current) >= words:
            result.append(" ".join(current))
            current = []
    return result


def one_core() -> str:
    """Pin this process to one CPU and its thread pools to one thread; say what was done."""
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    threadpool_limits(1)
    pools = ", ".join(
        f"{pool['internal_api']} {pool['num_threads']} thread(s)" for pool in threadpool_info()
    )
    return f"pinned to CPU {cpu} of {os.cpu_count()}; thread pools: {pools or 'none loaded'}"


def cpu_rate(work: Callable[[], object], count: int) -> float:
    """Texts per CPU second."""
    start = time.process_time()
    work()
    return count / (time.process_time() - start)


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(name: str, runs: list[tuple[float, float]], target: float) -> None:
    """`runs` holds (lens rate, VADER rate) pairs."""
    rates = [lens for lens, _ in runs]
    ratio = statistics.median(lens / vader for lens, vader in runs)
    median = statistics.median(rates)
    verdict = "meets" if median >= target else "BELOW"
    print(
        f"{name}: lens {median:,.0f}/s CPU (runs {min(rates):,.0f}-{max(rates):,.0f}), "
        f"VADER {statistics.median(v for _, v in runs):,.0f}/s, ratio lens/VADER {ratio:.2f}; "
        f"target {target:,.0f}/s: {verdict}; peak memory so far {peak_memory_mb():,.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--n", type=int, default=3_000, help="Short texts per timed run.")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--warm", type=int, default=2_000, help="Untimed texts read first.")
    args = parser.parse_args()

    print(f"one core: {one_core()}")
    comments = load_comments(args.data)
    fresh: Iterator[str] = iter(comments)

    def unseen(count: int) -> list[str]:
        texts = [text for _, text in zip(range(count), fresh, strict=False)]
        if len(texts) < count:
            raise SystemExit("Not enough comments for these --n and --repeat; lower them.")
        return texts

    lens = Lens()
    warm = unseen(args.warm)
    for start in range(0, len(warm), BATCH):
        lens.analyse(warm[start : start + BATCH])
    vader = SentimentIntensityAnalyzer()
    print(f"after loading the models: peak memory {peak_memory_mb():,.0f} MB")

    def lens_run(texts: list[str], **options) -> Callable[[], object]:
        return lambda: [
            lens.analyse(texts[i : i + BATCH], **options) for i in range(0, len(texts), BATCH)
        ]

    def command_run(texts: list[str]) -> Callable[[], object]:
        """What `compassion analyse` does per message besides reading: analyse and write."""
        return lambda: [
            json.dumps(analysis.to_dict(), ensure_ascii=False)
            for i in range(0, len(texts), BATCH)
            for analysis in lens.analyse(texts[i : i + BATCH])
        ]

    def vader_run(texts: list[str]) -> Callable[[], object]:
        return lambda: [vader.polarity_scores(text) for text in texts]

    def measure(make_texts: Callable[[], list[str]], lens_work) -> list[tuple[float, float]]:
        runs = []
        for _ in range(args.repeat):
            texts = make_texts()
            vader_rate = cpu_rate(vader_run(texts), len(texts))
            runs.append((cpu_rate(lens_work(texts), len(texts)), vader_rate))
        return runs

    sample = comments[: args.n]
    print(
        f"short texts: {args.n:,} unseen GoEmotions comments per run, "
        f"{sum(len(t.split()) for t in sample) / len(sample):.0f} words on average; "
        f"{args.repeat} runs per case"
    )

    def short() -> list[str]:
        return unseen(args.n)

    report("analyse, short texts", measure(short, lens_run), 10_000)
    report(
        "analyse, short texts, no explanations",
        measure(short, lambda texts: lens_run(texts, explain=False)),
        10_000,
    )
    report(
        "analyse with redaction, short texts",
        measure(short, lambda texts: lens_run(texts, redact_text=True)),
        2_000,
    )
    report(
        "analyse + to_dict + JSON (the command's work), short texts",
        measure(short, command_run),
        10_000,
    )

    count = max(1, args.n // 3)
    print(f"emails: {count:,} of about 200 words per run, made from comments read above")
    offsets = iter(range(0, len(comments), len(comments) // (2 * args.repeat)))

    def long() -> list[str]:
        return emails(comments[next(offsets) :], count)

    report("analyse, 200-word emails", measure(long, lens_run), 2_000)
    report(
        "analyse, 200-word emails, no explanations (as the inbox reads them)",
        measure(long, lambda texts: lens_run(texts, explain=False)),
        2_000,
    )
    redaction_scaling(comments)
    print(f"peak memory: {peak_memory_mb():,.0f} MB")


def redaction_scaling(comments: Sequence[str]) -> None:
    """Redacting one long message should take time in proportion to its length: a letter
    of 1 MB, full of names, once took 43 s where 100 KB took 0.4 s. Printed: CPU seconds
    per 100 KB at each size, and their ratio (about 1 when redaction is linear)."""
    from compassion.lens.redact import redact

    signed = [f"{comment} Kind regards, Anne Brown, 12A Mill Lane." for comment in comments]
    per_100kb = {}
    for size in (100_000, 1_000_000):
        text = " ".join(signed)[:size]
        start = time.process_time()
        redact(text)
        per_100kb[size] = (time.process_time() - start) * 100_000 / size
    ratio = per_100kb[1_000_000] / per_100kb[100_000]
    print(
        f"redaction of one long message: {per_100kb[100_000]:.3f} s per 100 KB at 100 KB, "
        f"{per_100kb[1_000_000]:.3f} s at 1 MB: ratio {ratio:.2f} (linear is about 1)"
    )
    hostile_redaction_scaling()


# Runs that once made a pattern try again from each of their letters: "Ab-Ab-..." took
# 57 s at 24 KB (a hyphenated name, an email address with no "@").
HOSTILE_UNITS = ("Ab-", "A-b", "Mac-", "Ab ", "(Ab) ", "\n\n", "a.b+", "Dear Ab,\n")


def hostile_redaction_scaling() -> None:
    """The same ratio for text made of one unit repeated, at 10 KB and 100 KB."""
    from compassion.lens.redact import redact

    for unit in HOSTILE_UNITS:
        seconds = {}
        for size in (10_000, 100_000):
            text = (unit * (size // len(unit) + 1))[:size]
            start = time.process_time()
            redact(text)
            seconds[size] = time.process_time() - start
        ratio = seconds[100_000] / max(seconds[10_000] * 10, 1e-9)
        print(
            f"redaction of {unit!r} repeated: {seconds[100_000]:.3f} s at 100 KB, "
            f"ratio to ten times 10 KB {ratio:.2f} (linear is about 1)"
        )


if __name__ == "__main__":
    main()
