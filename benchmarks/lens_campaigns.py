"""Campaign detection at scale: synthetic emails from 50 templates plus unique messages.

Each template copy is personalised (greeting, sender's name and street, sometimes one or
two sentences of their own, sometimes a template sentence dropped). Unique messages are
drawn from the same vocabulary. Grouping is scored with B-cubed precision and recall
against the true template of each email (unique messages are their own group).

The emails are written once to a JSONL file (in the temporary folder, reused by later
runs); the timed run streams that file the way `compassion analyse` does, signing batches
in `--jobs` worker processes and grouping in this one. Peak memory is sampled from /proc
(this process plus its workers). Before it, on the first `--sample` emails and in this
process: plain datasketch (`MinHash.bulk` over word 3-grams, then `MinHashLSH` query and
insert for every message) and this implementation on one core, for a CPU-time ratio.

Run: .venv/bin/python benchmarks/lens_campaigns.py [--n 1000000] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import resource
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from datasketch import MinHash, MinHashLSH

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


def email_file(n: int, unique_share: float, seed: int) -> Path:
    """The JSONL file of `emails(n, unique_share, seed)`, written on first use."""
    path = Path(tempfile.gettempdir()) / f"compassion-campaigns-{n}-{unique_share}-{seed}.jsonl"
    if not path.exists():
        started = time.perf_counter()
        partial = path.with_suffix(".partial")
        with partial.open("w") as out:
            for text, group in emails(n, unique_share, seed):
                out.write(json.dumps({"text": text, "group": group}) + "\n")
        partial.rename(path)
        print(f"wrote {path} in {time.perf_counter() - started:.0f} s (not timed below)")
    return path


def read_batches(path: Path, size: int, truth: list[int], limit: int | None = None):
    """Batches of texts streamed from `path`; their true groups are appended to `truth`."""
    batch: list[str] = []
    with path.open() as lines:
        for number, line in enumerate(lines):
            if number == limit:
                break
            record = json.loads(line)
            truth.append(record["group"])
            batch.append(record["text"])
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


def plain_datasketch(texts: list[str]) -> list[int]:
    """The textbook way: a MinHash of each message's word 3-grams, then for each message an
    LSH query (joining the group of the earliest candidate) and an insert."""
    shingles = []
    for text in texts:
        words = text.lower().split()
        shingles.append([" ".join(words[i : i + 3]).encode() for i in range(len(words) - 2)])
    lsh = MinHashLSH(threshold=0.5, num_perm=64)
    groups: list[int] = []
    for position, sketch in enumerate(MinHash.bulk(shingles, num_perm=64)):
        candidates = lsh.query(sketch)
        groups.append(groups[min(candidates)] if candidates else position)
        lsh.insert(position, sketch, check_duplication=False)
    return groups


def this_implementation(texts: list[str]) -> list[int]:
    index = CampaignIndex()
    return [
        group
        for start in range(0, len(texts), 5000)
        for group in index.add(texts[start : start + 5000])
    ]


def compare_on_sample(path: Path, size: int) -> float:
    """Print both ways' CPU time on the first `size` emails; return plain datasketch's rate."""
    truth: list[int] = []
    texts = [text for batch in read_batches(path, size, truth, limit=size) for text in batch]
    seconds = {}
    for name, group in (
        ("plain datasketch", plain_datasketch),
        ("this implementation", this_implementation),
    ):
        started = time.process_time()
        predicted = group(texts)
        seconds[name] = time.process_time() - started
        precision, recall = b_cubed(predicted, truth)
        print(
            f"  {name}: {seconds[name]:.1f} s CPU ({size / seconds[name]:,.0f} emails/s), "
            f"precision {precision:.4f}, recall {recall:.4f}"
        )
    ratio = seconds["plain datasketch"] / seconds["this implementation"]
    print(f"  ratio: this implementation is {ratio:.1f} times faster per CPU second")
    return size / seconds["plain datasketch"]


def rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    return next(
        (int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmRSS:")),
        0.0,
    )


class MemorySampler(threading.Thread):
    """Largest total resident memory of this process and its workers, sampled every 0.2 s."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_mb = 0.0
        self.running = True

    def run(self) -> None:
        while self.running:
            pids = [os.getpid()] + [child.pid for child in multiprocessing.active_children()]
            self.peak_mb = max(self.peak_mb, sum(rss_mb(pid) for pid in pids))
            time.sleep(0.2)


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds used so far by this process and by its finished workers."""
    return tuple(
        usage.ru_utime + usage.ru_stime
        for usage in (
            resource.getrusage(resource.RUSAGE_SELF),
            resource.getrusage(resource.RUSAGE_CHILDREN),
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--unique-share", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sample", type=int, default=10_000)
    args = parser.parse_args()
    path = email_file(args.n, args.unique_share, args.seed)

    print(f"same {min(args.sample, args.n):,} emails, one core, in this process:")
    baseline_rate = compare_on_sample(path, min(args.sample, args.n))

    truth: list[int] = []
    predicted: list[int] = []
    index = CampaignIndex()
    load_before = os.getloadavg()[0]
    sampler = MemorySampler()
    sampler.start()
    cpu_before = cpu_seconds()
    started = time.perf_counter()
    for texts, signed in signed_batches(read_batches(path, 5000, truth), jobs=args.jobs):
        predicted.extend(index.add(texts, signed))
    elapsed = time.perf_counter() - started
    main_cpu, workers_cpu = (
        after - before for after, before in zip(cpu_seconds(), cpu_before, strict=True)
    )
    cpu = main_cpu + workers_cpu
    sampler.running = False
    sampler.join()
    largest_worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    main_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    precision, recall = b_cubed(predicted, truth)
    campaigns = sum(1 for size in index.sizes.values() if size >= 3)
    print(f"full run: {args.n:,} emails ({args.unique_share:.0%} unique), jobs: {args.jobs}")
    print(
        f"  wall time: {elapsed:.1f} s ({args.n / elapsed:,.0f} emails/s); load average "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores"
    )
    print(
        f"  CPU time: {cpu:.1f} s ({cpu / elapsed:.2f} cores busy): reading and grouping "
        f"{main_cpu:.1f} s, signing in workers {workers_cpu:.1f} s"
    )
    print(
        f"  peak memory: {sampler.peak_mb:,.0f} MB sampled (all processes); bound from "
        f"getrusage {main_peak + args.jobs * largest_worker:,.0f} MB "
        f"(main {main_peak:,.0f} + {args.jobs} x largest worker {largest_worker:,.0f})"
    )
    baseline_cpu = args.n / baseline_rate
    print(
        f"  plain datasketch at its sample rate would need about {baseline_cpu:.0f} s CPU "
        f"for these emails: {baseline_cpu / cpu:.1f} times this run's CPU time"
    )
    print(f"  campaigns found (>= 3 members): {campaigns} (true: 50)")
    print(f"  B-cubed precision: {precision:.4f}  recall: {recall:.4f}")


if __name__ == "__main__":
    main()
