"""The one seam between the reply composer and the lens's reply coach.

The coach reads a draft against the person's own messages and says whether it acknowledges
their feelings and specifics (EPITOME: emotional reaction, interpretation, exploration,
each 0-2), how concretely it helps (0-2), and what to add, in plain words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from compassion.cases.models import Case
from compassion.lens import Coaching, coach_replies, coach_reply
from compassion.voices.models import Voice

LEVELS = [
    ("emotional_reaction", "Acknowledges their feelings"),
    ("interpretation", "Shows we understood the specifics"),
    ("exploration", "Asks to learn more"),
    ("helping", "Commits to a concrete next step with a date"),
]
LEVEL_WORDS = ["not yet", "a little", "clearly"]
MAX_LEVEL = 2
MESSAGE_CHARS = 6000
NEWEST = 5  # the person's newest messages the coach reads


@dataclass
class Level:
    key: str
    label: str
    value: int

    @property
    def max(self) -> int:
        return MAX_LEVEL

    @property
    def words(self) -> str:
        return LEVEL_WORDS[self.value]

    @property
    def scale(self) -> list[bool]:
        return [step < self.value for step in range(MAX_LEVEL)]


@dataclass
class Reading:
    levels: list[Level]
    suggestions: list[str]

    def to_dict(self) -> dict[str, object]:
        return {level.key: level.value for level in self.levels} | {"suggestions": self.suggestions}


def their_words(case: Case) -> str:
    """What the person wrote, newest first, so the coach reads the draft against it (an
    email reply's new words, not the thread it quotes again)."""
    voices = case.voices.order_by("-received_at").only("channel", "subject", "body")[:NEWEST]
    return words_from([voice.parts[0] for voice in voices], case)


def words_from(bodies: list[str], case: Case) -> str:
    text = "\n\n".join(body for body in bodies if body)
    return (text or case.heard or case.subject)[:MESSAGE_CHARS]


def their_words_by_case(cases: Sequence[Case]) -> dict[int, str]:
    """`their_words` of many cases, from one query."""
    bodies: dict[int, list[str]] = defaultdict(list)
    voices = (
        Voice.objects.filter(case__in=[case.pk for case in cases])
        .order_by("case_id", "-received_at")
        .only("case_id", "channel", "subject", "body")
    )
    for voice in voices:
        if len(bodies[voice.case_id]) < NEWEST:
            bodies[voice.case_id].append(voice.parts[0])
    return {case.pk: words_from(bodies[case.pk], case) for case in cases}


def reading_of(coaching: Coaching) -> Reading:
    levels = [Level(key, label, int(getattr(coaching, key))) for key, label in LEVELS]
    return Reading(levels=levels, suggestions=list(coaching.suggestions))


def coach_draft(draft: str, case: Case) -> Reading:
    return reading_of(coach_reply(their_words(case), draft))


def coach_drafts(drafts: Sequence[tuple[str, Case]]) -> list[Reading]:
    """Coach many drafts, each against its own case, reading them in batches (the lens is
    several times faster that way): what `coach_draft` gives, for each."""
    words = their_words_by_case([case for _, case in drafts])
    coached = coach_replies((words[case.pk], draft) for draft, case in drafts)
    return [reading_of(coaching) for coaching in coached]
