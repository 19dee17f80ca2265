"""How fast the pulse psychometrics are at scale, against pingouin in the same process.

An installation-wide benchmark pools every office's answers for a year: 200 offices x 12 months
x 6 staff = 14,400 answer sets. This times our scoring of every scale (means, intervals,
% positive, distributions, Cronbach's alpha) and, as the baseline, pingouin's cronbach_alpha
on the same item matrices, and checks that the alphas agree.

Run: .venv/bin/python benchmarks/pulse_scoring.py
"""

from __future__ import annotations

import random
import time
import tracemalloc

import pandas as pd
import pingouin

from compassion.pulse import instruments, scoring


def answer_sets(n: int, seed: int = 1) -> list[dict[str, int]]:
    rng = random.Random(seed)
    result = []
    for _ in range(n):
        mood = rng.gauss(0, 1)
        answers = {}
        for _, item in instruments.all_items():
            if rng.random() < 0.05:
                continue
            size = len(item.options)
            lean = -mood if item.reverse else mood
            position = (size + 1) / 2 + lean * size / 4 + rng.gauss(0, 0.8)
            answers[item.code] = min(size, max(1, round(position)))
        result.append(answers)
    return result


def main() -> None:
    n = 200 * 12 * 6
    data = answer_sets(n)

    started = time.perf_counter()
    summaries = [scoring.summarise(i, data, min_n=5) for i in instruments.INSTRUMENTS]
    ours = time.perf_counter() - started
    tracemalloc.start()
    [scoring.summarise(i, data, min_n=5) for i in instruments.INSTRUMENTS]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    started = time.perf_counter()
    frames = {
        i.code: pd.DataFrame([scoring.item_scores(i, a) for a in data], dtype=float)
        for i in instruments.INSTRUMENTS
    }
    build = time.perf_counter() - started
    started = time.perf_counter()
    theirs = {
        code: pingouin.cronbach_alpha(frame, nan_policy="listwise")[0]
        for code, frame in frames.items()
    }
    baseline = build + time.perf_counter() - started

    print(f"{n:,} answer sets, {len(instruments.INSTRUMENTS)} scales")
    print(f"ours, every statistic of every scale: {ours * 1000:7.1f} ms, peak {peak / 1e6:.1f} MB")
    print(f"pingouin, alpha only, data frames included: {baseline * 1000:7.1f} ms")
    print(f"ratio ours / pingouin: {ours / baseline:.2f}x")
    for summary in summaries:
        expected = theirs[summary.instrument.code]
        gap = abs(summary.alpha - expected)
        print(
            f"  {summary.instrument.code:26} alpha {summary.alpha:.4f}, ours - pingouin {gap:.1e}"
        )

    small = answer_sets(6, seed=2)
    started = time.perf_counter()
    for _ in range(200):
        [scoring.summarise(i, small, min_n=5) for i in instruments.INSTRUMENTS]
    per_page = (time.perf_counter() - started) / 200
    print(f"one office's month (6 answer sets), all scales: {per_page * 1000:.2f} ms")


if __name__ == "__main__":
    main()
