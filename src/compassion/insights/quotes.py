"""People's own words for briefings and speeches: only with consent, always redacted by the lens.

Quotes come from what the caseworker recorded as mattering most to the person (`Case.heard`)
and from the lines people added to a campaign template. A quote is used only when the
person's latest decision on quoting is yes, and only after the lens has taken out anything
that could identify them. Without the lens's redaction, no quote is shown at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, QuerySet, Subquery

from compassion.cases.models import Case
from compassion.core.models import Consent, ConsentPurpose, Person
from compassion.core.themes import Theme

CANDIDATES = 400
THEME_LABELS = dict(Theme.choices)


@dataclass
class Quote:
    text: str
    theme: str
    month: str


def redactor() -> Callable[[str], object] | None:
    """The lens's redaction, or None while the lens is not installed."""
    try:
        from compassion.lens import redact
    except ImportError:
        return None
    return redact


def redaction_available() -> bool:
    return redactor() is not None


def redact(text: str) -> str:
    return str(redactor()(text))


def with_quote_consent(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Cases whose person's most recent decision about being quoted is yes.

    The people are found first (one subquery per person of the office who ever decided),
    so the cases are filtered by a plain IN, however many there are.
    """
    latest = (
        Consent.objects.filter(person=OuterRef("pk"), purpose=ConsentPurpose.QUOTE)
        .order_by("-recorded_at", "-pk")
        .values("given")[:1]
    )
    agreed = (
        Person.objects.filter(erased_at__isnull=True, consents__purpose=ConsentPurpose.QUOTE)
        .annotate(may_quote=Subquery(latest))
        .filter(may_quote=True)
        .values("pk")
    )
    return cases.filter(person__in=agreed)


def representative_quotes(cases: QuerySet[Case], count: int) -> list[Quote]:
    """Up to `count` redacted quotes spread over the period: one per person, no near-repeats."""
    if not redaction_available():
        return []
    rows = list(
        with_quote_consent(cases.exclude(heard=""))
        .order_by("opened_at")
        .values_list("heard", "theme", "opened_at", "person_id")[:CANDIDATES]
    )
    chosen, people, gists = [], set(), set()
    step = max(len(rows) // max(count, 1), 1)
    order = [i for start in range(step) for i in range(start, len(rows), step)]
    for index in order:
        if len(chosen) >= count:
            break
        heard, theme, opened, person = rows[index]
        if person in people:
            continue
        words = redact(heard.strip())
        # Compared once redacted: letters that differ only in an address read the same.
        gist = re.sub(r"[^a-z]+", " ", words.lower())[:40]
        if gist in gists:
            continue
        people.add(person)
        gists.add(gist)
        chosen.append(Quote(words, THEME_LABELS.get(theme, theme), month(opened)))
    return chosen


def month(moment: datetime) -> str:
    return f"{moment:%B %Y}"
