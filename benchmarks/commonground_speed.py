"""Speed of the common-ground web app around the maths: loading votes, results, routing, voting.

    .venv/bin/python benchmarks/commonground_speed.py [--participants N] [--statements N]

Builds a throwaway SQLite database (in a temporary data folder) with one conversation whose
votes come from three latent camps, then times in the same process:

- the maths alone: `compassion.bridging.analyse` on a vote matrix already in memory (the
  baseline);
- loading the votes from the database into the maths' input (arrays, and Vote objects);
- the staff results page's work, cold (`results_for`: load + analyse + shape) and warm
  (nothing changed, so the cached analysis is reused);
- choosing the next statement for a voter (`next_for`, routing priorities cached);
- recording votes through the real view (Django test client, CSRF off), votes per second.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def timed(work: Callable[[], object], repeat: int = 3) -> float:
    """Median wall time of `work` over `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def build(participants: int, statements: int, seed: int = 0) -> object:
    from django.utils import timezone

    from compassion.commonground.models import Conversation, Participant, Statement, Vote
    from compassion.core.models import Office

    rng = random.Random(seed)
    office = Office.objects.create(name="Benchmark office", slug="bench")
    conversation = Conversation.objects.create(
        office=office, title="Benchmark", question="?", slug="bench"
    )
    rows = Statement.objects.bulk_create(
        [
            Statement(conversation=conversation, number=n, text=f"Statement {n}", status="accepted")
            for n in range(1, statements + 1)
        ]
    )
    views = [[rng.random() for _ in range(statements)] for _ in range(3)]
    people = Participant.objects.bulk_create(
        [Participant(conversation=conversation) for _ in range(participants)], batch_size=2000
    )
    now = timezone.now()
    votes = []
    for person in people:
        camp = rng.randrange(3)
        share = rng.uniform(0.2, 0.8)
        for j, statement in enumerate(rows):
            if rng.random() < share:
                value = 0 if rng.random() < 0.1 else (1 if rng.random() < views[camp][j] else -1)
                votes.append(
                    Vote(
                        participant=person,
                        statement=statement,
                        value=value,
                        created_at=now,
                        updated_at=now,
                    )
                )
    Vote.objects.bulk_create(votes, batch_size=5000)
    return conversation


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--statements", type=int, default=100)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="commonground-bench-")
    os.environ["COMPASSION_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "compassion.settings"
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    from compassion import bridging
    from compassion.commonground import analysis
    from compassion.commonground.models import Participant

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    conversation = build(args.participants, args.statements)
    n_votes = conversation.votes().count()
    print(
        f"{args.participants:,} participants, {args.statements} statements, {n_votes:,} votes "
        f"(built in {time.perf_counter() - started:.1f} s)"
    )

    numbers = dict(conversation.statements.values_list("pk", "number"))
    matrix = analysis.vote_matrix(conversation, numbers)
    statements = analysis.bridging_statements(conversation)
    options = bridging.Options(random_state=0, bootstrap_rounds=20)
    maths = timed(lambda: bridging.analyse(matrix, statements, options))
    loading = timed(lambda: analysis.vote_matrix(conversation, numbers))
    as_objects = timed(lambda: analysis.bridging_input(conversation))

    def cold() -> None:
        cache.clear()
        analysis.results_for(conversation)

    cold_time = timed(cold)
    analysis.results_for(conversation)
    warm_time = timed(lambda: analysis.results_for(conversation), repeat=5)
    voter = Participant.objects.order_by("pk").first()
    analysis.priorities(conversation)
    routing = timed(lambda: analysis.next_for(voter, conversation), repeat=20)

    client = Client()
    url = f"/have-your-say/bench/{conversation.slug}/"
    client.get(url)
    count = min(args.statements, 40)
    from django.conf import settings

    settings.COMMONGROUND_RATE_LIMITS = {"vote": (10_000, 10_000, 60)}
    started = time.perf_counter()
    for number in range(1, count + 1):
        client.post(url, {"statement": number, "vote": "agree"}, headers={"HX-Request": "true"})
    per_vote = (time.perf_counter() - started) / count

    print(f"baseline, bridging.analyse on a matrix in RAM: {maths:8.3f} s")
    print(f"loading the votes from the database as arrays: {loading:8.3f} s")
    print(
        f"  (as one Vote object each, with times:        {as_objects:8.3f} s "
        f"= {as_objects / loading:.1f} x slower; used only for the Pol.is export)"
    )
    print(
        f"results page work, cold (load+analyse+shape):  {cold_time:8.3f} s "
        f"= {cold_time / maths:.2f} x the baseline"
    )
    print(
        f"results page work, warm (cache hit):           {warm_time:8.3f} s "
        f"= {warm_time / maths:.3f} x the baseline"
    )
    print(f"next statement for a voter:                    {routing * 1000:8.1f} ms")
    print(
        f"recording a vote through the view (htmx):      {per_vote * 1000:8.1f} ms "
        f"({1 / per_vote:.0f} votes/s, one client)"
    )


if __name__ == "__main__":
    main()
