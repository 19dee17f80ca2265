"""The demo office's replies carry the reply coach's reading, as replies sent from the
composer do, and its delayed acknowledgements stay consistent with its replies."""

import re

from compassion.cases import demo as cases_demo
from compassion.cases.coaching import LEVELS, coach_draft
from compassion.cases.models import Case, Reply, TemplateKind
from compassion.core import demo


def test_its_replies_carry_the_coachs_reading_from_curt_to_caring(db: None) -> None:
    office = demo.build_demo_office(seed=5, people=250, messages=700)
    replies = list(
        Reply.objects.filter(office=office, kind=TemplateKind.REPLY).select_related("case")
    )
    assert len(replies) > 100
    keys = [key for key, _ in LEVELS]
    assert all(set(keys) <= set(reply.coach) for reply in replies)
    for key in ("emotional_reaction", "helping"):
        assert {reply.coach[key] for reply in replies} == {0, 1, 2}
    receipts = [receipt[:25] for receipt in cases_demo.RECEIPTS]
    curt = [r for r in replies if any(receipt in r.body for receipt in receipts)]
    assert curt and all(r.coach["helping"] == 0 for r in curt)
    for reply in replies[:3]:  # what the composer would have recorded on sending
        assert coach_draft(reply.body, reply.case).to_dict() == reply.coach
    # Acknowledgements the demo delays move the first reply with them.
    assert all(reply.sent_at == reply.case.first_reply_at for reply in replies)


def test_it_answers_the_cases_the_lens_flags_as_fast_as_its_own_urgent_cases(
    db: None,
) -> None:
    """A section 21 notice the lens flags is urgent to the office too: before, the demo
    answered such cases in a median of 8 days, and the insights page reported it."""
    office = demo.build_demo_office(seed=5, people=250, messages=700)
    urgent = Case.objects.filter(office=office, urgent=True, first_reply_at__isnull=False)
    planned = [subject.split("{")[0] for subject in demo.URGENT_KINDS]
    flagged = urgent.exclude(subject__regex=r"^(" + "|".join(map(re.escape, planned)) + ")")
    assert flagged.count() >= 5
    waits = sorted((case.first_reply_at - case.opened_at).days for case in flagged)
    assert waits[len(waits) // 2] <= 2
