"""Insights pages at scale: the demo office grown to 100,000 cases and 500,000 messages.

Builds the demo office (5,000 messages) in a temporary SQLite database, times each
insights page with the Django test client (the baseline), then bulk-creates copies of the
demo's people, cases and messages until the office holds the target volumes and times the
same pages again. Prints the median render time of each page and its ratio to the baseline.

    .venv/bin/python benchmarks/insights_dashboard.py [--cases 100000] [--messages 500000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
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


def setup(data_dir: str) -> None:
    os.environ["COMPASSION_DATA_DIR"] = data_dir
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

    from compassion.cases.models import Case
    from compassion.core.models import Person
    from compassion.voices.models import Voice

    rng = random.Random(seed)
    now = timezone.now()
    people = list(Person.objects.filter(office=office))
    cases = list(Case.objects.filter(office=office, campaign__isnull=True))
    voices_by_case: dict[int, list[Voice]] = {}
    for voice in Voice.objects.filter(office=office, case__isnull=False):
        voices_by_case.setdefault(voice.case_id, []).append(voice)
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
            batch_cases, batch_threads = [], []
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
                        )
                    )
            Voice.objects.bulk_create(batch_voices, batch_size=5000)
            have_voices += len(batch_voices)
            print(f"  {have_cases:,} cases, {have_voices:,} messages", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        setup(data_dir)
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
        cases, messages = Case.objects.count(), Voice.objects.count()
        print(
            f"Scaled in {time.perf_counter() - started:.0f} s to {cases:,} cases and "
            f"{messages:,} messages"
        )
        scaled = time_pages(args.runs)
        print(
            f"\nRender times in ms (SQLite): the first render with an empty cache, and the "
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
