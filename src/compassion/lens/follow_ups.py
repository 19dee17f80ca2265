"""Follow-ups that say nothing new: "Hi, just chasing my email", "Any news? It has been a
few weeks now."

With few words, each word weighs as much in the casework risk model as a whole letter's
words, and everyday words of chasing lean to risk there ("my last email" reads 0.80: "last"
opens "last night" in urgent letters). So a chaser read as a possible risk to life, and the
inbox brought it forward. A message made only of chasing words, a greeting, a reply's
subject line ("Re: ...") and a signed name tells nothing of risk, so the lens does not read
risk from it; the risk rules still read every word, and what the case is about was read
when it first came in.
"""

from __future__ import annotations

import re

from compassion.lens.redact import FIRST_NAMES, ORDINARY_WORDS

# A follow-up longer than this is a letter, and is read as one.
MAX_WORDS = 60
MAX_CHARS = 1_000

# Words that chase, thank or pass the time of day, and the small words between them. None
# of them tells of harm, danger or a deadline: "urgent", "worse", "tomorrow" and "deadline"
# are left out on purpose, so a chaser holding them is read for risk as before.
_CHASING = """
    chase chasing chased wait waiting waited update updates updated news reply replies
    replied response responded answer answered hear heard hearing back follow following
    followed up further check checking checked wonder wondering wondered hoping hope hoped
    wanted want ask asking asked sorry bother bothering remind reminder reminding see seen
    progress happening happened change changed changes received receive got get sent send
    wrote write written emailed email emails e mail letter letters message messages note
    enquiry query case reference ref number call called calls ring rang phone phoned
    voicemail contact contacted touch last previous earlier recent before ago over week
    weeks fortnight month months day days time times first second third few couple several
    long re fw fwd thanks thank many much very kind kindly regards best wishes cheers
    sincerely faithfully ta hi hello hiya dear good morning afternoon evening mornings
    afternoons things stand today yesterday monday tuesday wednesday thursday friday weekend
    one two three four five six office team mp mp's councillor sir madam mr mrs ms miss dr
"""
_SMALL = """
    i i'm im i've ive i'd i'll me my we we've we're our us you you've you're your yours
    the a an of to for from on about since in at with by this that it it's its is are was
    were am be been being has have had haven't havent hasn't hasnt hadn't do did does
    didn't didnt don't dont not no nothing any anything anyone someone somebody there here
    yet still just again already now so and or but as if whether when what where how
    please pls could can would will let know
"""
FOLLOW_UP_WORDS = frozenset((_CHASING + _SMALL).split())
_TITLES = frozenset(["mr", "mrs", "ms", "miss", "dr", "mx", "sir", "madam"])

_WORD = re.compile(r"[A-Za-z0-9]+(?:['\u2019][A-Za-z]+)?")
_REPLY_SUBJECT = re.compile(r"\A\s*(?:re|fw|fwd)\s*:[^\n]*\n", re.IGNORECASE)
_NAME = r"[A-Z][\w'.-]*"
_NAMES_AFTER_GREETING = r"((?:[ \t]+" + _NAME + r"){0,3})"
_NAME_SIGNED = r"(?:\n[ \t]*(" + _NAME + r"(?:[ \t]+" + _NAME + r"){0,3}))?"
_GREETING = re.compile(
    r"\A\s*(?i:dear|hi|hello|hiya|hey|good (?:morning|afternoon|evening))"
    + _NAMES_AFTER_GREETING
    + r"[ \t]*[,!.:]?"
)
_CLOSING = (
    r"\b(?i:(?:kind |best |warm |many )?regards|best wishes|best|(?:many )?thanks(?: again)?"
    r"|thank you|cheers|ta|yours(?: sincerely| faithfully)?)"
)
_SIGN_OFF = re.compile(r"(?:" + _CLOSING + r"[ \t]*[,.!]?\s*)?" + _NAME_SIGNED + r"\s*\Z")
_SIGN_OFF_LINES = 4  # a closing, a blank line, a name, and a line break after it


def says_nothing_new(text: str) -> bool:
    """Whether `text` is only a follow-up: chasing words between a greeting (and a reply's
    subject line) and a sign-off with the writer's name."""
    if len(text) > MAX_CHARS:
        return False
    body = _REPLY_SUBJECT.sub("", text, count=1)
    others = _names_among_the_words(body)
    if not others:
        return others is not None
    body = _without(_GREETING.match(body), body)
    head, tail = _split_last_lines(body, _SIGN_OFF_LINES)
    body = head + _without(_SIGN_OFF.search(tail), tail)
    return _names_among_the_words(body) == []


def _names_among_the_words(text: str) -> list[str] | None:
    """The words of `text` that are not words of following up, all capitalised, as names
    are; None where one is not, or where `text` has more than `MAX_WORDS` words."""
    names = []
    for number, match in enumerate(_WORD.finditer(text)):
        word = match[0]
        if number == MAX_WORDS:
            return None
        if word.isdigit() or word.lower().replace("\u2019", "'") in FOLLOW_UP_WORDS:
            continue
        if not word[0].isupper():
            return None
        names.append(word)
    return names


def _split_last_lines(text: str, count: int) -> tuple[str, str]:
    """`text` cut before its last `count` lines."""
    cut = len(text)
    for _ in range(count):
        cut = text.rfind("\n", 0, cut)
        if cut < 0:
            return "", text
    return text[:cut], text[cut:]


def _without(match: re.Match | None, body: str) -> str:
    """`body` without a greeting or sign-off `match`, if the words it takes for a name are a
    name (`_is_a_name`), so "Help Me" on a line of its own is still read."""
    if match is None or not _is_a_name(match[1] or ""):
        return body
    return body[: match.start()] + body[match.end() :]


def _is_a_name(words: str) -> bool:
    """Whether `words` (none, or one to four capitalised words) can be a name: a first name
    from the redaction's lists and any surname ("Ravi Walker"), or words none of which is an
    everyday English word ("Amira", "Ms Hussain")."""
    names = [word.strip(".").lower() for word in words.split()]
    names = [name for name in names if name not in _TITLES]
    if names and names[0] in FIRST_NAMES:
        return True
    return not any(name in ORDINARY_WORDS for name in names)
