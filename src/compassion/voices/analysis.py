"""The lens seam: the one place where intake hands voices to `compassion.lens`.

`analyse(voices)` reads a batch with the lens and stores what it found on each Voice
(emotion, flags with their evidence, theme, distress load, campaign), marks the Case
urgent with the reasons in plain words, and emails the leader and office manager about
cases that have just become urgent. Where the lens is not installed, voices are left
unanalysed (`analysed_at` stays empty): this module never invents a reading.

Campaigns form across batches: each batch is read together with the office's existing
campaign letters and its recent messages that belong to no campaign, so that the tenth
copy of a letter arriving one at a time still joins (or starts) its campaign.
"""

from __future__ import annotations

import importlib.util
import logging
from collections import Counter
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from compassion.cases.models import Case, with_urgency_reason
from compassion.core.models import Membership, Office, Role
from compassion.voices.models import Campaign, Voice

log = logging.getLogger(__name__)

CAMPAIGN_MIN_SIZE = 3  # messages before near-identical letters count as a campaign
CONTEXT_DAYS = 30
CONTEXT_LIMIT = 3000
PERSONAL_LINE_MIN_WORDS = 4  # shorter lines are greetings, names and postcodes
ANALYSED_FIELDS = [
    "emotion",
    "emotion_scores",
    "emotion_words",
    "request_for_help",
    "request_words",
    "risk_to_life",
    "risk_score",
    "flags",
    "theme",
    "theme_confidence",
    "distress_load",
    "urgent",
    "analysed_at",
]


def lens_available() -> bool:
    return importlib.util.find_spec("compassion.lens.analyse") is not None


def analyse(voices: Sequence[Voice], notify: bool = True, campaigns: bool = True) -> int:
    """Read the voices with the lens; returns how many were analysed (0 without a lens).

    `campaigns=False` skips campaign grouping (the demo's generated letters are built from
    a few templates, so the lens would rightly find them near-identical).
    """
    voices = [voice for voice in voices if voice.pk]
    if not voices or not lens_available():
        return 0
    from compassion import lens

    readings = read_with_office_lenses(voices)
    now = timezone.now()
    file_follow_ups_under_their_case(voices)
    for voice, reading in zip(voices, readings, strict=True):
        store_reading(voice, reading, lens.FLAG_KINDS, now)
    with transaction.atomic():
        for voice in voices:  # no save signals: what the lens read changes no searchable text
            Voice.objects.filter(pk=voice.pk).update(
                **{name: getattr(voice, name) for name in ANALYSED_FIELDS}
            )
        newly_urgent = mark_cases(voices)
        offices = Office.objects.filter(pk__in={voice.office_id for voice in voices})
        for office in offices if campaigns else []:
            group_campaigns(office, [v for v in voices if v.office_id == office.pk])
    if notify and newly_urgent:
        notify_urgent(newly_urgent)
    return len(voices)


def read_with_office_lenses(voices: Sequence[Voice]) -> list[Any]:
    """The lens's readings, in order, each office's voices read with that office's theme
    model (learned from its staff's corrections) where it has one, else the shipped lens.

    Each office's model is refitted first when new corrections exist (outside web
    requests) and loaded once for the whole batch (and kept while it does not change).
    """
    from compassion.cases import theme_learning
    from compassion.lens import analyse_texts

    readings: list[Any] = [None] * len(voices)
    for office in Office.objects.filter(pk__in={voice.office_id for voice in voices}):
        office_lens = theme_learning.office_lens(office)
        positions = [i for i, voice in enumerate(voices) if voice.office_id == office.pk]
        texts = [voice_text(voices[i]) for i in positions]
        for i, reading in zip(
            positions, analyse_texts(texts, lens=office_lens, explain=False), strict=True
        ):
            readings[i] = reading
    return readings


def file_follow_ups_under_their_case(voices: Sequence[Voice]) -> None:
    """A later message in a case that has a theme takes the case's theme rather than the
    lens's: "Any news on my case?" has no theme of its own, and staff theme cases."""
    waiting = [voice for voice in voices if not voice.theme and voice.case_id]
    cases = Case.objects.exclude(theme="other").in_bulk({voice.case_id for voice in waiting})
    for voice in waiting:
        if voice.case_id in cases:
            voice.case = cases[voice.case_id]  # already loaded: `is_follow_up` reads it
            if is_follow_up(voice):
                voice.theme = voice.case.theme


def voice_text(voice: Voice) -> str:
    """What the lens reads: the subject and the new words (not the thread a reply quotes)."""
    new_words = voice.parts[0]
    return f"{voice.subject}\n\n{new_words}" if voice.subject else new_words


def store_reading(voice: Voice, reading: Any, kinds: dict[str, str], now: Any) -> None:
    voice.emotion = reading.emotion
    voice.emotion_scores = reading.emotion_scores
    voice.emotion_words = (reading.emotion_words or "")[:200]
    voice.request_for_help = reading.request_for_help
    voice.request_words = (reading.request_words or "")[:200]
    voice.risk_to_life = reading.risk_to_life
    voice.risk_score = reading.risk_score
    voice.flags = flags_with_evidence(reading.flags, kinds)
    if not voice.theme:  # a theme set by a person is never overwritten
        voice.theme = reading.theme
        voice.theme_confidence = reading.theme_confidence
    voice.distress_load = reading.distress_load
    # Urgent means a rule found the words that show it; the learned risk score alone is
    # kept (risk_to_life) and shown, but flags too many ordinary letters to lead the inbox.
    voice.urgent = bool(voice.flags)
    voice.analysed_at = now


def flags_with_evidence(flags: Sequence[Any], kinds: dict[str, str]) -> list[dict[str, Any]]:
    """One entry per kind of risk, in plain words, with every phrase that showed it."""
    merged: dict[str, dict[str, Any]] = {}
    for flag in flags:
        entry = merged.setdefault(
            flag.kind, {"kind": flag.kind, "label": kinds.get(flag.kind, flag.kind), "evidence": []}
        )
        if flag.evidence and flag.evidence not in entry["evidence"]:
            entry["evidence"].append(flag.evidence)
    return list(merged.values())


def mark_cases(voices: Sequence[Voice]) -> list[tuple[Case, Voice]]:
    """Make the cases of urgent voices urgent, with reasons, and give every case the heaviest
    distress load of its messages (the team page spreads distressing casework by it).
    Return the cases newly urgent."""
    in_cases = [voice for voice in voices if voice.case_id]
    cases = {case.pk: case for case in Case.objects.filter(pk__in={v.case_id for v in in_cases})}
    changed = set()
    for voice in in_cases:
        case = cases[voice.case_id]
        if voice.distress_load > case.distress_load:
            case.distress_load = voice.distress_load
            changed.add(case.pk)
    newly = []
    for voice in (voice for voice in in_cases if voice.urgent):
        case = cases[voice.case_id]
        changed.add(case.pk)
        was_urgent = case.urgent
        reasons = list(case.urgency_reasons)
        for flag in voice.flags:
            reasons = with_urgency_reason(reasons, flag["kind"], voice.received_at)
        case.urgent = True
        case.urgency_reasons = reasons
        if not was_urgent and case.is_open:
            newly.append((case, voice))
    Case.objects.bulk_update(
        [cases[pk] for pk in changed],
        ["urgent", "urgency_reasons", "distress_load"],
        batch_size=500,
    )
    theme_new_cases(voices)
    return newly


def theme_new_cases(voices: Sequence[Voice]) -> None:
    """A case still without a theme takes the theme of its earliest message read here."""
    earliest: dict[int, Voice] = {}
    for voice in sorted(voices, key=lambda v: v.received_at):
        if voice.case_id and voice.theme:
            earliest.setdefault(voice.case_id, voice)
    unthemed = list(Case.objects.filter(pk__in=earliest, theme="other"))
    for case in unthemed:
        case.theme = earliest[case.pk].theme
    Case.objects.bulk_update(unthemed, ["theme"], batch_size=500)


def group_campaigns(office: Office, voices: Sequence[Voice]) -> None:
    """Join near-identical letters to their campaign, or start one when enough arrive."""
    from compassion.lens import find_campaigns

    fresh = [voice for voice in voices if voice.campaign_id is None and not is_follow_up(voice)]
    if not fresh:
        return
    existing = list(Campaign.objects.filter(office=office).exclude(template_text=""))
    since = timezone.now() - timedelta(days=CONTEXT_DAYS)
    context = list(
        Voice.objects.filter(
            office=office,
            campaign__isnull=True,
            received_at__gte=since,
            received_at=F("case__opened_at"),
        )
        .exclude(pk__in=[voice.pk for voice in fresh])
        .order_by("-received_at")[:CONTEXT_LIMIT]
    )
    texts = [c.template_text for c in existing] + [v.body for v in context + fresh]
    ids = [f"c{c.pk}" for c in existing] + [f"v{v.pk}" for v in context + fresh]
    by_id = {f"v{v.pk}": v for v in context + fresh}
    campaigns = {f"c{c.pk}": c for c in existing}
    for group in find_campaigns(texts, ids, min_size=2):
        known = [campaigns[i] for i in group.member_ids if i in campaigns]
        members = [by_id[i] for i in group.member_ids if i in by_id]
        if not known and len(members) < CAMPAIGN_MIN_SIZE:
            continue
        campaign = known[0] if known else start_campaign(office, members, group.template)
        join_campaign(campaign, members, group.personal_lines)


def is_follow_up(voice: Voice) -> bool:
    """A reply within a case is not a campaign letter, however alike replies may be."""
    return voice.case_id is not None and voice.case.opened_at != voice.received_at


def start_campaign(office: Office, members: Sequence[Voice], template: Sequence[str]) -> Campaign:
    subject = Counter(v.subject for v in members if v.subject).most_common(1)
    theme = Counter(v.theme for v in members if v.theme).most_common(1)
    return Campaign.objects.create(
        office=office,
        title=(subject[0][0] if subject else "Campaign")[:200],
        template_text="\n".join(template),
        theme=theme[0][0] if theme else "other",
        first_seen_at=min(v.received_at for v in members),
    )


def join_campaign(
    campaign: Campaign, members: Sequence[Voice], personal: dict[str, list[str]]
) -> None:
    for voice in members:
        lines = [
            line
            for line in personal.get(f"v{voice.pk}", [])
            if len(line.split()) >= PERSONAL_LINE_MIN_WORDS
        ]
        voice.campaign = campaign
        voice.personal_lines = "\n".join(lines)
    Voice.objects.bulk_update(members, ["campaign", "personal_lines"], batch_size=500)
    Case.objects.filter(pk__in=[v.case_id for v in members if v.case_id]).update(campaign=campaign)


def notify_urgent(newly_urgent: Sequence[tuple[Case, Voice]]) -> None:
    """Email the leader and office manager: which cases, and why; never the message itself."""
    by_office: dict[int, list[tuple[Case, Voice]]] = {}
    for case, voice in newly_urgent:
        by_office.setdefault(case.office_id, []).append((case, voice))
    for office_id, items in by_office.items():
        recipients = list(
            Membership.objects.filter(office_id=office_id, role__in=[Role.LEADER, Role.MANAGER])
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
        if not recipients:
            continue
        lines = [
            f"- {case.reference}: {'; '.join(case.urgency_reasons)}\n"
            f"  {settings.SITE_URL}/inbox/{voice.pk}/"
            for case, voice in items
        ]
        count = len(items)
        subject = (
            "Urgent: 1 new message needs attention"
            if count == 1
            else f"Urgent: {count} new messages need attention"
        )
        body = (
            "These messages were flagged as urgent when they arrived. They are at the top "
            "of the inbox.\n\n" + "\n".join(lines) + "\n\nThis email leaves out what the "
            "messages say; open them in Compassion."
        )
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        except Exception:  # noqa: BLE001 - the inbox still shows them first
            log.exception("Could not send the urgent notification for office %s", office_id)
