"""Speed and memory of `compassion.bridging.analyse`, and red-dwarf on the same data.

    .venv/bin/python benchmarks/bridging_speed.py [--no-reddwarf] [--rounds N]

Two synthetic conversations, each measured in a fresh process so that its
peak memory is its own:

- 225,000 votes from 2,000 participants on 900 statements;
- 1,000,000 votes from 10,000 participants on 1,000 statements.

Participants belong to three latent camps plus a personal leaning; each
votes on a random subset of statements; one vote in ten is a pass. The
whole pipeline is timed from vote arrays to `Result`: matrix, map, groups,
repness, consensus, factorisation, bootstrap stability and intervals.
red-dwarf (the Pol.is reproduction, with no factorisation nor resampling) is
timed in the same process on the same votes, and the ratio printed. Wall
time depends on what else the machine is doing, so CPU time is shown too.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

SIZES = {
    "225k": (2_000, 900, 225_000),
    "1M": (10_000, 1_000, 1_000_000),
}


def synthetic_votes(n_participants: int, n_statements: int, n_votes: int, seed: int = 0):
    """Parallel arrays (participants, statements, values, timestamps)."""
    rng = np.random.default_rng(seed)
    camp = rng.integers(0, 3, n_participants)
    camp_view = rng.normal(0, 1.5, (3, n_statements))
    popularity = rng.normal(0.3, 1.0, n_statements)
    leaning = rng.normal(0, 0.5, n_participants)
    cells = rng.choice(n_participants * n_statements, n_votes, replace=False)
    participants, statements = cells // n_statements, cells % n_statements
    logit = (
        popularity[statements] + camp_view[camp[participants], statements] + leaning[participants]
    )
    agree = rng.random(n_votes) < 1 / (1 + np.exp(-logit))
    values = np.where(rng.random(n_votes) < 0.1, 0, np.where(agree, 1, -1))
    timestamps = rng.permutation(n_votes).astype(float)
    return participants, statements, values, timestamps


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_ours(size: str, rounds: int) -> dict:
    from compassion.bridging import Options, analyse, vote_matrix_from_arrays

    arrays = synthetic_votes(*SIZES[size])
    before = peak_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    matrix = vote_matrix_from_arrays(*arrays)
    result = analyse(matrix, options=Options(bootstrap_rounds=rounds))
    return {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "peak_mb": peak_mb(),
        "peak_before_mb": before,
        "groups": len(result.groups),
    }


def measure_reddwarf(size: str) -> dict:
    from reddwarf.implementations.polis import run_pipeline

    participants, statements, values, timestamps = synthetic_votes(*SIZES[size])
    votes = [
        {"participant_id": int(p), "statement_id": int(s), "vote": int(v), "modified": float(t)}
        for p, s, v, t in zip(participants, statements, values, timestamps, strict=True)
    ]
    wall, cpu = time.perf_counter(), time.process_time()
    result = run_pipeline(votes=votes, random_state=0)
    return {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "peak_mb": peak_mb(),
        "groups": int(len(set(result.participants_df["cluster_id"].dropna()))),
    }


def in_fresh_process(*args: str) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--one", *args], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="bootstrap rounds (default 20)")
    parser.add_argument("--no-reddwarf", action="store_true", help="skip red-dwarf")
    parser.add_argument("--one", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.one:
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if args.one:
        which, size, rounds = args.one
        measured = measure_ours(size, int(rounds)) if which == "ours" else measure_reddwarf(size)
        print(json.dumps(measured))
        return
    for size, (n_participants, n_statements, n_votes) in SIZES.items():
        print(f"{n_votes:,} votes, {n_participants:,} participants, {n_statements:,} statements")
        ours = in_fresh_process("ours", size, str(args.rounds))
        bare = in_fresh_process("ours", size, "0")
        print(
            f"  compassion: {ours['wall']:.2f} s wall, {ours['cpu']:.2f} s CPU, "
            f"peak {ours['peak_mb']:.0f} MB ({ours['peak_before_mb']:.0f} MB before), "
            f"{ours['groups']} groups, {args.rounds} bootstrap rounds"
        )
        print(
            f"  compassion without resampling: {bare['wall']:.2f} s wall, {bare['cpu']:.2f} s CPU"
        )
        if args.no_reddwarf:
            continue
        theirs = in_fresh_process("reddwarf", size, "0")
        print(
            f"  red-dwarf: {theirs['wall']:.2f} s wall, {theirs['cpu']:.2f} s CPU, "
            f"peak {theirs['peak_mb']:.0f} MB, {theirs['groups']} groups"
        )
        print(
            f"  red-dwarf / compassion: {theirs['wall'] / ours['wall']:.1f}x wall, "
            f"{theirs['cpu'] / ours['cpu']:.1f}x CPU (without our resampling: "
            f"{theirs['wall'] / bare['wall']:.1f}x wall, {theirs['cpu'] / bare['cpu']:.1f}x CPU)"
        )


if __name__ == "__main__":
    main()
