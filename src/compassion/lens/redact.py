"""Remove personal data from a message before it is quoted or shared.

Each finder returns spans; overlapping spans are merged and replaced with a typed
placeholder such as `[PHONE]`. Numbers that carry a checksum (NHS numbers, card numbers)
are only removed when the checksum holds, so reference numbers survive.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import phonenumbers


@dataclass(frozen=True)
class Span:
    kind: str
    start: int
    end: int


FIRST_NAMES = frozenset(
    (Path(__file__).parent / "data" / "first_names.txt").read_text(encoding="utf-8").split()
)

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[A-Z]{2}\b", re.IGNORECASE)
_NI_NUMBER = re.compile(
    r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b",
    re.IGNORECASE,
)
_TEN_DIGITS = re.compile(r"(?<![\d-])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\d-])")
_CARD = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
_SORT_CODE = re.compile(
    r"(?<![\d-])\d{2}-\d{2}-\d{2}(?![\d-])|\bsort code:?(?: is)? ?(?:\d{6}|\d{2} \d{2} \d{2})\b",
    re.I,
)
_ACCOUNT = re.compile(r"\b(?:account|acc|a/c)(?: number| no\.?)?:?\s*(\d{8})\b", re.IGNORECASE)
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}(?:st|nd|rd|th)? (?:of )?"
    + _MONTHS
    + r",? \d{4}|"
    + _MONTHS
    + r" \d{1,2}(?:st|nd|rd|th)?,? \d{4})"
)
_BIRTH = re.compile(
    r"\b(?:d\.?o\.?b\.?|date of birth|born(?: on)?|birthday(?: is)?)[:\s]*(?:is\s+)?("
    + _DATE
    + r")",
    re.IGNORECASE,
)
_STREET_TYPES = (
    r"(?i:road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|way|crescent|cres|court|ct|"
    r"place|pl|gardens|gdns|terrace|grove|hill|square|sq|row|walk|mews|rise|parade|park|"
    r"green|view|vale|wharf|yard|estate|house|flats?|towers?|building|"
    r"end|side|bank|brow|fold|gate|croft|cross|fields?|meadows?|mount|chase|approach|"
    r"boulevard|quay|wynd|heights|orchard|passage)"
)
# "118 Bridge End", "4 Canal Side", and one-word streets such as "3 Kingsway".
_ADDRESS = re.compile(
    r"\b(?:(?i:flat|apartment|unit)\s+\d+[a-zA-Z]?,?\s+)?\d{1,4}[a-zA-Z]?,?\s+"
    r"(?:(?:[A-Z][a-z'’]+\.?\s+){1,3}" + _STREET_TYPES + r"|[A-Z][a-z]+way)\b",
)
# An address typed in lower case ("12 mill lane"): a house number, one to three words and a
# street word, none of the words a small word or a unit of time or distance ("4 hours on
# the road", "a 10 minute walk").
_LOWER_CASE_ADDRESS = re.compile(
    r"\b\d{1,4}[a-z]?,?[ \t]+((?:[a-z'’]+[ \t]+){1,3})(?:road|street|avenue|lane|close|"
    r"drive|crescent|terrace|gardens|grove|way|court|place|square|row|walk|mews|rise|parade)\b"
)
# Small words that are no one's name and no street's ("on the", "and i"). Not a general
# stop-word list: those hold "bill", "will", "may" and "mill".
_SMALL_WORDS = {
    *("a", "an", "the", "and", "or", "but", "so", "of", "to", "in", "on", "at", "by", "for"),
    *("from", "with", "into", "onto", "up", "down", "off", "over", "out", "along", "across"),
    *("around", "round", "past", "near", "through", "about", "after", "before", "since", "until"),
    *("again", "i", "me", "my", "we", "us", "our", "you", "your", "he", "him", "his", "she"),
    *("her", "they", "them", "their", "it", "its", "this", "that", "these", "those", "there"),
    *("here", "some", "any", "all", "every", "each", "more", "most", "much", "many", "very"),
    *("just", "only", "also", "too", "not", "no", "yes", "is", "am", "are", "was", "were", "be"),
    *("been", "being", "have", "has", "had", "do", "does", "did", "can", "could", "would"),
    *("shall", "should", "might", "must", "everyone", "everybody", "both"),
}
_NOT_IN_STREET_NAMES = _SMALL_WORDS | {
    *("second", "seconds", "minute", "minutes", "min", "mins", "hour", "hours", "hr", "hrs"),
    *("day", "days", "week", "weeks", "month", "months", "year", "years", "times"),
    *("mile", "miles", "metre", "metres", "yard", "yards", "foot", "feet", "km"),
}
# One word of a name: "Smith", "O'Neill", "McDonald", "D’Souza", "Tyler-James".
_NAME_PART = r"(?:Ma?c|[OD]['’])?[A-Z][a-z'’]+"
_NAME_WORD = _NAME_PART + r"(?:-" + _NAME_PART + r")*"
# "Mrs A Khan", "Dr J. R. Evans": a title, then initials or a first name, then a name.
_TITLED_NAME = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Cllr|Councillor)\.?\s+"
    r"(?:(?:[A-Z]\.?\s+){1,3}|" + _NAME_WORD + r"\s+)?" + _NAME_WORD
)
# "J. R. Smith" with no title: each initial has its dot and a space ("U.K. Government" has
# no space and is kept).
_INITIALLED_NAME = re.compile(r"(?<![.\w])(?:[A-Z]\.[ \t]+){1,3}" + _NAME_WORD)
_INTRODUCED_NAME = re.compile(
    r"\b(?:[Mm]y name is|[Nn]ame:|I am called|I'm called|[Tt]his is|[Ss]igned|[Rr]egards,?|"
    r"[Ss]incerely,?|[Tt]hanks,?|[Tt]hank you,?|[Bb]est wishes,?|[Ff]rom)\s+"
    r"(" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r"){0,2})"
)
# A name typed all in lower case ("sarah jones", as phones and quick web forms send it) is
# read only where the writer gives a name: after "my name is", on a greeting line, and on a
# closing line or the line after it. Words that are no one's name end it ("sarah and i").
_LOWER_WORD = r"[a-z][a-z'’]+(?:-[a-z][a-z'’]+)*"
_NOT_NAMES = _SMALL_WORDS | {
    *("spelt", "spelled", "wrong", "mate", "guys", "folks", "xx", "xxx"),
    *("mum", "mom", "dad", "nan", "nana", "gran", "granny", "grandma", "grandad", "grandpa"),
    *("faithfully", "sincerely", "truly", "regards", "wishes", "thanks", "councillor", "mp"),
}
_INTRODUCED_IN_LOWER_CASE = re.compile(
    r"\b(?i:my name is|name:|i am called|i'm called|im called)[ \t]+("
    + _LOWER_WORD
    + r"(?:[ \t]+"
    + _LOWER_WORD
    + r"){0,2})"
)
_POSSESSIVE = re.compile(r"['’]s\b")
# A first name after these, or before these, names a place (Shirley, Beverley, Stanley).
_PLACE_BEFORE = re.compile(r"\b(?i:in|near|around|outside)\s+$")
_PLACE_WORDS = frozenset(
    ["road", "street", "avenue", "lane", "drive", "crescent", "terrace", "estate", "gardens"]
)
_CAPITALISED = re.compile(r"\b(?=(" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r")?))")
_FULL_NAME = (
    r"("
    + _NAME_WORD
    + r"(?:[ \t]+"
    + _NAME_WORD
    + r"){0,2}|"
    + _LOWER_WORD
    + r"(?:[ \t]+"
    + _LOWER_WORD
    + r"){0,2})[ \t\r]*"
)
# Whoever signs a letter or is greeted by it is named there, whatever their name: the
# name alone on the line after a closing ("Kind regards," / "Dmytro Kelly") or on the
# closing's own line ("Best, Sophie"), and the name after "Dear" on the greeting line.
_CLOSING = (
    r"[ \t]*(?i:(?:kind |best |warm |many |with )?(?:regards|wishes|thanks|thank you|"
    r"sincerely|faithfully|cheers|best|love|yours(?: sincerely| faithfully| truly)?))"
    r"[ \t]*[,.!]?"
)
_SIGN_OFF = re.compile(
    r"^" + _CLOSING + r"(?:[ \t\r]*\n(?:[ \t\r]*\n)*[ \t]*|[ \t]+)" + _FULL_NAME + r"$",
    re.MULTILINE,
)
_GREETING = re.compile(
    r"^[ \t]*(?i:dear|hello|hi)[ \t]+(?!(?i:sir|sirs|madam|all|team|colleagues?|friends?|"
    r"council|office|minister|member|editor|constituent|resident|neighbours?|there|everyone|"
    r"everybody|both|you|councillors?|mp|mayor|whom)\b)" + _FULL_NAME + r"[,:!]?[ \t\r]*$",
    re.MULTILINE,
)


def _nhs_checksum(digits: str) -> bool:
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _luhn(digits: str) -> bool:
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _regex_spans(kind: str, pattern: re.Pattern, group: int = 0) -> Callable[[str], Iterator]:
    def find(text: str) -> Iterator[Span]:
        for match in pattern.finditer(text):
            yield Span(kind, match.start(group), match.end(group))

    return find


def _nhs_numbers(text: str) -> Iterator[Span]:
    for match in _TEN_DIGITS.finditer(text):
        if _nhs_checksum(_digits(match.group())):
            yield Span("NHS_NUMBER", match.start(), match.end())


def _card_numbers(text: str) -> Iterator[Span]:
    for match in _CARD.finditer(text):
        digits = _digits(match.group())
        if 13 <= len(digits) <= 19 and _luhn(digits):
            yield Span("CARD_NUMBER", match.start(), match.end())


def _phone_numbers(text: str) -> Iterator[Span]:
    """UK-style numbers (starting 0 or +, ten digits or more), so references are kept."""
    if sum(c.isdigit() for c in text) < 7:
        return
    matcher = phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE)
    for match in matcher:
        if match.raw_string.lstrip("(")[:1] in "0+" and len(_digits(match.raw_string)) >= 10:
            yield Span("PHONE", match.start, match.end)


def _lower_case_addresses(text: str) -> Iterator[Span]:
    for match in _LOWER_CASE_ADDRESS.finditer(text):
        if not _NOT_IN_STREET_NAMES.intersection(match.group(1).split()):
            yield Span("ADDRESS", match.start(), match.end())


def _names(text: str) -> Iterator[Span]:
    for pattern in (_TITLED_NAME, _INITIALLED_NAME):
        for match in pattern.finditer(text):
            yield Span("NAME", match.start(), match.end())
    for pattern in (_SIGN_OFF, _GREETING):
        for match in pattern.finditer(text):
            name = match.group(1)
            if not name.islower() or _name_in_lower_case(name) == len(name):
                yield Span("NAME", match.start(1), match.end(1))
    for match in _INTRODUCED_IN_LOWER_CASE.finditer(text):
        if length := _name_in_lower_case(match.group(1)):
            yield Span("NAME", match.start(1), match.start(1) + length)
    for match in _INTRODUCED_NAME.finditer(text):
        if _starts_with_first_name(match.group(1)) or match.group(0)[0] in "MmNnIS":
            yield Span("NAME", match.start(1), match.end(1))
    for match in _CAPITALISED.finditer(text):
        name = _POSSESSIVE.split(match.group(1))[0]  # "Sarah's landlord": Sarah
        place = name == match.group(1) and _names_a_place(text, match.start(1), name)
        if _starts_with_first_name(name) and not place:
            yield Span("NAME", match.start(1), match.start(1) + len(name))


def _name_in_lower_case(words: str) -> int:
    """How much of `words` (typed in lower case) is a name: up to the first word that is no
    one's name ("sarah jones and i" gives "sarah jones"; "on the tenancy" nothing)."""
    end = 0
    for word in re.finditer(r"\S+", words):
        if word.group() in _NOT_NAMES:
            break
        end = word.end()
    return end


def _names_a_place(text: str, start: int, name: str) -> bool:
    """Whether a first name names a place: "in Shirley", "near Beverley", "Stanley Road"."""
    words = name.split()
    if len(words) == 2:
        return words[1].lower() in _PLACE_WORDS
    return len(words) == 1 and _PLACE_BEFORE.search(text, max(0, start - 12), start) is not None


def _starts_with_first_name(words: str) -> bool:
    """Whether the first word, or a part of it ("Tyler-James"), is a known first name."""
    return any(part.lower() in FIRST_NAMES for part in words.split()[0].split("-"))


FINDERS: list[Callable[[str], Iterator[Span]]] = [
    _regex_spans("EMAIL", _EMAIL),
    _card_numbers,
    _nhs_numbers,
    _regex_spans("NI_NUMBER", _NI_NUMBER),
    _regex_spans("SORT_CODE", _SORT_CODE),
    _regex_spans("ACCOUNT_NUMBER", _ACCOUNT, group=1),
    _regex_spans("DATE_OF_BIRTH", _BIRTH, group=1),
    _phone_numbers,
    _regex_spans("POSTCODE", _POSTCODE),
    _regex_spans("ADDRESS", _ADDRESS),
    _lower_case_addresses,
    _names,
]


def find_personal_data(text: str) -> list[Span]:
    """Non-overlapping personal-data spans, in order; the earliest-listed finder wins ties."""
    taken = bytearray(len(text))  # 1 where a kept span lies: each check costs its length
    kept: list[Span] = []
    for finder in FINDERS:
        for span in finder(text):
            if taken.find(1, span.start, span.end) == -1:
                taken[span.start : span.end] = b"\x01" * (span.end - span.start)
                kept.append(span)
    return sorted(kept, key=lambda span: span.start)


def redact(text: str) -> str:
    """`text` with each piece of personal data replaced by its kind, e.g. `[EMAIL]`."""
    return redact_spans(text, find_personal_data(text))


def redact_spans(text: str, spans: list[Span]) -> str:
    pieces, position = [], 0
    for span in spans:
        pieces.append(text[position : span.start])
        pieces.append(f"[{span.kind}]")
        position = span.end
    pieces.append(text[position:])
    return "".join(pieces)


@dataclass
class PersonalData:
    """The personal data found in one text, to keep it out of what is said about the text:
    the words quoted as evidence and the terms that explain a decision."""

    pieces: list[tuple[str, str]]  # (the words, their kind), longest first
    words: frozenset[str]  # each lower-cased word of them

    @classmethod
    def of(cls, text: str, spans: list[Span]) -> PersonalData:
        pieces = sorted(
            {(text[span.start : span.end], span.kind) for span in spans},
            key=lambda piece: -len(piece[0]),
        )
        words = frozenset(word for piece, _ in pieces for word in piece.lower().split())
        return cls(pieces, words)

    def scrub(self, quoted: str) -> str:
        """`quoted` (words taken from the text) with the personal data in it redacted."""
        for piece, kind in self.pieces:
            quoted = quoted.replace(piece, f"[{kind}]")
        return quoted

    def shares_a_word(self, term: str) -> bool:
        return any(word in self.words for word in term.lower().split())
