"""Features for the reply coach (not on the fast `analyse` path, so richer than `features.py`).

A reply is read twice: as a whole (hashed word 1-3 grams) and sentence by sentence, because
an empathic line ("so sorry you're going through this") is often one sentence in a long
reply and gets diluted in a whole-reply vector. A few counted cues of the reply and of the
(message, reply) pair complete the picture: questions for exploration, "I've been there"
self-disclosure for interpretation, "sorry / hugs" for emotional reaction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize

from compassion.lens.features import TOKEN_PATTERN

N_FEATURES = 2**18
_WORDS = HashingVectorizer(
    n_features=N_FEATURES,
    ngram_range=(1, 3),
    alternate_sign=False,
    norm=None,
    token_pattern=TOKEN_PATTERN,
)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")
_FEELING_WORDS = re.compile(
    r"\b(?:sorry|hugs?|sucks|hang in|i'?m here|here for you|hope|care|love|awful|terrible|"
    r"glad|proud|congrat\w*)\b|<3|&lt;3|\u2764|\u2665",
    re.IGNORECASE,
)
_UNDERSTANDING = re.compile(
    r"\b(?:i understand|i know (?:how|what)|i'?ve been|been there|same here|me too|"
    r"i feel the same|i was|i used to|i had|i have|i went through|i can relate|relate)\b",
    re.IGNORECASE,
)
_QUESTION_START = re.compile(
    r"(?:^|[.!?]\s+)(?:what|how|why|when|where|who|have you|do you|did you|are you|were you|"
    r"is there|would you|can you|could you|has|is it|does)\b",
    re.IGNORECASE,
)
_COURTESY = re.compile(
    r"^\s*(?:(?:many )?thanks?(?: you)? for (?:(?:your|the) (?:e-?mail|message|letter|enquiry)|"
    r"contacting|writing to|getting in touch)[^.!?\n,]*|(?:kind|best|warm) regards[^.!?\n]*|"
    r"yours (?:sincerely|faithfully)[^.!?\n]*)[.!?,]*\s*$",
    re.IGNORECASE,
)
# Who acts for the office, the verb that commits them, and the steps an office takes. The
# coach reads them twice: for whether a reply helps (`coach.helping_level`), and to set
# aside sentences that only state a step (`_OFFICE_STEP`).
OFFICE_OWNER = r"(?:i|we|my (?:office|team|caseworker)|our (?:office|team|caseworker))"
WILL_OR_HAVE = r"\s*(?:will|'ll|have|'ve|am going to|are going to|shall)\s+"
OFFICE_STEPS = (
    r"write|written|call|ring|phone|email|contact|contacted|raise|raised|refer|referred|"
    r"chase|chased|send|sent|pass|passed|forward|forwarded|escalate|escalated|submit|"
    r"submitted|book|booked|arrange|arranged"
)
# A sentence that only says what the office has done or will do ("I have forwarded it to the
# council."): it helps but shows no understanding, and the Reddit models read its "I have"
# as a writer sharing their own experience. No EPITOME reply has one.
_OFFICE_STEP = re.compile(
    r"^\s*(?:(?:and|so|today|now|noted|ok|okay)[,.]?\s+)?"
    + OFFICE_OWNER
    + WILL_OR_HAVE
    + r"(?:now\s+|already\s+|personally\s+|also\s+)?(?:"
    + OFFICE_STEPS
    + r")\b",
    re.IGNORECASE,
)
_QUESTION_TO_THEM = re.compile(r"\byou\b[^.!?]*\?", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(?:i|me|my|mine|myself|i'm|im|i've|ive|i'd|i'll)\b", re.IGNORECASE)
_CONTENT_WORD = re.compile(r"[a-z']{3,}")

CUES = (
    "log_length",
    "log_sentences",
    "log_question_marks",
    "starts_a_question",
    "feeling_words",
    "understanding_words",
    "shares_their_words",
    "asks_about_them",
    "first_person_rate",
)


def hashed_words(texts: Sequence[str]) -> sparse.csr_matrix:
    """Hashed word 1-3 grams, damped (log 1 + tf) and L2-normalised."""
    matrix = sparse.csr_matrix(_WORDS.transform(texts), dtype=np.float32)
    np.log1p(matrix.data, out=matrix.data)
    return normalize(matrix, copy=False)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text` (the whole text if it has none)."""
    spans = [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group().strip()]
    return spans or [(0, len(text))]


def without_office_formulas(reply: str) -> str:
    """The reply without an office letter's courtesy formulas ("Thank you for your email.",
    "Kind regards"), since on Reddit a thank-you is an emotional reaction and in a letter it
    is not, and without sentences that only state an office step (`_OFFICE_STEP`)."""
    kept = [
        reply[a:b]
        for a, b in sentence_spans(reply)
        if not _COURTESY.match(reply[a:b]) and not _OFFICE_STEP.match(reply[a:b])
    ]
    return " ".join(part.strip() for part in kept)


def split_sentences(texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Every sentence of every text, and the index of the text each came from."""
    sentences, owners = [], []
    for index, text in enumerate(texts):
        for start, end in sentence_spans(text):
            sentences.append(text[start:end])
            owners.append(index)
    return sentences, np.array(owners, dtype=np.int64)


def rationale_labels(text: str, rationales: str) -> tuple[list[int], bool]:
    """Which sentences of `text` hold a rater's rationale span ('|'-separated), and whether
    any span was found in the text at all."""
    found = []
    for span in rationales.split("|"):
        span = span.strip()
        start = text.find(span) if len(span) >= 3 else -1
        if start >= 0:
            found.append((start, start + len(span)))
    labels = [
        int(any(min(end, b) - max(start, a) >= min(5, b - a) for a, b in found))
        for start, end in sentence_spans(text)
    ]
    return labels, bool(found)


def _content_words(text: str) -> set[str]:
    return set(_CONTENT_WORD.findall(text.lower()))


def cues(message: str, reply: str) -> list[float]:
    """The counted cues named in `CUES`, for one (message, reply) pair."""
    reply_words = _content_words(reply)
    shared = len(_content_words(message) & reply_words) / max(1, len(reply_words))
    tokens = max(1, len(re.findall(r"\w+", reply)))
    return [
        float(np.log1p(len(reply))),
        float(np.log1p(len(sentence_spans(reply)))),
        float(np.log1p(reply.count("?"))),
        float(bool(_QUESTION_START.search(reply))),
        float(bool(_FEELING_WORDS.search(reply))),
        float(bool(_UNDERSTANDING.search(reply))),
        shared,
        float(bool(_QUESTION_TO_THEM.search(reply))),
        len(_FIRST_PERSON.findall(reply)) / tokens,
    ]


def cue_matrix(messages: Sequence[str], replies: Sequence[str]) -> np.ndarray:
    return np.array([cues(m, r) for m, r in zip(messages, replies, strict=True)], dtype=float)
