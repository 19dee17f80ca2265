"""Cases like this one: the same theme in the same ward, or near-duplicate words.

Near-duplicates are found among the office's recent cases of the same theme with the lens's
MinHash grouping of their first messages, which catches the same complaint written again,
by the same person or a neighbour.
"""

from __future__ import annotations

from dataclasses import dataclass

from compassion.cases.models import Case
from compassion.core.models import Membership
from compassion.lens import find_campaigns
from compassion.voices.models import Voice

CANDIDATES = 300
SHOWN = 6


@dataclass
class SimilarCase:
    case: Case
    why: str


def first_words(case_ids: list[int]) -> dict[int, str]:
    words: dict[int, str] = {}
    voices = Voice.objects.filter(case_id__in=case_ids).order_by("received_at", "pk")
    for case_id, subject, body in voices.values_list("case_id", "subject", "body"):
        words.setdefault(case_id, f"{subject}\n{body[:1500]}")
    return words


def similar_cases(case: Case, membership: Membership) -> list[SimilarCase]:
    """Up to six cases like `case` that `membership` may see."""
    same_theme = (
        Case.objects.for_office(case.office)
        .visible_to(membership)
        .filter(theme=case.theme, campaign__isnull=True)
        .exclude(pk=case.pk)
        .select_related("person", "assigned_to")
        .order_by("-opened_at")
    )
    found: list[SimilarCase] = []
    ward = case.person.ward if case.person else ""
    if ward:
        for other in same_theme.filter(person__ward=ward)[: SHOWN // 2]:
            found.append(SimilarCase(other, f"Same theme, also in {ward}"))
    seen = {item.case.pk for item in found}
    # Only the shown cases are loaded whole; the candidates are compared by their words.
    candidates = [
        (pk, subject)
        for pk, subject in same_theme.values_list("pk", "subject")[:CANDIDATES]
        if pk not in seen
    ]
    compared = [(case.pk, case.subject), *candidates]
    words = first_words([pk for pk, _ in compared])
    texts = [words.get(pk, subject) for pk, subject in compared]
    ids = [str(pk) for pk, _ in compared]
    # This case comes first, so its group (if any) is formed around it.
    mine = next((g for g in find_campaigns(texts, ids=ids, min_size=2) if g.id == ids[0]), None)
    members = [int(member) for member in mine.member_ids[1:]] if mine else []
    members = members[: SHOWN - len(found)]
    loaded = same_theme.in_bulk(members)
    found.extend(SimilarCase(loaded[pk], "Nearly the same words") for pk in members)
    return found
