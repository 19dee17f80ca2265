"""Full-text search over cases and the messages threaded into them.

Each case's words (reference, subject, what we heard, the help given, the person's name and
every message) are kept in `CaseText`; the database indexes them: an FTS5 table on SQLite,
a GIN text-search index on PostgreSQL (see migration 0005). Saving a case or a message
re-indexes its case through signals; bulk loads call `index_office`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import connection
from django.db.models import Prefetch, Q
from django.db.models.expressions import RawSQL

from compassion.cases.models import Case, CaseText
from compassion.core.models import Office
from compassion.voices.models import Voice

WORD = re.compile(r"\w+", re.UNICODE)
BATCH = 1000


def case_words(case: Case, voices: Iterable[Voice]) -> str:
    parts = [case.reference, case.subject, case.heard, case.help_given]
    person = case.person
    if person is not None and person.erased_at is None:
        parts += [person.full_name, person.email, person.postcode]
    for voice in voices:
        parts += [voice.subject, voice.body]
    return "\n".join(part for part in parts if part)


def index_case(case_id: int) -> None:
    case = Case.objects.select_related("person").filter(pk=case_id).first()
    if case is None:
        return
    voices = Voice.objects.filter(case_id=case_id).only("subject", "body").order_by("pk")
    CaseText.objects.update_or_create(
        case_id=case_id, defaults={"office_id": case.office_id, "body": case_words(case, voices)}
    )


def index_office(office: Office) -> int:
    """Rebuild the search text of every case of an office (after bulk loads). Returns the count."""
    voices = Voice.objects.only("case_id", "subject", "body").order_by("pk")
    cases = (
        Case.objects.for_office(office)
        .select_related("person")
        .prefetch_related(Prefetch("voices", queryset=voices))
        .order_by("pk")
    )
    CaseText.objects.filter(office=office).delete()
    count = 0
    batch: list[CaseText] = []
    for case in cases.iterator(chunk_size=BATCH):
        batch.append(CaseText(case=case, office=office, body=case_words(case, case.voices.all())))
        if len(batch) >= BATCH:
            CaseText.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    CaseText.objects.bulk_create(batch)
    return count + len(batch)


def fts5_query(text: str) -> str:
    """Words as quoted FTS5 terms (so punctuation cannot break the query); last one a prefix."""
    words = WORD.findall(text)
    if not words:
        return ""
    terms = [f'"{word}"' for word in words]
    terms[-1] += "*"
    return " ".join(terms)


# A UK postcode typed without its space ("nb16ff", "SW1A1AA"): the outward part, then the
# inward part (a digit and two letters).
UNSPACED_POSTCODE = re.compile(r"\b([a-z]{1,2}\d[a-z\d]?)(\d[a-z]{2})\b", re.IGNORECASE)


def matching(text: str) -> Q:
    """A filter on Case for the cases whose words match the search text; a postcode typed
    without its space is searched with it, as the text holds it."""
    text = UNSPACED_POSTCODE.sub(r"\1 \2", text)
    if connection.vendor == "sqlite":
        query = fts5_query(text)
        if not query:
            return Q(pk__in=[])
        sql = "SELECT rowid FROM cases_casetext_fts WHERE cases_casetext_fts MATCH %s"
        return Q(pk__in=RawSQL(sql, [query]))
    if connection.vendor == "postgresql":
        sql = (
            "SELECT case_id FROM cases_casetext WHERE to_tsvector('english', body) "
            "@@ websearch_to_tsquery('english', %s)"
        )
        return Q(pk__in=RawSQL(sql, [text]))
    return Q(pk__in=CaseText.objects.filter(body__icontains=text).values("case_id"))
