"""Import speed of an mbox of realistic emails, and memory as the mailbox grows.

    .venv/bin/python benchmarks/voices_import.py [--messages 10000] [--grow 1000,10000,100000]

1. Full import: writes an mbox of N realistic emails (plain, HTML with a tracking pixel,
   quoted-printable Latin-1, replies to earlier ones, small PDF attachments, one in fifty
   from people already known), imports it into a fresh office in a temporary SQLite
   database through the same path as `compassion ingest` (person matching, threading,
   cases on the service clock, attachments, acknowledgements, the case search index, the
   lens every 500 messages), and prints messages per second and the peak resident memory
   the import added. Acknowledgement emails go to Django's in-memory backend.
2. Growth: streams and parses mailboxes of each size in --grow (no database), each run
   in a fresh process that reports the peak resident memory the work added. Baseline:
   reading the whole file into memory first, as a naive importer would. Target: our peak
   stays flat (the same at 100,000 messages as at 1,000) while the baseline grows.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

FIRST = ["Joan", "Raj", "Aisha", "Tom", "Mei", "Olena", "Kwame", "Siobhan", "Piotr", "Grace"]
LAST = ["Smith", "Patel", "Khan", "Brown", "Chen", "Kowalski", "Mensah", "Murphy", "Ali"]
TOPICS = [
    ("Damp and mould in my flat", "There is black mould in the bedroom and my son has asthma."),
    ("Universal Credit stopped", "My payment was stopped because I was in hospital."),
    ("Visa application delayed", "My wife's visa has been waiting for nine months."),
    ("Bins not collected", "Our bins have not been emptied for three weeks on Mill Lane."),
    ("School place", "My daughter has no secondary school place for September."),
    ("Café licence", "Le café de mon frère a été fermé sans préavis."),
]


def realistic_email(number: int, rng: random.Random, start: datetime) -> bytes:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    subject, text = rng.choice(TOPICS)
    message = EmailMessage()
    message["From"] = f"{first} {last} <{first.lower()}.{last.lower()}{number % 700}@example.net>"
    message["To"] = "office@example.org"
    message["Date"] = format_datetime(start + timedelta(minutes=number))
    message["Message-ID"] = f"<bench-{number}@mail.example.net>"
    if number > 10 and rng.random() < 0.2:
        message["Subject"] = f"Re: {subject}"
        message["In-Reply-To"] = f"<bench-{rng.randrange(number)}@mail.example.net>"
    else:
        message["Subject"] = subject
    postcode = (
        f"NB{rng.randint(1, 6)} {rng.randint(1, 9)}{rng.choice('ABDEFG')}{rng.choice('HJLNP')}"
    )
    body = f"Dear Ms Hussain,\n\n{text}\n\nPlease can you help?\n\n{first} {last}\n{postcode}"
    kind = rng.random()
    if kind < 0.3:
        message.set_content(body)
        html = body.replace("\n", "<br>")
        message.add_alternative(
            f"<p>{html}</p><img src='https://t.example/p.gif?{number}'><script>x()</script>",
            subtype="html",
        )
    elif kind < 0.45:
        message.set_content(body, charset="latin-1", cte="quoted-printable")
    else:
        message.set_content(body)
    if rng.random() < 0.05:
        message.add_attachment(
            b"%PDF-1.4\n" + os.urandom(20_000),
            maintype="application",
            subtype="pdf",
            filename="letter.pdf",
        )
    return message.as_bytes()


def write_mbox(path: Path, count: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    start = datetime(2026, 1, 5, 9, tzinfo=UTC)
    with path.open("wb") as handle:
        for number in range(count):
            raw = realistic_email(number, rng, start).replace(b"\r\n", b"\n")
            escaped = b"\n".join(
                b">" + line if line.lstrip(b">").startswith(b"From ") else line
                for line in raw.split(b"\n")
            )
            handle.write(b"From bench@example.net Mon Jan  5 09:00:00 2026\n")
            handle.write(escaped.rstrip(b"\n") + b"\n\n")


def setup_django(folder: str) -> None:
    os.environ["COMPASSION_DATA_DIR"] = folder
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "compassion.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", verbosity=0)


def full_import(folder: Path, count: int) -> None:
    from compassion.core.models import Office, Person
    from compassion.voices import analysis
    from compassion.voices.models import Voice
    from compassion.voices.sources import ingest_path

    office = Office.objects.create(name="Bench office", slug="bench", area_postcodes="NB1\nNB2")
    Person.objects.bulk_create(
        Person(
            office=office,
            first_name=f,
            last_name=last,
            email=f"{f.lower()}.{last.lower()}1@example.net",
        )
        for f in FIRST
        for last in LAST
    )
    box = folder / "bench.mbox"
    write_mbox(box, count)
    size_mb = box.stat().st_size / 1_048_576
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    summary = ingest_path(office, box)
    seconds = time.perf_counter() - started
    peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    rate = count / seconds
    print(
        f"Full import of {count:,} emails ({size_mb:.0f} MB mbox), lens "
        f"{'on' if analysis.lens_available() else 'absent'}:"
    )
    print(f"  {summary.line()}")
    print(f"  {seconds:.1f} s, {rate:.1f} messages/s, peak RSS added {peak:.1f} MB")
    print(f"  voices stored: {Voice.objects.count():,}")
    started = time.perf_counter()
    again = ingest_path(office, box)
    seconds = time.perf_counter() - started
    print(f"  second run: {again.line()}, {seconds:.1f} s, {count / seconds:.0f} messages/s")


def growth(folder: Path, sizes: list[int]) -> None:
    """Each measurement runs in a fresh process and reports its own peak resident memory."""
    print("\nStreaming parse as the mailbox grows (no database), each in a fresh process:")
    print(
        f"  {'messages':>9} {'file MB':>8} {'ours: s':>8} {'msgs/s':>7} "
        f"{'ours: peak RSS MB':>18} {'baseline read whole: peak RSS MB':>33}"
    )
    for size in sizes:
        box = folder / f"grow-{size}.mbox"
        write_mbox(box, size, seed=size)
        seconds, ours = measure("ours", box)
        _, whole = measure("whole", box)
        print(
            f"  {size:>9,} {box.stat().st_size / 1_048_576:>8.0f} {seconds:>8.1f} "
            f"{size / seconds:>7.0f} {ours:>18.1f} {whole:>33.1f}"
        )
        box.unlink()


def measure(kind: str, box: Path) -> tuple[float, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--measure", kind, str(box)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(output[0]), float(output[1])


def memory_kb(field: str) -> int:
    """VmRSS (now) or VmHWM (peak) of this process, from /proc (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def measure_here(kind: str, box: Path) -> None:
    """Peak RSS the work added over the process after its imports.

    The peak is reset first (clear_refs), because a child process inherits its parent's
    peak, and this one's parent has Django loaded.
    """
    from compassion.voices.parsing import iter_mbox, parse_email

    Path("/proc/self/clear_refs").write_text("5")
    before = memory_kb("VmRSS")
    started = time.perf_counter()
    if kind == "ours":
        with box.open("rb") as handle:
            for message in iter_mbox(handle):
                parse_email(message.raw, 25 * 1_048_576)
    else:
        data = box.read_bytes()
        data.count(b"\nFrom ")
    seconds = time.perf_counter() - started
    print(f"{seconds:.3f} {(memory_kb('VmHWM') - before) / 1024:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=10_000, help="0 skips the full import")
    parser.add_argument("--grow", default="1000,10000,100000")
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure_here(args.measure[0], Path(args.measure[1]))
        return
    with tempfile.TemporaryDirectory() as folder:
        setup_django(folder)
        if args.messages:
            full_import(Path(folder), args.messages)
        if args.grow:
            growth(Path(folder), [int(size) for size in args.grow.split(",")])


if __name__ == "__main__":
    main()
