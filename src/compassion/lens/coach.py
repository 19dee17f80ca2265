"""Reply coaching: how empathic and how helpful is a drafted reply, and what would improve it.

Empathy is scored with the three EPITOME mechanisms (Sharma et al., EMNLP 2020):
emotional reaction, interpretation and exploration, each 0 (none), 1 (weak), 2 (strong),
by models trained on the EPITOME Reddit ratings (see `empathy.py`), which read the reply
as a whole, sentence by sentence, and against the message it answers; a reply that says
back what the writer is going through ("It sounds like...") shows interpretation at least
weakly, by rule. `helping` is a rule:
0 no offer of help, 1 a vague offer, 2 a concrete next step with an owner or a date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from itertools import islice

import numpy as np

from compassion.lens.analyse import Analysis, default_lens
from compassion.lens.coach_features import OFFICE_OWNER, OFFICE_STEPS, WILL_OR_HAVE
from compassion.lens.empathy import MechanismModel, read_replies
from compassion.lens.rules import LIFE_RISK_KINDS, Flag

MECHANISMS = ("emotional_reaction", "interpretation", "exploration")
BATCH_SIZE = 500

_OWNER_ACTION = re.compile(
    r"\b(?:"
    + OFFICE_OWNER
    + r"|my colleague|[A-Z][a-z]+ from (?:my|our) (?:office|team))"
    + WILL_OR_HAVE
    + r"(?:now\s+|already\s+|personally\s+)?(?P<step>"
    + OFFICE_STEPS
    + r"|ask|asked|meet|visit|speak|spoken|take this up|taken this up|get back|update|"
    r"follow up|press|pressed|make sure)\b",
    re.IGNORECASE,
)
# Steps that leave the writer waiting on someone else unless they come with a date: "I have
# passed it on", "I have sent your letter to the DWP", "I will get back to you".
_HAND_OFFS = frozenset(
    {"pass", "passed", "forward", "forwarded", "send", "sent", "get back", "update", "follow up"}
)
_WHEN = re.compile(
    r"\b(?:today|tonight|tomorrow|this (?:morning|afternoon|week)|by (?:monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday|the end of|close of|\d)|on (?:monday|tuesday|"
    r"wednesday|thursday|friday)|within (?:\d+|one|two|three|five|seven|ten|a few) "
    r"(?:hours|days|working days|weeks)|next (?:week|monday|tuesday|wednesday|thursday|"
    r"friday)|in (?:the next )?(?:\d+|two|three|five|seven|ten) days|\d{1,2}(?:st|nd|rd|th)?"
    r" (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)\b",
    re.IGNORECASE,
)
_VAGUE_OFFER = re.compile(
    r"\b(?:let (?:me|us) know|happy to help|here to help|get in touch|do contact|feel free|"
    r"look into (?:it|this)|see what (?:i|we) can do|will (?:try|look|consider)|"
    r"you (?:could|should|can|may want to|might) (?:contact|call|speak|ask|try|apply|write|"
    r"visit|go)|(?:i|we) (?:can|could|would|may) (?:help|try|look|raise|ask|contact|write)|"
    r"if (?:you need|there is) anything|keep (?:me|us) (?:informed|posted|updated)|"
    r"reach out|support you)\b",
    re.IGNORECASE,
)

# Words that say back what the writer is going through. The interpretation model learned
# from Reddit replies, which seldom use them; office replies often do, and one that does has
# shown that it understood.
_SAYS_BACK = re.compile(
    r"\b(?:(?:it|that|this) (?:sounds|sound) (?:like|as if|as though|(?:really |so |very |"
    r"incredibly )?(?:hard|tough|difficult|awful|terrible|frightening|scary|stressful|"
    r"exhausting|overwhelming|painful|lonely|horrible|worrying|distressing|upsetting))|"
    r"(?:that|this|it) must (?:be|have been|feel)|you must (?:be|feel|have been)|"
    r"i can(?: only)? imagine|i (?:can )?understand (?:how|why|what)|i can see (?:how|why)|"
    r"i know how (?:you|that|hard|difficult)|i(?:'ve| have) been (?:there|through)|"
    r"i went through)\b",
    re.IGNORECASE,
)

_FEELING = {
    "distress": "worried",
    "anger": "frustrated",
    "neutral": "concerned",
}
_CONCERN = {
    "self_harm": "how they are feeling",
    "threat_to_life": "their safety",
    "eviction": "losing their home",
    "domestic_abuse": "their safety at home",
    "child_at_risk": "their child",
    "no_food_or_heating": "having no money for food or heating",
    "deadline": "the date coming up",
}
_UNSPECIFIED = "what they raised"
# What a message on each office theme is about, to finish "how worried they are about ...".
_THEME_CONCERN = {
    "housing": "the problem with their home",
    "benefits": "the problem with their benefits",
    "health": "their health and care",
    "immigration": "their immigration case",
    "education": "the school or education problem",
    "transport": "the transport problem",
    "crime": "the crime or antisocial behaviour they face",
    "environment": "the environmental problem",
    "local_services": "the local service that has let them down",
    "tax_money": "their tax or money problem",
}
_URGENT_HELP = re.compile(r"\b(?:999|111|116 ?123|samaritans|emergency|urgent|police|a&e)\b", re.I)


@dataclass
class Coaching:
    """EPITOME levels (0-2) for a reply, its `helping` level (0-2) and suggestions."""

    emotional_reaction: int
    interpretation: int
    exploration: int
    helping: int
    suggestions: list[str] = field(default_factory=list)
    id: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@cache
def _epitome_models() -> dict[str, MechanismModel]:
    return {name: MechanismModel.load(name) for name in MECHANISMS}


def helping_level(reply: str) -> int:
    """2: something will happen by a date, or I (not a faceless "we") will take a step
    other than handing the matter on; 1: a vague offer, or a step without an owner or date."""
    steps = [match["step"].lower() for match in _OWNER_ACTION.finditer(reply)]
    if steps and _WHEN.search(reply):
        return 2
    if _owner_named(reply) and any(step not in _HAND_OFFS for step in steps):
        return 2
    if steps or _VAGUE_OFFER.search(reply):
        return 1
    return 0


def interpretation_levels(replies: Sequence[str], levels: np.ndarray) -> np.ndarray:
    """The model's interpretation levels, raised to 1 where a reply says back what the
    writer is going through (`_SAYS_BACK`)."""
    says_back = np.array([bool(_SAYS_BACK.search(reply)) for reply in replies], dtype=bool)
    return np.where((levels == 0) & says_back, 1, levels)


def _owner_named(reply: str) -> bool:
    return bool(re.search(r"\b(?:I|I'll|I've|I have|I will)\b", reply))


def _acknowledge(reading: Analysis, concern: str) -> str:
    """The suggestion to acknowledge the writer's feelings about their concern. A message
    read as positive is mostly thanks, and "how glad they are about the problem with their
    home" would jar, so it asks for what they shared instead."""
    calm = reading.emotion in ("neutral", "positive")
    if reading.flags and calm:
        return f"Acknowledge how worried they are about {concern}."
    if reading.emotion == "positive":
        return f"Acknowledge what they shared about {concern}, and thank them for it."
    return f"Acknowledge how {_FEELING[reading.emotion]} they are about {concern}."


def _concern(flags: list[Flag], theme: str) -> str:
    for flag in flags:
        if flag.kind in _CONCERN:
            return _CONCERN[flag.kind]
    return _THEME_CONCERN.get(theme, _UNSPECIFIED)


def suggestions_for(
    reading: Analysis, reply: str, levels: dict[str, int], helping: int
) -> list[str]:
    """Plain-language suggestions for a reply to a message the lens has read, most urgent
    first."""
    concern = _concern(reading.flags, reading.theme)
    advice = []
    life_flags = [f for f in reading.flags if f.kind in LIFE_RISK_KINDS]
    if life_flags and not _URGENT_HELP.search(reply):
        advice.append(
            f'Their message says "{life_flags[0].evidence}": give urgent help first (999 in an '
            "emergency, Samaritans on 116 123) and say who will call them today."
        )
    if levels["emotional_reaction"] == 0:
        advice.append(_acknowledge(reading, concern))
    if levels["interpretation"] == 0:
        said_back = (
            "what they raised and what it means"
            if concern == _UNSPECIFIED
            else f"what {concern} means"
        )
        advice.append(
            f"Show you have understood: say back, in your own words, {said_back} for them."
        )
    if levels["exploration"] == 0:
        advice.append("Ask a gentle question to learn more, such as what would help most now.")
    if helping == 0:
        advice.append("Offer a concrete next step: say who will do what, and by when.")
    elif helping == 1:
        advice.append(
            "Make the offer concrete: name who will act and give a date, for example "
            '"I will write to the council today and update you by Friday."'
        )
    return advice


def coach_replies(pairs: Iterable[tuple[str, str]]) -> Iterator[Coaching]:
    """Coach each (message, reply) pair; yields one `Coaching` per pair, in order.

    Pairs are read BATCH_SIZE at a time: the replies are vectorised, and the messages read
    by the lens, together, which is several times faster than one by one.
    """
    models = _epitome_models()
    pairs = iter(pairs)
    while batch := list(islice(pairs, BATCH_SIZE)):
        messages = [message for message, _ in batch]
        replies = [reply for _, reply in batch]
        reading = read_replies(messages, replies)
        predicted = {name: model.levels_of(reading) for name, model in models.items()}
        predicted["interpretation"] = interpretation_levels(replies, predicted["interpretation"])
        readings = default_lens().analyse(messages, explain=False)
        for row, (reply, reading) in enumerate(zip(replies, readings, strict=True)):
            levels = {name: int(values[row]) for name, values in predicted.items()}
            helping = helping_level(reply)
            advice = suggestions_for(reading, reply, levels, helping)
            yield Coaching(**levels, helping=helping, suggestions=advice)


def coach_reply(message: str, reply: str) -> Coaching:
    """Coach one drafted `reply` to `message`."""
    return next(coach_replies([(message, reply)]))
