"""The one seam between the reply composer and the lens's reply coach.

The coach reads a draft against the person's own messages and says whether it acknowledges
their feelings and specifics (EPITOME: emotional reaction, interpretation, exploration,
each 0-2), how concretely it helps (0-2), and what to add, in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass

from compassion.cases.models import Case
from compassion.lens import coach_reply

LEVELS = [
    ("emotional_reaction", "Acknowledges their feelings"),
    ("interpretation", "Shows we understood the specifics"),
    ("exploration", "Asks to learn more"),
    ("helping", "Commits to a concrete next step with a date"),
]
LEVEL_WORDS = ["not yet", "a little", "clearly"]
MAX_LEVEL = 2
MESSAGE_CHARS = 6000


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
        return {level.key: level.value for level in self.levels} | {
            "suggestions": self.suggestions
        }


def their_words(case: Case) -> str:
    """What the person wrote, newest first, so the coach reads the draft against it."""
    bodies = case.voices.order_by("-received_at").values_list("body", flat=True)[:5]
    text = "\n\n".join(body for body in bodies if body)
    return (text or case.heard or case.subject)[:MESSAGE_CHARS]


def coach_draft(draft: str, case: Case) -> Reading:
    coaching = coach_reply(their_words(case), draft)
    levels = [Level(key, label, int(getattr(coaching, key))) for key, label in LEVELS]
    return Reading(levels=levels, suggestions=list(coaching.suggestions))
