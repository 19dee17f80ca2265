"""How fast the public tracker serves from a cold cache, with the demo office's data.

Builds the demo office in a fresh SQLite database (or uses DATABASE_URL), then requests the
public list, a commitment's public page, both feeds and the widget, each 50 times, and
prints the median and 95th percentile. Before every request the cache is cleared; the pages
are timed twice, with the database connection kept (as in production) and with it closed
before every request, so nothing is served from memory a previous request left.
Baseline, in the same process: the login page, the simplest page the site serves.

Target: the public list under 100 ms median.

    .venv/bin/python benchmarks/commitments_public.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

ROUNDS = 50


def setup() -> None:
    if "DATABASE_URL" not in os.environ:
        os.environ["COMPASSION_DATA_DIR"] = tempfile.mkdtemp(prefix="commitments-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compassion.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def timings(client: object, path: str, reconnect: bool) -> list[float]:
    from django.core.cache import cache
    from django.db import connection

    result = []
    for _ in range(ROUNDS):
        cache.clear()
        if reconnect:
            connection.close()
        started = time.perf_counter()
        response = client.get(path)  # type: ignore[attr-defined]
        result.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return result


def main() -> int:
    setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from compassion.commitments.models import Commitment
    from compassion.core import demo

    setup_test_environment()
    demo.remove_demo_office()
    started = time.perf_counter()
    office = demo.build_demo_office(seed=2026)
    print(f"Demo office built in {time.perf_counter() - started:.1f} s")
    commitments = Commitment.objects.for_office(office).public()
    print(
        f"{commitments.count()} public commitments, "
        f"{Commitment.objects.for_office(office).count()} in all"
    )
    sample = commitments.exclude(metric_label="").first()
    client = Client()
    slug = office.slug
    pages = [
        ("login page (baseline)", "/login/"),
        ("public list", f"/promises/{slug}/"),
        ("public list, filtered", f"/promises/{slug}/?q=library&status=in_the_works"),
        ("public commitment", f"/promises/{slug}/{sample.pk}/"),
        ("Atom feed", f"/promises/{slug}/feed.atom"),
        ("JSON feed", f"/promises/{slug}/feed.json"),
        ("widget", f"/promises/{slug}/widget/"),
    ]
    client.get(pages[1][1])  # import templates and code once; the data is read afresh each time
    print(f"{'page':<24}{'median ms':>10}{'p95 ms':>9}{'x baseline':>12}")
    medians = {}
    for reconnect in (False, True):
        print(
            "With a new database connection for every request:"
            if reconnect
            else "With database connections as configured (PostgreSQL keeps them 60 s):"
        )
        baseline = None
        for name, path in pages:
            found = sorted(timings(client, path, reconnect))
            median = statistics.median(found)
            p95 = found[int(len(found) * 0.95) - 1]
            baseline = baseline or median
            medians[(name, reconnect)] = median
            print(f"{name:<24}{median:>10.1f}{p95:>9.1f}{median / baseline:>12.2f}")
    ok = medians[("public list", True)] < 100
    print(
        f"Public list median, new connection each time, {medians[('public list', True)]:.1f} ms: "
        f"{'within' if ok else 'OVER'} the 100 ms target."
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
