"""How often `risk_to_life` and each urgent-risk flag fire on the demo office's letters.

Composes first messages exactly as `compassion demo-data` does (same situations, tones,
openings and slot filling from `compassion.core.demo`, seeded), without a database, and
reads them with the shipped lens. Ordinary letters should raise almost nothing; the demo's
urgent situations should raise their own flag, and `risk_to_life` only for a life risk.

Run: .venv/bin/python benchmarks/lens_demo_flags.py [--messages 5000]
"""

from __future__ import annotations

import argparse
import os
import random
from collections import Counter
from datetime import UTC, datetime

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compassion.settings")
django.setup()

from compassion.core.demo import Clock, compose_message, letters, new_person  # noqa: E402
from compassion.core.models import Office  # noqa: E402
from compassion.lens import FLAG_KINDS, Lens  # noqa: E402


def demo_letters(count: int, seed: int) -> list[tuple[bool, str, str]]:
    """(urgent, situation subject, subject + body) for `count` first messages."""
    rng = random.Random(seed)
    office = Office(name="Demo", area_postcodes="")
    clock = Clock(datetime(2026, 11, 26, tzinfo=UTC))
    ordinary = [s for s in letters.SITUATIONS if not s.urgent]
    urgent = [s for s in letters.SITUATIONS if s.urgent]
    tones, weights = list(letters.TONE_WEIGHTS), list(letters.TONE_WEIGHTS.values())
    messages = []
    for _ in range(count):
        person = new_person(office, rng)
        is_urgent = rng.random() < 0.012
        situation = rng.choice(urgent if is_urgent else ordinary)
        when = clock.moment_in_last_year(rng)
        tone = "desperate" if is_urgent else rng.choices(tones, weights)[0]
        subject, body = compose_message(situation, tone, person, rng, when)
        messages.append((is_urgent, situation.subject, f"{subject}\n\n{body}"))
    return messages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    messages = demo_letters(args.messages, args.seed)
    analyses = Lens().analyse([text for _, _, text in messages], explain=False)
    for urgent in (False, True):
        chosen = [(m, a) for m, a in zip(messages, analyses, strict=True) if m[0] is urgent]
        total = len(chosen)
        kinds = Counter(flag.kind for _, a in chosen for flag in a.flags)
        life = sum(a.risk_to_life for _, a in chosen)
        print(f"{'Urgent' if urgent else 'Ordinary'} demo letters: {total}")
        print(f"  risk_to_life        {life / total:.3f} ({life})")
        for kind in FLAG_KINDS:
            print(f"  {kind:19} {kinds[kind] / total:.3f} ({kinds[kind]})")
        if not urgent:
            fired = Counter(m[1] for m, a in chosen if a.risk_to_life)
            print("  risk_to_life by situation:", dict(fired.most_common()))
        else:
            outcome = Counter((m[1], a.risk_to_life) for m, a in chosen)
            for (subject, life_risk), n in sorted(outcome.items()):
                print(f"    {n:3} x {subject}: risk_to_life={life_risk}")


if __name__ == "__main__":
    main()
