"""Insights pages at scale: the demo office grown to 100,000 cases and 500,000 messages.

Builds the demo office (5,000 messages) in a temporary SQLite database, times each
insights page with the Django test client (the baseline), then bulk-creates copies of the
demo's people, cases and messages until the office holds the target volumes and times the
same pages again. Prints the median render time of each page and its ratio to the baseline.

    .venv/bin/python benchmarks/insights_dashboard.py [--cases 100000] [--messages 500000]
        [--postgres postgres://postgres@127.0.0.1:5432/]

With --postgres, the same runs in a new database on that server (dropped at the end), with
VACUUM ANALYZE after the copies are made, as autovacuum would do in a running office.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import timedelta

PAGES = [
    ("dashboard", "/insights/"),
    ("equity by area", "/insights/equity/?by=area"),
    ("equity by vulnerability", "/insights/equity/?by=vulnerability"),
    ("equity by age", "/insights/equity/?by=age"),
    ("equity by channel", "/insights/equity/?by=channel"),
    ("equity by theme", "/insights/equity/?by=theme"),
    ("weekly briefing", "/insights/briefing/"),
    ("voices for a speech", "/insights/voices/?theme=housing&start=2025-11-01&end=2026-11-30"),
    ("you said, we did", "/you-said-we-did/northby-eastfield/"),
]
TARGET_MS = 300


def setup(data_dir: str, database_url: str = "") -> None:
    os.environ["COMPASSION_DATA_DIR"] = data_dir
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compassion.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, skip_checks=True)


def time_pages(runs: int) -> dict[str, tuple[float, float]]:
    """Per page: the first render with an empty cache, and the median of `runs` renders."""
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username="amira"))
    client.get("/")
    timings = {}
    for name, url in PAGES:
        cache.clear()
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        timings[name] = (times[0], statistics.median(times))
    return timings


def grow(office: object, cases_target: int, messages_target: int, seed: int = 1) -> None:
    """Copy the demo's people, cases and messages (shifted in time) up to the targets."""
    from django.db import transaction
    from django.utils import timezone

    from compassion.cases.models import Case, Reply
    from compassion.core.models import Person
    from compassion.voices.models import Voice

    rng = random.Random(seed)
    now = timezone.now()
    people = list(Person.objects.filter(office=office))
    cases = list(Case.objects.filter(office=office, campaign__isnull=True))
    voices_by_case: dict[int, list[Voice]] = {}
    for voice in Voice.objects.filter(office=office, case__isnull=False):
        voices_by_case.setdefault(voice.case_id, []).append(voice)
    reply_of = {reply.case_id: reply for reply in Reply.objects.filter(office=office)}
    have_cases = Case.objects.filter(office=office).count()
    have_voices = Voice.objects.filter(office=office).count()
    per_case = (messages_target - have_voices) / max(cases_target - have_cases, 1)
    with transaction.atomic():
        new_people = []
        for copy in range(cases_target // 20 // len(people)):
            for person in people:
                person.pk = None
                person.email = f"copy{copy}.{person.email}" if person.email else ""
                new_people.append(person)
        Person.objects.bulk_create(new_people, batch_size=2000)
        people += new_people
        number = 0
        while have_cases < cases_target:
            batch_cases, batch_threads, batch_sources = [], [], []
            for _ in range(min(5000, cases_target - have_cases)):
                source = rng.choice(cases)
                shift = timedelta(days=rng.uniform(-20, 20))
                thread = voices_by_case.get(source.pk, [])
                case = Case(
                    **{
                        f.attname: getattr(source, f.attname)
                        for f in Case._meta.concrete_fields
                        if f.attname != "id"
                    }
                )
                number += 1
                case.reference = f"BENCH-{number:07d}"
                case.person = rng.choice(people)
                for field in (
                    "opened_at",
                    "acknowledged_at",
                    "first_reply_at",
                    "resolved_at",
                    "closed_at",
                    "waiting_since",
                ):
                    value = getattr(case, field)
                    if value is not None:
                        setattr(case, field, min(value + shift, now))
                if case.acknowledge_by:
                    case.acknowledge_by += shift
                batch_cases.append(case)
                batch_sources.append(source)
                count = max(1, round(per_case + rng.uniform(-1, 1)))
                batch_threads.append((thread[:1] or [None]) * count)
                have_cases += 1
            Case.objects.bulk_create(batch_cases, batch_size=2000)
            batch_voices = []
            for case, thread in zip(batch_cases, batch_threads, strict=True):
                for index, source in enumerate(thread):
                    batch_voices.append(
                        Voice(
                            office=case.office,
                            person=case.person,
                            case=case,
                            channel=source.channel if source else "email",
                            subject=case.subject,
                            body=source.body if source else "",
                            received_at=case.opened_at + timedelta(days=3 * index),
                            read_at=case.opened_at + timedelta(hours=3),
                            theme=case.theme,
                            **lens_reading(source),
                        )
                    )
            Voice.objects.bulk_create(batch_voices, batch_size=5000)
            Reply.objects.bulk_create(
                copied_replies(batch_cases, batch_sources, reply_of), batch_size=5000
            )
            have_voices += len(batch_voices)
            print(f"  {have_cases:,} cases, {have_voices:,} messages", file=sys.stderr)


def lens_reading(source: object | None) -> dict:
    """What the lens read in the copied message (nothing, when there is no source)."""
    if source is None:
        return {}
    return {
        name: getattr(source, name)
        for name in ("emotion", "distress_load", "urgent", "analysed_at", "flags")
    }


def copied_replies(cases: list, sources: list, reply_of: dict) -> list:
    """A first reply for each copied case whose source case had one, with its coaching."""
    from compassion.cases.models import Reply

    replies = []
    for case, source in zip(cases, sources, strict=True):
        reply = reply_of.get(source.pk)
        if reply is None or case.first_reply_at is None:
            continue
        replies.append(
            Reply(
                office=case.office,
                case=case,
                person=case.person,
                kind=reply.kind,
                subject=reply.subject,
                body=reply.body,
                sent_at=case.first_reply_at,
                coach=reply.coach,
            )
        )
    return replies


def engine_name() -> str:
    from django.db import connection

    return {"postgresql": "PostgreSQL", "sqlite": "SQLite"}.get(
        connection.vendor, connection.vendor
    )


def vacuum_analyse() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


@contextlib.contextmanager
def postgres_database(server: str) -> Iterator[str]:
    """A new, empty database on the server, dropped afterwards; yields its URL."""
    import psycopg

    name = f"insights_bench_{os.getpid()}"
    admin = server.rstrip("/") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.rstrip("/") + f"/{name}"
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--postgres", default="", help="a server URL, e.g. postgres://u@host/")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        data_dir = stack.enter_context(tempfile.TemporaryDirectory())
        url = stack.enter_context(postgres_database(args.postgres)) if args.postgres else ""
        run(args, data_dir, url)


def run(args: argparse.Namespace, data_dir: str, database_url: str) -> None:
    setup(data_dir, database_url)
    from compassion.cases.models import Case
    from compassion.core import demo
    from compassion.voices.models import Voice

    office = demo.build_demo_office()
    print(
        f"Baseline: the demo office, {Case.objects.count():,} cases and "
        f"{Voice.objects.count():,} messages"
    )
    baseline = time_pages(args.runs)
    started = time.perf_counter()
    grow(office, args.cases, args.messages)
    vacuum_analyse()
    cases, messages = Case.objects.count(), Voice.objects.count()
    print(
        f"Scaled in {time.perf_counter() - started:.0f} s to {cases:,} cases and "
        f"{messages:,} messages"
    )
    scaled = time_pages(args.runs)
    print(
        f"\nRender times in ms ({engine_name()}): the first render with an empty cache, and the "
        f"median of {args.runs} renders (the first included); target {TARGET_MS} ms median"
    )
    print(
        f"{'page':<26}{'base first':>11}{'base median':>12}{'first':>9}{'median':>9}"
        f"{'ratio':>7}  target"
    )
    for name, _ in PAGES:
        base_first, base_median = baseline[name]
        first, median = scaled[name]
        verdict = "met" if median < TARGET_MS else "MISSED"
        print(
            f"{name:<26}{base_first:>11.0f}{base_median:>12.0f}{first:>9.0f}{median:>9.0f}"
            f"{median / base_median:>7.1f}  {verdict}"
        )


if __name__ == "__main__":
    main()
