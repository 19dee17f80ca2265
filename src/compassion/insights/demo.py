"""Demo step for insights: the areas' deprivation deciles, and one real inequity to find.

In the demo constituency, letters and phone calls from Eastfield (the most deprived ward)
wait in the post tray and on the answerphone: many are acknowledged days late. The
audit has to find that from the data; nothing in the audit knows about it.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from compassion.cases.models import Case, Reply
from compassion.core.demo import places
from compassion.core.models import Office
from compassion.insights.areas import replace_areas
from compassion.voices.models import Channel, Voice

SLOW_WARD = "Eastfield"
SLOW_CHANNELS = [Channel.LETTER, Channel.PHONE]
SHARE_DELAYED = 0.8


def generate(office: Office, rng: random.Random) -> None:
    rows = [(ward, decile) for ward, _, decile in places.WARDS]
    replace_areas(office, rows, "English Indices of Deprivation 2019 (demo values)")
    delay_slow_post(office, rng)


def delay_slow_post(office: Office, rng: random.Random) -> None:
    """Acknowledge some Eastfield letters and calls three to six days late (their first
    reply, which cannot come before the acknowledgement, moves with it)."""
    first_channel = Voice.objects.filter(case=OuterRef("pk")).order_by("received_at")
    cases = list(
        Case.objects.filter(
            office=office,
            person__ward=SLOW_WARD,
            campaign__isnull=True,
            acknowledged_at__isnull=False,
        )
        .annotate(channel=Subquery(first_channel.values("channel")[:1]))
        .filter(channel__in=SLOW_CHANNELS)
        .order_by("pk")
    )
    now = timezone.now()
    changed = []
    replies_moved: dict[int, tuple[datetime, datetime]] = {}
    for case in cases:
        if rng.random() >= SHARE_DELAYED:
            continue
        late = case.opened_at + timedelta(hours=rng.uniform(75, 150))
        if late > now - timedelta(days=1) or (case.resolved_at and late > case.resolved_at):
            continue
        case.acknowledged_at = late
        if case.first_reply_at and case.first_reply_at < late:
            replies_moved[case.pk] = (case.first_reply_at, late)
            case.first_reply_at = late
        changed.append(case)
    Case.objects.bulk_update(changed, ["acknowledged_at", "first_reply_at"], batch_size=500)
    move_first_replies(replies_moved)


def move_first_replies(moved: dict[int, tuple[datetime, datetime]]) -> None:
    """Each case's first reply, sent at its old time, is sent at the new one instead."""
    replies = list(Reply.objects.filter(case_id__in=moved))
    for reply in replies:
        old, new = moved[reply.case_id]
        if reply.sent_at == old:
            reply.sent_at = new
    Reply.objects.bulk_update(replies, ["sent_at"], batch_size=500)
