"""Campaign detection at scale: synthetic emails from 50 templates plus unique messages.

Each template copy is personalised (greeting, sender's name and street, sometimes one or
two sentences of their own, sometimes a template sentence dropped). Unique messages are
drawn from the same vocabulary. Grouping is scored with B-cubed precision and recall
against the true template of each email (unique messages are their own group).

Run: .venv/bin/python benchmarks/lens_campaigns.py [--n 1000000] [--jobs 2]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import time
from collections import Counter
from collections.abc import Iterator

from compassion.lens.campaigns import CampaignIndex, signed_batches

WORDS = [
    "council",
    "housing",
    "rent",
    "repairs",
    "school",
    "bus",
    "hospital",
    "waiting",
    "list",
    "benefits",
    "universal",
    "credit",
    "police",
    "crime",
    "parking",
    "potholes",
    "bins",
    "library",
    "park",
    "river",
    "sewage",
    "flooding",
    "trees",
    "planning",
    "development",
    "green",
    "belt",
    "traffic",
    "speed",
    "cameras",
    "cycle",
    "lane",
    "station",
    "train",
    "fares",
    "doctors",
    "dentist",
    "nurses",
    "care",
    "home",
    "pension",
    "tax",
    "energy",
    "bills",
    "food",
    "bank",
    "heating",
    "mould",
    "damp",
    "landlord",
    "tenant",
    "eviction",
    "children",
    "families",
    "disabled",
    "elderly",
    "carers",
    "jobs",
    "wages",
    "business",
    "rates",
    "high",
    "street",
    "shops",
    "pub",
    "community",
    "centre",
    "youth",
    "club",
    "playground",
    "football",
    "pitches",
    "allotments",
    "recycling",
    "fly",
    "tipping",
    "noise",
    "neighbours",
    "antisocial",
    "behaviour",
    "drugs",
    "knife",
    "crime",
    "safety",
    "streetlights",
    "pavements",
    "crossing",
    "roads",
    "village",
    "town",
    "city",
    "county",
    "borough",
    "ward",
    "residents",
    "consultation",
    "decision",
    "vote",
    "campaign",
    "petition",
    "support",
    "oppose",
    "protect",
    "save",
    "close",
    "open",
    "cut",
    "fund",
    "invest",
    "improve",
    "fix",
    "build",
    "demolish",
    "extend",
    "reduce",
    "increase",
    "ban",
    "allow",
    "review",
]
NAMES = [
    "Ann",
    "Raj",
    "Tom",
    "Sara",
    "Omar",
    "Li",
    "Kate",
    "Dev",
    "Amy",
    "Joe",
    "Nia",
    "Sam",
    "Eve",
    "Ben",
    "Zoe",
    "Max",
    "Ada",
    "Ian",
]
STREETS = ["Mill Lane", "Church Road", "High Street", "Park Avenue", "Station Road", "Elm Close"]


def sentence(rng: random.Random, length: int) -> str:
    words = [rng.choice(WORDS) for _ in range(length)]
    return " ".join(words).capitalize() + "."


def make_templates(rng: random.Random, count: int = 50) -> list[list[str]]:
    return [
        [sentence(rng, rng.randint(12, 22)) for _ in range(rng.randint(6, 10))]
        for _ in range(count)
    ]


def personalise(template: list[str], rng: random.Random) -> str:
    lines = list(template)
    if rng.random() < 0.2:
        lines.pop(rng.randrange(1, len(lines)))
    if rng.random() < 0.4:
        lines.insert(rng.randrange(len(lines)), sentence(rng, rng.randint(8, 20)))
    if rng.random() < 0.15:
        lines.append(sentence(rng, rng.randint(8, 20)))
    greeting = rng.choice(["Dear MP,", "Dear Sir or Madam,", "Hello,", "Dear Ms Smith,"])
    name = f"{rng.choice(NAMES)} {rng.randint(1, 999)} {rng.choice(STREETS)}"
    return "\n".join([greeting, *lines, "Yours sincerely,", name])


def emails(n: int, unique_share: float, seed: int) -> Iterator[tuple[str, int]]:
    """(text, true group) pairs; templates are groups 0-49, unique messages get -1 - i."""
    rng = random.Random(seed)
    templates = make_templates(rng)
    for i in range(n):
        if rng.random() < unique_share:
            text = " ".join(sentence(rng, rng.randint(10, 20)) for _ in range(rng.randint(3, 8)))
            yield text, -1 - i
        else:
            group = rng.randrange(len(templates))
            yield personalise(templates[group], rng), group


def batches(stream, size: int, truth: list[int]) -> Iterator[list[str]]:
    batch: list[str] = []
    for text, group in stream:
        truth.append(group)
        batch.append(text)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def b_cubed(predicted: list[int], truth: list[int]) -> tuple[float, float]:
    pair_counts = Counter(zip(predicted, truth, strict=True))
    predicted_sizes, true_sizes = Counter(predicted), Counter(truth)
    precision = recall = 0.0
    for (p, t), count in pair_counts.items():
        precision += count * count / predicted_sizes[p]
        recall += count * count / true_sizes[t]
    return precision / len(truth), recall / len(truth)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--unique-share", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    generation_started = time.process_time()
    sample = min(args.n, 20_000)
    for _ in emails(sample, args.unique_share, args.seed + 1):
        pass
    generation_cpu = (time.process_time() - generation_started) * args.n / sample

    truth: list[int] = []
    predicted: list[int] = []
    index = CampaignIndex()
    started = time.perf_counter()
    stream = batches(emails(args.n, args.unique_share, args.seed), 5000, truth)
    for texts, computed in signed_batches(stream, jobs=args.jobs):
        predicted.extend(index.add(texts, computed))
    elapsed = time.perf_counter() - started

    cpu = sum(
        usage.ru_utime + usage.ru_stime
        for usage in (
            resource.getrusage(resource.RUSAGE_SELF),
            resource.getrusage(resource.RUSAGE_CHILDREN),
        )
    )
    peak_mb = (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    ) / 1024
    precision, recall = b_cubed(predicted, truth)
    campaigns = sum(1 for size in index.sizes.values() if size >= 3)
    print(f"emails: {args.n:,} ({args.unique_share:.0%} unique), jobs: {args.jobs}")
    print(
        f"wall time: {elapsed:.1f} s ({args.n / elapsed:,.0f} emails/s), load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(
        f"CPU time, all processes: {cpu:.1f} s, of which generating the emails about "
        f"{generation_cpu:.1f} s; detection alone {cpu - generation_cpu:.1f} s CPU, "
        f"{(cpu - generation_cpu) / args.jobs:.1f} s if spread over {args.jobs} cores"
    )
    print(f"peak memory (main + largest worker): {peak_mb:,.0f} MB")
    print(f"campaigns found (>= 3 members): {campaigns} (true: 50)")
    print(f"B-cubed precision: {precision:.4f}  recall: {recall:.4f}")


if __name__ == "__main__":
    main()
