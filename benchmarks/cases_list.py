"""Speed of the case list (and its search) with 100,000 cases, against 5,000.

    .venv/bin/python benchmarks/cases_list.py [--cases 100000] [--baseline 5000]

Builds both offices with bulk_create in a temporary SQLite database, indexes them for
full-text search, then renders the case list through Django's test client 20 times per
page (after one warm-up) and prints the median, the 90th percentile, the median CPU time of
this process (the database runs in-process, so it counts too; it is steadier than wall time
on a busy machine) and the query count.
Target: the default list under 200 ms median with 100,000 cases, with the same number of
queries as with 5,000.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import timedelta

RENDERS = 20
WARDS = ["Northby Central", "Eastfield", "Millbrook", "Hollins Park", "Sandy Lane"]
WORDS = [
    "damp",
    "mould",
    "boiler",
    "repair",
    "landlord",
    "eviction",
    "bailiffs",
    "council",
    "universal",
    "credit",
    "pip",
    "appointment",
    "visa",
    "school",
    "send",
    "bus",
    "pothole",
    "noise",
    "bins",
    "tax",
    "debt",
    "hospital",
    "waiting",
]


FILLER = [f"w{index}" for index in range(3000)]


def message(rng: random.Random) -> str:
    """60 words: everyday filler from a 3,000-word vocabulary and two casework words."""
    return " ".join(rng.choices(FILLER, k=58) + rng.sample(WORDS, 2))


def setup(folder: str) -> None:
    os.environ["COMPASSION_DATA_DIR"] = folder
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "compassion.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_office(slug: str, count: int, rng: random.Random):  # noqa: ANN201
    from django.contrib.auth.models import User
    from django.utils import timezone

    from compassion.cases.models import OPEN_STATUSES, Case, Status
    from compassion.cases.search import index_office
    from compassion.core.models import Membership, Office, Person, Role
    from compassion.core.themes import Theme
    from compassion.voices.models import Voice

    office = Office.objects.create(name=f"Office {slug}", slug=slug)
    staff = []
    for index in range(6):
        user = User.objects.create_user(f"{slug}-{index}", password="x", first_name=f"W{index}")
        Membership.objects.create(user=user, office=office, role=Role.CASEWORKER)
        staff.append(user)
    people = Person.objects.bulk_create(
        [
            Person(
                office=office,
                first_name=f"First{i}",
                last_name=f"Last{i}",
                ward=rng.choice(WARDS),
                postcode=f"NB{rng.randint(1, 6)} {i % 9}AB",
            )
            for i in range(count // 3)
        ],
        batch_size=2000,
    )
    now = timezone.now()
    statuses = [*OPEN_STATUSES, Status.CLOSED, Status.CLOSED, Status.CLOSED, Status.CLOSED]
    cases = []
    for i in range(count):
        urgent = rng.random() < 0.01
        cases.append(
            Case(
                office=office,
                person=rng.choice(people),
                reference=f"{slug}-{i:06d}",
                subject=" ".join(rng.sample(WORDS, 4)).capitalize(),
                theme=rng.choice(Theme.values),
                status=rng.choice(statuses),
                assigned_to=rng.choice(staff),
                opened_at=now - timedelta(minutes=rng.randint(0, 60 * 24 * 365 * 3)),
                urgent=urgent,
                urgency_reasons=["Eviction or homelessness imminent"] if urgent else [],
                acknowledge_by=(now + timedelta(days=rng.randint(-5, 5))).date(),
            )
        )
    Case.objects.bulk_create(cases, batch_size=2000)
    Voice.objects.bulk_create(
        [
            Voice(
                office=office,
                person=case.person,
                case=case,
                subject=case.subject,
                body=message(rng),
                received_at=case.opened_at,
            )
            for case in cases
        ],
        batch_size=2000,
    )
    started = time.perf_counter()
    index_office(office)
    print(f"  indexed {count:,} cases for search in {time.perf_counter() - started:.1f} s")
    return office, staff[0]


def time_page(client, url: str) -> tuple[float, float, float, int]:  # noqa: ANN001
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):  # noqa: ANN001, ANN202
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    timings, cpu = [], []
    for _ in range(RENDERS):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    timings.sort()
    p90 = timings[int(0.9 * len(timings)) - 1]
    return statistics.median(timings), p90, statistics.median(cpu), len(queries)


PAGES = [
    ("open cases, urgent first", "/cases/"),
    ("page 40", "/cases/?status=open&page=40"),
    ("housing in Eastfield", "/cases/?status=open&theme=housing&ward=Eastfield"),
    ("search 'bailiffs eviction'", "/cases/?status=&q=bailiffs+eviction"),
    ("search a name 'Last1234'", "/cases/?status=&q=Last1234"),
    ("all statuses, last year", "/cases/?status=&opened_from=2025-01-01"),
]


def measure(label: str, slug: str, count: int, rng: random.Random) -> dict[str, float]:
    from django.test import Client

    print(f"\n{label}: building {count:,} cases...")
    started = time.perf_counter()
    office, user = build_office(slug, count, rng)
    print(f"  built in {time.perf_counter() - started:.1f} s")
    client = Client()
    client.force_login(user)
    medians = {}
    for name, url in PAGES:
        median, p90, cpu, queries = time_page(client, url)
        medians[name] = median
        print(
            f"  {name:<28} median {median:7.1f} ms   p90 {p90:7.1f} ms   "
            f"cpu {cpu:6.1f} ms   {queries} queries"
        )
    return medians


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--baseline", type=int, default=5_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup(folder)
        rng = random.Random(7)
        base = measure("Baseline", "small", args.baseline, rng)
        big = measure("Large office", "large", args.cases, rng)
    print(f"\nload average during the run: {os.getloadavg()[0]:.1f}")
    print(f"\nRatio large/baseline ({args.cases:,} vs {args.baseline:,} cases):")
    for name, _ in PAGES:
        print(f"  {name:<28} {big[name] / base[name]:5.2f}x")
    verdict = "meets" if big[PAGES[0][0]] < 200 else "MISSES"
    print(
        f"\nDefault list with {args.cases:,} cases: {big[PAGES[0][0]]:.0f} ms median "
        f"({verdict} the 200 ms target)."
    )


if __name__ == "__main__":
    main()
