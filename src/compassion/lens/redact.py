"""Remove personal data from a message before it is quoted or shared.

Each finder returns spans; overlapping spans are merged and replaced with a typed
placeholder such as `[PHONE]`. Numbers that carry a checksum (NHS numbers, card numbers)
are only removed when the checksum holds, so reference numbers survive.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import phonenumbers


@dataclass(frozen=True)
class Span:
    kind: str
    start: int
    end: int


def _read_names(*files: str) -> frozenset[str]:
    """The names in the word lists, their comment lines (`#`) left out."""
    names: set[str] = set()
    for file in files:
        lines = (Path(__file__).parent / "data" / file).read_text(encoding="utf-8").splitlines()
        names.update(word for line in lines if not line.startswith("#") for word in line.split())
    return frozenset(names)


# Written by hand, and built from Faker's lists by scripts/build_name_lists.py.
FIRST_NAMES = _read_names("first_names.txt", "first_names_more.txt")
SURNAMES = _read_names("surnames.txt")
# Everyday English words (SCOWL), to tell "Disgusted" under a letter from "Naziha".
ORDINARY_WORDS = _read_names("ordinary_words.txt")


def _read_lines(file: str) -> list[str]:
    lines = (Path(__file__).parent / "data" / file).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip()[:1] not in ("#", "")]


# Towns of the United Kingdom that are no one's first name (GeoNames, built by
# scripts/build_name_lists.py): "Leeds" on the line under a signature is not a name.
UK_PLACES = frozenset(place.lower() for place in _read_lines("uk_places.txt"))

# Names that are kept where nothing around them says they are the writer's or a private
# person's ("Mr", a sign-off, a label, "rang"): "Rishi Sunak promised ...", "Sir Keir
# Starmer's government". The list holds only names that few private people share.
PUBLIC_FIGURE = "PUBLIC_FIGURE"
_PUBLIC_FIGURE = re.compile(
    r"\b(?:(?:Sir|Dame|Lord|Lady|Baroness|President|Chancellor)\.?[ \t]+)?(?:"
    + "|".join(map(re.escape, sorted(_read_lines("public_figures.txt"), key=len, reverse=True)))
    + r")(?![\w-])"
)

# From the start of a run of address letters only, read once: "Ab-Ab-Ab-..." with no "@"
# is then one failed try, not one from each of its letters.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]+(?:\.[\w-]+)+\b")
_POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[A-Z]{2}\b", re.IGNORECASE)
# The Houses of Parliament and Downing Street: everyone writes to them.
_PUBLIC_POSTCODES = frozenset(["SW1A0AA", "SW1A0PW", "SW1A2AA"])
_NI_NUMBER = re.compile(
    r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b",
    re.IGNORECASE,
)
# Named as one, a number of that shape is removed whatever its letters: HMRC's example
# "QQ 12 34 56 C" and the old temporary "TN" numbers are not issued as NI numbers, but
# someone writing one down may have mistyped their own.
_NAMED_NI_NUMBER = re.compile(
    r"\b(?:n\.?i\.?|national insurance)(?: (?:number|no\.?|num))?(?: is)?[: \t]{0,3}"
    r"([A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D])\b",
    re.IGNORECASE,
)
_TEN_DIGITS = re.compile(
    r"(?<![\d-])(?:\d{3}[ -]?\d{3}[ -]?\d{4}|\d{4}[ -]\d{3}[ -]\d{3})(?![\d-])"
)
_CARD = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
_SORT_CODE = re.compile(
    r"(?<![\d-])(\d{2}-\d{2}-\d{2})(?![\d-])"
    r"|\b(?:sort(?: code)?|s/c):?(?: is)?[ \t]*(\d{6}|\d{2}[ .-]\d{2}[ .-]\d{2})\b",
    re.I,
)
# A sort code and an account number side by side: "J Patel, 40 11 62, 73029184", in the
# columns of a pasted sheet, or run together ("830612 / 00485726") where the line speaks of
# paying (an order number and a date are not bank details).
_BANK_DETAILS = re.compile(
    r"(?<![\d-])(\d{2}([ -]?)\d{2}[ -]?\d{2})([ \t]*[,/;|][ \t]*|\t)(\d{8})(?!\d)"
)
_PAYING_WORDS = re.compile(
    r"(?i:sort|s/c|bank|account|acc\b|a/c|mandate|direct debit|pay|paid|refund|transfer)"
)
_ACCOUNT = re.compile(
    r"\b(?:account|acc|a/c)(?: number| no\.?)?:?(?:\s+is)?\s*(\d{8}|\d{4} \d{4})\b", re.IGNORECASE
)
# A shared mailbox of an organisation ("enquiries@", "info@") is no one's personal data.
_SHARED_MAILBOXES = frozenset(
    ["info", "enquiries", "enquiry", "contact", "admin", "hello", "help", "support", "press"]
    + ["noreply", "no-reply", "media", "complaints", "reception", "feedback"]
    + ["customerservices", "customer.services", "casework", "housing", "housing.options"]
    + ["office", "caseworkers", "team", "mailbox", "general", "post"]
)
# A landline given as an organisation's: "reception 0161 496 0000", "Switchboard: ...".
_ORGANISATION_LINE_BEFORE = re.compile(
    r"\b(?i:reception|switchboard|helpline|enquiries|front desk)"
    r"[ \t]*(?::[ \t]*|(?i:on|is)[ \t]+|[–-][ \t]*)?$"
)
# Freephone, 03 and 084/087 numbers belong to organisations (helplines, councils).
_ORGANISATION_NUMBER_TYPES = frozenset(
    [
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.UAN,
        phonenumbers.PhoneNumberType.SHARED_COST,
        phonenumbers.PhoneNumberType.PREMIUM_RATE,
    ]
)
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}(?:st|nd|rd|th)? (?:of )?"
    + _MONTHS
    + r",? \d{4}|"
    + _MONTHS
    + r" \d{1,2}(?:st|nd|rd|th)?,? \d{4})"
)
# "DOB 12/03/1984", "born on 3 April 1951", "born in Jamaica on 14 April 1958", "DOB of wife
# 12 Aug 1991".
_BIRTH = re.compile(
    r"\b(?:d\.?o\.?b\.?|date of birth|born(?:[ \t]+in(?:[ \t]+[\w'’]+){1,2})?(?: on)?|"
    r"birthday(?: is)?)"
    r"(?:[ \t]+(?:of|for)(?:[ \t]+[a-z']+){1,2})?[:\s]*(?:is\s+)?(?:the\s+)?(" + _DATE + r")",
    re.IGNORECASE,
)
# A date of birth with no words to say so: in brackets after a name ("Mr Ionut Popescu
# (22.08.1991)", a first name or surname in the lists just before the brackets), or a cell of a
# pasted row that names someone ("CW-2,Tran Van Minh,1962-05-03,Immigration") whose year is
# long past. "Mandatory Reconsideration (12/03/2025)" is kept.
_DATE_AFTER_NAME = re.compile(
    r"\b((?:[A-Z][a-z'’-]+[ ]+)?[A-Z][a-z'’-]+)[ ]*\([ ]*((?i:" + _DATE + r"))[ ]*\)"
)
_DATE_IN_A_ROW = re.compile(r"(?:^|[,;|\t])[ ]*((?i:" + _DATE + r"))[ ]*(?=[,;|\t]|[ ]*$)", re.M)
_LATEST_BIRTH_YEAR_IN_A_ROW = 2012  # a row's later dates are as often when a case opened
_TWO_NAME_WORDS = re.compile(r"\b[A-Z][a-z'’-]+,?[ ]+[A-Z][a-z]")
_STREET_TYPES = (
    r"(?i:road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|way|crescent|cres|court|ct|"
    r"place|pl|gardens|gdns|terrace|grove|hill|square|sq|row|walk|mews|rise|parade|park|"
    r"green|view|vale|wharf|yard|estate|house|flats?|towers?|building|"
    r"end|side|bank|brow|fold|gate|croft|cross|fields?|meadows?|mount|chase|approach|"
    r"boulevard|quay|wynd|heights|orchard|passage|cottages|buildings|villas|mansions|point)"
)
# "118 Bridge End", "4 Canal Side", and one-word streets such as "3 Kingsway".
_ADDRESS = re.compile(
    r"\b(?:(?i:flat|apartment|unit)\s+\d+[a-zA-Z]?,?\s+)?\d{1,4}[a-zA-Z]?,?\s+"
    r"(?:(?:[A-Z][a-z'’]+\.?\s+){1,3}" + _STREET_TYPES + r"|[A-Z][a-z]+way)\b",
)
# An address typed in lower case ("12 mill lane"): a house number, one to three words and a
# street word, none of the words a small word or a unit of time or distance ("4 hours on
# the road", "a 10 minute walk").
_STREET_WORDS = (
    r"road|rd|street|avenue|ave|lane|close|drive|crescent|terrace|gardens|grove|way|court|"
    r"place|square|row|walk|mews|rise|parade|st"
)
_LOWER_CASE_ADDRESS = re.compile(
    r"\b\d{1,4}[a-z]?,?[ \t]+((?:[a-z'’]+[ \t]+){1,3})(?:" + _STREET_WORDS + r")\b"
)
# A flat number in place of a house number: "Flat 12, Block C, Heygate Court".
_FLAT_ADDRESS = re.compile(
    r"\b(?i:flat|apartment|unit)\s+\d+[a-zA-Z]?,?\s+(?:(?i:block)\s+\w{1,3},?\s+)?"
    r"(?:[A-Z][a-z'’]+\.?\s+){1,3}" + _STREET_TYPES + r"\b"
)
# A named house on its street: "Rose Cottage, Church Lane".
_NAMED_HOUSE = re.compile(
    r"\b(?:(?:[A-Z][a-z'’]+[ \t]+){1,2}(?:Cottage|Farm|Farmhouse|Lodge|Barn|Bungalow|Villa|"
    r"Manor|House|Mill|Croft)|The(?:[ \t]+[A-Z][a-z'’]+){1,2}),[ \t]+(?:[A-Z][a-z'’]+[ \t]+){1,3}"
    + _STREET_TYPES
    + r"\b"
)
# A Welsh street, after a number or a house's Welsh name: "14 Heol y Nant", "Tŷ Gwyn, Heol y
# Llan".
_WELSH_HOUSE = (
    r"(?:Tŷ|Ty|Bryn|Pen|Plas|Hafod|Bod|Maes|Nant|Llys|Cae|Tan|Glan|Pant|Rhos|Cwm|Dôl|Dol|"
    r"Coed|Hen|Gwêl|Gwel|Awel|Cartref|Hendre|Llwyn|Fferm)[ \t]+[A-Z][\w'’]+"
)
_WELSH_ADDRESS = re.compile(
    r"\b(?:\d{1,4}[a-z]?,?|" + _WELSH_HOUSE + r",)[ \t]+"
    r"(?:Heol|Ffordd|Stryd|Lôn|Rhodfa|Cilgant)(?:[ \t]+(?:y|yr))?"
    r"[ \t]+[A-Z][\w'’]+"
)
# The street someone lives on, without a number: "I live on Ashfield Crescent", "she
# lives on beverley road". A street named for its potholes is not anyone's address.
_STREET_LIVED_ON = re.compile(
    r"\b(?i:live|lives|lived|living|moved|staying|stay|stays)[ \t]+(?i:on|in|at|to|into)"
    r"[ \t]+(?:(?i:the)[ \t]+)?((?:[A-Za-z'’]+[ \t]+){1,3}?(?i:" + _STREET_WORDS + r"))\b"
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
# "I live on a busy main road": a road, not an address.
_PLAIN_ROADS = frozenset(["main", "busy", "quiet", "same", "small", "big", "long", "new", "old"])
_NOT_IN_STREET_NAMES = _SMALL_WORDS | {
    *("second", "seconds", "minute", "minutes", "min", "mins", "hour", "hours", "hr", "hrs"),
    *("day", "days", "week", "weeks", "month", "months", "year", "years", "times"),
    *("mile", "miles", "metre", "metres", "yard", "yards", "foot", "feet", "km"),
}


def _latin_letters(keep: Callable[[str], bool]) -> str:
    """The accented Latin letters that `keep` accepts, for a character class: names are
    written "Zieliński", "Seán", "Ngọc"."""
    codes = [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]
    return "".join(chr(code) for code in codes if keep(chr(code)))


_UPPER = "A-Z" + _latin_letters(str.isupper)
_LOWER = "a-z" + _latin_letters(str.islower)
# One word of a name: "Smith", "O'Neill", "McDonald", "D’Souza", "Tyler-James", "Kamińska".
_NAME_PART = r"(?:Ma?c|[OD]['’])?[" + _UPPER + "][" + _LOWER + "'’]+"
# Never from the middle of a hyphenated run, and once read never read shorter: a run of
# "Ab-Ab-Ab-..." is then read once, not again from each of its parts (which took minutes).
_NAME_WORD = r"(?<!-)" + _NAME_PART + r"(?:-" + _NAME_PART + r")*+"
# The small words inside some names: "Seán Ó Ceallaigh", "Rhodri ap Gwilym", "Ali bin Omar".
_NAME_JOIN = r"[ \t]+(?:(?:Ó|Ní|Nic|Uí|Ua|ap|ab|van|von|de|da|bin|ibn|al)[ \t]+)?"
_NAME_RUN = _NAME_WORD + r"(?:" + _NAME_JOIN + _NAME_WORD + r"){0,2}"
_FULL_NAME_RUN = _NAME_WORD + r"(?:" + _NAME_JOIN + _NAME_WORD + r"){1,2}"  # two or three
# "Mrs A Khan", "Dr J. R. Evans": a title, then initials or a first name, then a name.
# "Mr Speaker" is an office, not a name.
_TITLED_NAME = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Cllr|Councillor)\.?[ \t]+"
    r"(?!(?:Speaker|Deputy Speaker|President|Chairman|Chair|Mayor)\b(?![ \t]+[A-Z]))"
    r"(?:(?:[A-Z]\.?[ \t]+){1,3}|(?:" + _NAME_WORD + r"[ \t]+){1,2})?" + _NAME_WORD
)
# "J. R. Smith" with no title: each initial has its dot and a space ("U.K. Government" has
# no space and is kept).
_INITIALLED_NAME = re.compile(r"(?<![.\w])(?:[A-Z]\.[ \t]+){1,3}" + _NAME_WORD)
_INTRODUCED_NAME = re.compile(
    r"\b(?:[Mm]y name is|[Nn]ame:|I am called|I'm called|[Tt]his is|[Ss]igned|[Rr]egards,?|"
    r"[Ss]incerely,?|[Tt]hanks,?|[Tt]hank you,?|[Bb]est wishes,?|[Ff]rom)\s+"
    r"(" + _NAME_RUN + r")"
)
# A name typed all in lower case ("sarah jones", as phones and quick web forms send it) is
# read only where the writer gives a name: after "my name is", on a greeting line, and on a
# closing line or the line after it. Words that are no one's name end it ("sarah and i").
_LOWER_WORD = "[" + _LOWER + "][" + _LOWER + "'’]+(?:-[" + _LOWER + "][" + _LOWER + "'’]+)*"
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
# "mrs okafor", "mr nguyen": a title typed in lower case, then a name.
_LOWER_CASE_TITLED = re.compile(r"\b(?:mr|mrs|ms)\.?[ \t]+(" + _LOWER_WORD + ")")
# "its kelly from the flats", "ok thanks hannah": a known first name, in lower case.
_LOWER_CASE_INTRODUCED = re.compile(
    r"\b(?:its|it's|it’s|this is|thanks|thank you|cheers)[ \t,]+(" + _LOWER_WORD + ")"
)
_POSSESSIVE = re.compile(r"['’]s\b")
# A first name after these, or before these, names a place (Shirley, Beverley, Stanley).
_PLACE_BEFORE = re.compile(
    r"\b(?i:in|near|around|outside|(?:moved|move|moving|came|come|back)(?:[ \t]+(?:up|down|over))?"
    r"[ \t]+(?:to|from))\s+$"
)
# "The bus from Beverley to Hull".
_FROM_PLACE_TO_PLACE = (re.compile(r"\b(?i:from)\s+$"), re.compile(r"\s+to\s+[A-Z]"))
_SAINT_BEFORE = re.compile(r"\b(?:St|Saint)\.?[ \t]+$")  # "St Mary's Church"
_PLACE_WORDS = frozenset(
    ["road", "street", "avenue", "lane", "drive", "crescent", "terrace", "estate", "gardens"]
    + ["church", "chapel", "mosque", "temple", "gurdwara", "synagogue", "cathedral", "hospital"]
    + ["school", "primary", "academy", "college", "nursery", "surgery", "centre", "library"]
    + ["station"]
)
# A name before these names a place, a building or a body: "Florence Nightingale ward",
# "Sunny Hill Park", "the Rose Hill roundabout", "the Florence Nightingale Foundation". (Park
# is a surname too, so not a place word above.)
_NAMED_AFTER_SOMEONE = frozenset(
    ["ward", "park", "roundabout", "playground", "foundation", "trust", "hall", "institute"]
    + ["fund", "memorial", "house", "court", "close", "way", "place", "grove", "walk", "square"]
)
_PLACE_AFTER = re.compile(
    r"[ \t]+(?i:" + "|".join(sorted(_PLACE_WORDS | _NAMED_AFTER_SOMEONE)) + r")\b"
)
# "Sadly Osman Tesfamariam": the name is the two words after "Sadly", not "Sadly Osman".
_NAME_GOES_ON = re.compile(r"[ \t]+[" + _UPPER + "]")
# Words that open the names of places and things: "Great Preston", "Port Talbot", "Royal
# Preston" (a hospital), "Visit Kent". (Offices and things, "Minister Johnson", "Operation
# Brock", are in `_NOT_GUESSED_NAME_WORDS`.)
_PLACE_PREFIXES = frozenset(
    ["Royal", "Masjid", "Chancellor", "Visit"]
    + ["Great", "Greater", "Little", "North", "South", "East", "West", "Mid", "Upper", "Lower"]
    + ["Old", "New", "Port", "Fort", "Mount", "Saint", "St", "High", "Long", "Kings", "King's"]
    + ["Castle", "Market", "Nether", "Glen", "Loch", "Lake", "River", "Isle", "Cape", "Bishops"]
    + ["Bishop's"]
)
_CAPITALISED = re.compile(r"\b(?=(" + _NAME_WORD + r"(?:" + _NAME_JOIN + _NAME_WORD + r")?))")
# Whoever a writer names by how they are related to them: "my daughter Rose", "our
# neighbour Patience Mensah", "her late husband Reginald".
_RELATIONS = (
    r"son|daughter|child|grandson|granddaughter|grandchild|stepson|stepdaughter|mum|mom|"
    r"mother|dad|father|husband|wife|partner|fianc[eé]e?|brother|sister|uncle|aunt|auntie|"
    r"nephew|niece|cousin|nan|gran|grandma|grandmother|grandad|grandfather|neighbour|"
    r"neighbor|friend|carer|lodger|tenant|landlord|landlady|boyfriend|girlfriend"
)
# Whoever a writer names by the part they play: "support worker Abebe Girma".
_ROLES = (
    r"support worker|social worker|key worker|caseworker|case worker|interpreter|advocate|"
    r"solicitor|midwife|health visitor|teacher|headteacher|sponsor|host"
)
_MY_RELATION = (
    r"\b(?i:my|his|her|our|their|your)[ \t]+(?:(?i:late|eldest|youngest|oldest|little|"
    r"younger|older|elder|twin|baby)[ \t]+)?(?i:" + _RELATIONS + r")"
)
# "my daughter Rose", "daughter Hodan was in A&E", "her brother is Kumaran".
_AFTER_RELATION = re.compile(
    r"(?:" + _MY_RELATION + r"|\b(?:" + _RELATIONS + "|" + _ROLES + r"))"
    r"([ \t]++is\b)?[ \t]*+,?[ \t]*+(?<=[ \t])(" + _NAME_RUN + ")"
)
# "my partner is Ukrainian", "interpreter Tigrinya": where someone is from, what they are
# or speak, not their name.
_WHAT_SOMEONE_IS = frozenset(
    ["british", "english", "scottish", "welsh", "irish", "polish", "ukrainian", "romanian"]
    + ["bulgarian", "lithuanian", "latvian", "portuguese", "spanish", "italian", "french"]
    + ["german", "nigerian", "ghanaian", "somali", "eritrean", "ethiopian", "sudanese"]
    + ["afghan", "iranian", "iraqi", "syrian", "kurdish", "turkish", "pakistani", "indian"]
    + ["bangladeshi", "nepali", "chinese", "vietnamese", "filipino", "jamaican", "kenyan"]
    + ["zimbabwean", "congolese", "albanian", "hungarian", "czech", "slovak", "russian"]
    + ["brazilian", "american", "european", "muslim", "hindu", "sikh", "jewish", "christian"]
    + ["catholic", "deaf", "disabled", "autistic", "blind", "dyslexic", "palestinian", "sri"]
    + ["tamil", "arab", "african", "asian", "caribbean", "black", "white", "mixed", "tigrinya"]
    + ["amharic", "arabic", "urdu", "punjabi", "bengali", "farsi", "dari", "pashto", "mandarin"]
    + ["cantonese", "gujarati", "hindi", "gaelic", "bsl"]
)
_POSSESSIVE_WORD = re.compile(r"(?i:my|his|her|our|their|your)\b")
# "my nan florence": a known first name typed in lower case.
_AFTER_RELATION_IN_LOWER_CASE = re.compile(
    _MY_RELATION + r"[ \t]+(" + _LOWER_WORD + r")(?![ \t]+(?:me|us|him|her|them|you|it)\b)"
)
# Landlords and carers are often firms: "my landlord Northby Homes".
_ORGANISATION_WORDS = frozenset(
    ["homes", "housing", "council", "association", "group", "trust", "ltd", "limited", "plc"]
    + ["properties", "lettings", "estates", "agency", "services", "service", "care", "office"]
    + ["partnership", "advice", "credit", "benefit", "benefits", "tax", "health", "police"]
    + ["water", "gas", "energy", "electric", "power", "bank", "society", "team", "department"]
    + ["authority", "board", "committee", "commission", "ombudsman", "government", "ministry"]
    + ["centre", "school", "college", "university", "hospital", "surgery", "practice", "nhs"]
    + ["court", "tribunal", "party", "news", "rail", "transport", "support", "aid", "uk"]
    + ["england", "scotland", "wales", "britain", "british", "national", "international"]
    + ["foundation", "charity", "network", "union", "club", "church", "army", "corps"]
    + ["jobcentre", "plus", "concern", "cymru", "shelter", "age", "academy", "primary", "mind"]
)
_QUESTION_WORDS = frozenset(["as", "if", "when", "what", "why", "how", "who", "where", "which"])
# Words that label a field or a person's part rather than name them: "Patient: ...".
_LABELS = frozenset(
    ["patient", "client", "tenant", "applicant", "claimant", "constituent", "resident", "caller"]
    + ["name", "full", "date", "email", "tel", "phone", "mobile", "address", "ref", "re", "subject"]
    + ["dear", "hi", "hello", "thanks", "thank", "please", "mum", "dad", "mother", "father"]
    + ["forename", "surname", "firstname", "lastname", "dob", "caseworker", "staff", "admin"]
    + ["first", "second", "third", "last", "next", "sender", "recipient", "contact", "casework"]
)
# Shops, banks and regulators everyone names, in no word list and no one's name: "Tesco",
# "Ofsted (report, 12)".
_WELL_KNOWN_BODIES = frozenset(
    ["tesco", "asda", "lidl", "sainsburys", "morrisons", "primark", "poundland", "greggs"]
    + ["specsavers", "halfords", "wickes", "currys", "deliveroo", "openreach", "natwest"]
    + ["barclays", "lloyds", "ofsted", "ofgem", "ofwat", "ofcom", "ofqual"]
)
_NOT_NAME_WORDS = (
    _SMALL_WORDS | _LABELS | _ORGANISATION_WORDS | _QUESTION_WORDS | _WELL_KNOWN_BODIES
)
# Where nothing around them says so, words are guessed to be a name only when none of them
# is also a street's, a day's or a thing's ("Bellevue Road needs", "Storm Babet arrived").
_NOT_GUESSED_NAME_WORDS = (
    _NOT_NAME_WORDS
    | frozenset(_STREET_WORDS.split("|"))
    | {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
    | {"minister", "secretary", "prime", "storm", "operation", "climate", "change", "act"}
    | {"acts", "panel", "assessment", "fees", "fee", "nation", "day", "scheme", "allowance"}
    | {"rights", "county"}
)
# First names that are also everyday words or months, so not in the list ("Will you help?",
# "Hope you are well", "in May"): a name only where something says so, a surname after it
# ("May Chen") or what people do after it ("Mark from the housing association said").
_WORD_NAMES = (
    r"May|June|April|Summer|Autumn|Dawn|Hope|Faith|Joy|Mercy|Patience|Precious|Blessing|"
    r"Gift|Rose|Will|Bill|Mark|Sunny|Amber|Destiny|Honour|Chance|Justice|Pearl|Crystal"
)
_WORD_NAME_AND_SURNAME = re.compile(r"\b(?:" + _WORD_NAMES + r")[ \t]+(" + _NAME_WORD + r")\b")
_WORD_NAME_DOING = re.compile(
    r"\b(?:" + _WORD_NAMES + r")(?=[ \t]+(?:from|rang|called|phoned|said|says|told|emailed|"
    r"visited|attended|wants|asked)\b)"
)
# Capitalised words that follow a word name without being a surname: "May Day", "Summer
# Fair", "Hope Street", "Will Power".
_NOT_SURNAMES = frozenset(
    ["day", "days", "bank", "holiday", "holidays", "half", "term", "fair", "festival", "fete"]
    + ["sale", "time", "camp", "club", "school", "church", "hospital", "centre", "hall"]
    + ["update", "payment", "payments", "scheme", "programme", "service", "fund", "appeal"]
    + ["power", "edition", "house", "court", "park", "street", "road", "lane", "avenue"]
    + ["close", "drive", "way", "gardens", "crescent", "terrace", "place", "grove", "cottage"]
    + ["and", "the", "of", "god", "corps", "foundation", "trust", "charity", "international"]
)
# Someone described as a person: "Kehinde (aged 12)", "Hope Campbell (daughter)".
_DESCRIBED_PERSON = re.compile(
    r"\b(" + _NAME_RUN + r")[ \t]*(?:\([ \t]*(?i:aged?[ \t]+\d|(?:" + _RELATIONS + r")\b)"
    r"|,[ \t]*(?i:aged?)[ \t]+\d)"
)
_FULL_NAME = (
    r"("
    + _NAME_RUN
    + r"(?:[ \t]+(?:and|&)[ \t]+"
    + _NAME_RUN
    + r")?|"
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
    r"sincerely|faithfully|cheers|best|love|god bless|yours(?: sincerely| faithfully| truly)?)"
    r"(?: again| so much| very much)?(?: for (?:everything|all your help|your help))?)"
    r"[ \t]*[,.!]?"
)
_NEXT_LINES = r"[ \t\r]*\n(?:[ \t\r]*\n)*[ \t]*"
_SIGN_OFF = re.compile(
    r"^" + _CLOSING + r"(?:" + _NEXT_LINES + r"|[ \t]+)" + _FULL_NAME + r"$", re.MULTILINE
)
# A closing that ends a line of the letter: "... we got the keys! God bless," / "Joy".
_SIGN_OFF_AFTER_A_SENTENCE = re.compile(
    r"(?<=[.!?])" + _CLOSING + _NEXT_LINES + _FULL_NAME + r"$", re.MULTILINE
)
_NOT_GREETED = (
    r"(?!(?i:sir|sirs|madam|all|team|colleagues?|friends?|council|office|minister|member|"
    r"editor|constituent|resident|neighbours?|there|everyone|everybody|both|you|councillors?|"
    r"mp|mayor|whom|man|mate|guys|bro|pal|love|hun)\b)"
)
_GREETING = re.compile(
    r"^[ \t]*(?i:dear|hello|hi)[ \t]+" + _NOT_GREETED + _FULL_NAME + r"[,:!]?[ \t\r]*$",
    re.MULTILINE,
)
# A greeting that goes on, or a reply in a chat: "Office: Hi Tharanga, please send ...".
_GREETING_IN_LINE = re.compile(
    r"(?:^|:[ \t]+)[ \t]*(?i:dear|hello|hi|hiya|hey)[ \t]+"
    + _NOT_GREETED
    + r"("
    + _NAME_RUN
    + r")(?=[ \t]*[,!])",
    re.MULTILINE,
)
# The sender of a line of an exported chat: "[23/02/2024, 21:14] Anh Tuan: any news?".
_CHAT_SENDER = re.compile(r"^\[[^\]\n]{6,30}\][ \t]*(" + _NAME_RUN + r"):", re.MULTILINE)
# A name with the details that identify its bearer after it: "Rahima Begum d.o.b ...",
# "Ewa Zielińska NI ...", "Chidinma Eze <chidinma@...>", "Yaw Darko yaw@...", "Winston
# Clarke was born", "Bishnu Gurung, 7 Aldershot Road".
_NAME_BEFORE_DETAILS = re.compile(
    r"\b("
    + _NAME_RUN
    + r")(?![\w'’-])(?=[ \t]*(?:[,:(/–-][ \t]*)?(?:(?i:d\.?o\.?b\b|date of birth|"
    r"ni\b|ni no|nhs\b|nhs no)|was born\b|\(born\b|<?[^<>\s@]+@)"
    r"|(?:[ ]*+,[ \t]*+|\t[ \t]*+)\d{1,4}[a-zA-Z]?,?[ \t]++(?!(?i:" + _MONTHS + r")\b)[A-Z][a-z])"
)
# A name after its label: "Patient: Semhar Tesfay", "Landlord is Kwame Mensah", "Account
# name Delroy Campbell".
_LABELLED_NAME = re.compile(
    r"\b(?i:patient|client|tenant|applicant|claimant|constituent|resident|caller|landlord|"
    r"account name|account holder|payee|first name|last name|surname|forename|next of kin)"
    r"(?:[ \t]+name)?(?:[ \t]*:|[ \t]+is)[ \t]*(" + _NAME_RUN + ")"
)
# A sheet's "Surname, First name": "Popescu, Andrei".
_SURNAME_COMMA_FIRST_NAME = re.compile(r"\b(" + _NAME_WORD + r"),[ \t]*(" + _NAME_WORD + r")\b")
# ... but in "Yusuf Osman, Preston" the surname ends a name and the town follows.
_NAME_WORD_JUST_BEFORE = re.compile(_NAME_WORD + r"[ \t]+$")
# A cell of its own: at the start of a line or after a separator or quote, before one.
_CELL_BEFORE = re.compile(r"(?:^|[\n,;|\t\"])[ ]*$")
_CELL_AFTER = re.compile(r"[ ]*(?:[,;|\t\"\n]|$)")
# Chinese and Vietnamese names are written family name first: "Zhang Wei", "Nguyen Thi Lan".
_FAMILY_NAME_FIRST = re.compile(
    r"\b(?:Nguyen|Tran|Pham|Hoang|Huynh|Phan|Dang|Bui|Ngo|Duong|Zhang|Wang|Li|Liu|Chen|Yang|"
    r"Huang|Zhao|Zhou|Xu|Wu|Zhu|Guo|Gao|Luo|Wong|Chan|Cheung|Lau|Leung|Ng|Tang|Choi)"
    r"(?:[ \t]+" + _NAME_WORD + r"){1,2}\b"
)
# Writers who say who they are in a text or a chat: "hi its Farai from the flats", "this is
# Paris from the tenants group"; "hassan here" (a known first name).
_INTRODUCING_ONESELF = re.compile(
    r"\b(?i:it'?s|it’s|this is)[ \t]+(" + _NAME_RUN + r")"
    r"(?=[ \t]+(?:from[ \t]+(?:the\b|[A-Z])|here\b))"
)
_NAME_HERE = re.compile(
    r"(?:^|(?<=[.!?])[ \t])[ \t]*(?:(?i:hi|hiya|hey)[ \t,]+)?([A-Za-z][a-z]+)[ \t]+here\b",
    re.MULTILINE,
)
# Who a message came from: "Text from Memory Banda: ..." (a first name and a surname).
_MESSAGE_FROM = re.compile(
    r"\b(?i:text|message|sms|email|e-mail|voicemail|letter|call|note)[ \t]+(?i:from)[ \t]+("
    + _FULL_NAME_RUN
    + ")"
)
# Two or three words that open a sentence and then do what people do: "Desta Haile asks",
# "Memory Banda attended", "Yonas Gebremedhin from Eritrea". What a constituent does marks a
# private person even where the name is a public figure's ("Gordon Brown rang"); what a
# public figure does too ("says", "wrote") does not.
_SENTENCE_OPENING = r"(?:^|(?<=[.!?])[ \t])[ \t]*(" + _FULL_NAME_RUN + ")"
_SOMEONE_DOING = re.compile(
    _SENTENCE_OPENING + r"(?=[ \t]+(?:asks|asked|attended|rang|called|phoned|emailed|texted|"
    r"came|arrived|wants|needs|lives|moved|works|was born|from [A-Z])\b)",
    re.MULTILINE,
)
_SOMEONE_SAYING = re.compile(_SENTENCE_OPENING + r"(?=[ \t]+(?:says|said|wrote)\b)", re.MULTILINE)
# Ways to sign off that are in no word list: "Ta", "Thx" alone under a message. Only as the
# whole of what stands there: "Ta" is also a Vietnamese family name ("Ta Thi Lan").
_SIGN_OFF_WORDS = frozenset(
    ["ta", "thx", "thnx", "thanx", "tnx", "tx", "thankyou", "thanku", "cheers", "rgds"]
    + ["regards", "bye", "cya", "ttyl", "xx", "xxx", "xox", "xoxo"]
)
# A name alone on a message's last line ("Naziha", "- Hodan Warsame", "From Temesgen x"),
# where the line above it ends a sentence or is a closing ("Thanks for listening", "Ta"),
# the lines under a signature (an address, a phone, an email, a town, "Sent from my
# iPhone") passed over; or alone on the line under the "-- " that opens an email's
# signature, whatever follows it (a job, an organisation).
_SIGNATURE_NAME = re.compile(
    r"[ \t]*(?:(?:-|–|—|From)[ \t]+)?(" + _NAME_RUN + r")(?:[ \t]+x+)?[ \t\r]*"
)
_ENDS_A_SENTENCE = re.compile(r"[.!?)][ \t\r]*$")
_SIGNATURE_DELIMITER = re.compile(r"[ \t]*--[ \t\r]*")
_CLOSING_LINE = re.compile(
    r"[ \t]*(?i:(?:kind|best|warm|warmest|many|with)[ \t]+(?:regards|wishes|thanks)|regards|"
    r"thanks|thank[ \t]*(?:you|u)|ta|thx|thnx|thanx|tx|cheers|yours|sincerely|love|"
    r"god bless|take care|speak soon|all the best|best|(?:i[ \t]+)?(?:look|looking)[ \t]+forward|"
    r"hope to hear)\b"
)
_SENT_FROM = re.compile(r"[ \t]*(?i:sent from my|sent from outlook|get outlook for)\b")
_CONTACT_LINE = re.compile(
    r"[ \t]*(?:(?i:tel|telephone|phone|mob|mobile|email|e-mail|address)\b|"
    r"(?i:flat|apartment|unit)[ \t]+\d|\d{1,4}[a-zA-Z]?,?[ \t]+[A-Z]|\+?\d[\d \t()-]{8,}+\r?$)"
)
# Someone described in brackets: "Farishta (Afghan, 19)", "Sita Tamang (speaks Nepali)",
# "Ikenna (aged 7)".
_DESCRIBED_IN_BRACKETS = re.compile(
    r"\b("
    + _NAME_RUN
    + r")[ \t]+\((?=\d{1,2}\)|[^()\n]{1,30}?,[ \t]*\d{1,2}\)|aged?[ \t]+\d|speaks[ \t])"
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
    """UK-style numbers (starting 0 or +, ten digits or more), so references are kept; and
    not an organisation's freephone or 03 number, nor one given as its reception's."""
    if sum(c.isdigit() for c in text) < 7:
        return
    matcher = phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE)
    for match in matcher:
        if match.raw_string.lstrip("(")[:1] not in "0+" or len(_digits(match.raw_string)) < 10:
            continue
        number_type = phonenumbers.number_type(match.number)
        if number_type in _ORGANISATION_NUMBER_TYPES:
            continue
        given_as_reception = _ORGANISATION_LINE_BEFORE.search(
            text, max(0, match.start - 40), match.start
        )
        if not given_as_reception or number_type == phonenumbers.PhoneNumberType.MOBILE:
            yield Span("PHONE", match.start, match.end)


def _postcodes(text: str) -> Iterator[Span]:
    for match in _POSTCODE.finditer(text):
        if match.group().upper().replace(" ", "") not in _PUBLIC_POSTCODES:
            yield Span("POSTCODE", match.start(), match.end())


def _emails(text: str) -> Iterator[Span]:
    for match in _EMAIL.finditer(text):
        if match.group().split("@")[0].lower() not in _SHARED_MAILBOXES:
            yield Span("EMAIL", match.start(), match.end())


def _sort_codes(text: str) -> Iterator[Span]:
    for match in _SORT_CODE.finditer(text):
        group = 1 if match.group(1) else 2
        yield Span("SORT_CODE", match.start(group), match.end(group))


def _bank_details(text: str) -> Iterator[Span]:
    for match in _BANK_DETAILS.finditer(text):
        run_together = not match.group(2) and match.group(3) != "\t"
        if run_together and not _PAYING_WORDS.search(_line_of(text, match.start())):
            continue
        yield Span("SORT_CODE", match.start(1), match.end(1))
        yield Span("ACCOUNT_NUMBER", match.start(4), match.end(4))


def _line_of(text: str, position: int, reach: int = 300) -> str:
    """The line around `position`, at most `reach` characters either side of it (so that
    looking at the line of every match of a long one-line text stays linear)."""
    start = text.rfind("\n", max(0, position - reach), position) + 1 or max(0, position - reach)
    end = text.find("\n", position, position + reach)
    return text[start : end if end != -1 else position + reach]


def _dates_of_birth_by_place(text: str) -> Iterator[Span]:
    for match in _DATE_AFTER_NAME.finditer(text):
        words = _without_accents(match.group(1).lower()).split()
        known = any(word in FIRST_NAMES or word in SURNAMES for word in words)
        if known and _year_of(match.group(2)) < date.today().year:
            yield Span("DATE_OF_BIRTH", match.start(2), match.end(2))
    for match in _DATE_IN_A_ROW.finditer(text):
        old = _year_of(match.group(1)) <= _LATEST_BIRTH_YEAR_IN_A_ROW
        if old and _is_a_persons_row(_line_of(text, match.start(1))):
            yield Span("DATE_OF_BIRTH", match.start(1), match.end(1))


def _year_of(written: str) -> int:
    """The year of a date as written; two figures are read as the latest year they can be
    that has passed ("22.08.91" is 1991, "03/05/16" 2016)."""
    year = re.search(r"\d{4}", written) or re.search(r"(?<=[/.-])\d{2}$", written.strip())
    if year is None:
        return 9999
    figures = int(year.group())
    if figures >= 100:
        return figures
    this_year = date.today().year
    return 2000 + figures if 2000 + figures < this_year else 1900 + figures


def _is_a_persons_row(line: str) -> bool:
    """Whether a line is laid out as cells (two or more of one separator) and names someone
    ("Tran Van Minh", "Dimitrov, Kaloyan"), so that its old date is a birth."""
    cells = any(line.count(separator) >= 2 for separator in ",;|\t")
    return cells and _TWO_NAME_WORDS.search(line) is not None


def _lower_case_addresses(text: str) -> Iterator[Span]:
    for match in _LOWER_CASE_ADDRESS.finditer(text):
        if not _NOT_IN_STREET_NAMES.intersection(match.group(1).split()):
            yield Span("ADDRESS", match.start(), match.end())


def _streets_lived_on(text: str) -> Iterator[Span]:
    for match in _STREET_LIVED_ON.finditer(text):
        street = match.group(1).lower().split()[:-1]
        if not _NOT_IN_STREET_NAMES.intersection(street) and not _PLAIN_ROADS.intersection(street):
            yield Span("ADDRESS", match.start(1), match.end(1))


def _names_the_writer_gives(text: str) -> Iterator[Span]:
    """Names given by what is around them, whoever they are (a public figure too): a
    sign-off, a greeting, "my name is", a title, a label, a relation, the details that
    follow, what a constituent does ("rang")."""
    for pattern in (_TITLED_NAME, _INITIALLED_NAME):  # but not "Sir Keir Starmer's"
        for match in pattern.finditer(text):
            if not _PUBLIC_FIGURE.fullmatch(_POSSESSIVE.split(match.group())[0]):
                yield Span("NAME", match.start(), match.end())
    for pattern in (_SIGN_OFF, _SIGN_OFF_AFTER_A_SENTENCE, _GREETING):
        for match in pattern.finditer(text):
            name = match.group(1)
            if not name.islower() or _name_in_lower_case(name) == len(name):
                yield Span("NAME", match.start(1), match.end(1))
    for match in _INTRODUCED_IN_LOWER_CASE.finditer(text):
        if length := _name_in_lower_case(match.group(1)):
            yield Span("NAME", match.start(1), match.start(1) + length)
    for match in _INTRODUCED_NAME.finditer(text):
        if _names_a_place(text, match.start(1), match.group(1)):
            continue
        if _starts_with_first_name(match.group(1)) or match.group(0)[0] in "MmNnIS":
            yield Span("NAME", match.start(1), match.end(1))
    for pattern in (
        _GREETING_IN_LINE,
        _CHAT_SENDER,
        _LABELLED_NAME,
        _NAME_BEFORE_DETAILS,
        _DESCRIBED_PERSON,
        _INTRODUCING_ONESELF,
    ):
        for match in pattern.finditer(text):
            if _could_be_a_name(match.group(1)):
                yield Span("NAME", match.start(1), match.end(1))
    for match in _SOMEONE_DOING.finditer(text):
        if _could_be_a_name(match.group(1), _NOT_GUESSED_NAME_WORDS):
            yield Span("NAME", match.start(1), match.end(1))
    for match in _AFTER_RELATION.finditer(text):
        said_what_they_are = match.group(2).split()[0].lower() in _WHAT_SOMEONE_IS
        whose = _POSSESSIVE_WORD.match(match.group())  # "my tenant", not "the tenant Fees Act"
        not_names = _NOT_NAME_WORDS if whose else _NOT_GUESSED_NAME_WORDS
        if _could_be_a_name(match.group(2), not_names) and not said_what_they_are:
            yield Span("NAME", match.start(2), match.end(2))
    for pattern in (_AFTER_RELATION_IN_LOWER_CASE, _NAME_HERE):
        for match in pattern.finditer(text):
            if match.group(1).lower() in FIRST_NAMES:
                yield Span("NAME", match.start(1), match.end(1))
    for match in _LOWER_CASE_TITLED.finditer(text):
        if match.group(1) not in _NOT_NAMES:
            yield Span("NAME", match.start(), match.end())
    for match in _LOWER_CASE_INTRODUCED.finditer(text):
        if match.group(1) in FIRST_NAMES:
            yield Span("NAME", match.start(1), match.end(1))


def _public_figures(text: str) -> Iterator[Span]:
    """Public figures' names, to be kept: found after the names the writer gives (so a
    signature or "my neighbour Martin Lewis" is still removed), before the names known only
    by their form."""
    for match in _PUBLIC_FIGURE.finditer(text):
        yield Span(PUBLIC_FIGURE, match.start(), match.end())


def _names_known_by_their_form(text: str) -> Iterator[Span]:
    """Names known from the lists of names, or by their form: a family name first, a sheet's
    "Surname, First name", two words that then say or write, a first name or a known
    surname."""
    for pattern in (_SOMEONE_SAYING, _MESSAGE_FROM):
        for match in pattern.finditer(text):
            if _could_be_a_name(match.group(1), _NOT_GUESSED_NAME_WORDS):
                yield Span("NAME", match.start(1), match.end(1))
    for match in _SURNAME_COMMA_FIRST_NAME.finditer(text):
        if _surname_comma_first_name(text, match):
            yield Span("NAME", match.start(), match.end())
    for match in _FAMILY_NAME_FIRST.finditer(text):
        if _could_be_a_name(match.group()):
            yield Span("NAME", match.start(), match.end())
    for match in _WORD_NAME_AND_SURNAME.finditer(text):
        if match.group(1).lower() not in _NOT_SURNAMES and not _PLACE_AFTER.match(
            text, match.end()
        ):
            yield Span("NAME", match.start(), match.end())
    for match in _WORD_NAME_DOING.finditer(text):
        yield Span("NAME", match.start(), match.end())
    yield from _name_signed_at_the_end(text)
    for match in _DESCRIBED_IN_BRACKETS.finditer(text):
        if _unlisted_name(match.group(1)):
            yield Span("NAME", match.start(1), match.end(1))
    for match in _CAPITALISED.finditer(text):
        name = _POSSESSIVE.split(match.group(1))[0]  # "Sarah's landlord": Sarah
        place = name == match.group(1) and _names_a_place(text, match.start(1), name)
        saint = _SAINT_BEFORE.search(text, max(0, match.start(1) - 7), match.start(1))
        goes_on = _NAME_GOES_ON.match(text, match.start(1) + len(name))
        known = _starts_with_first_name(name) or (_ends_with_surname(name) and not goes_on)
        if known and not place and not saint:
            yield Span("NAME", match.start(1), match.start(1) + len(name))


def _name_signed_at_the_end(text: str) -> Iterator[Span]:
    """The name alone on the line under an email's "-- ", or on a message's last line above
    any lines that come under a signature (contact details, a town, "Sent from my iPhone")."""
    lines = _last_lines(text, 8)
    for index, line in enumerate(lines[1:], start=1):
        if _SIGNATURE_DELIMITER.fullmatch(text, *line):
            yield from _signed_name(text, *lines[index - 1])
    while lines and _comes_under_a_signature(text, lines):
        lines.pop(0)
    if len(lines) >= 2 and _closes_the_message(text, *lines[1]):
        yield from _signed_name(text, *lines[0])


def _closes_the_message(text: str, start: int, end: int) -> bool:
    """Whether a line could stand just above the writer's name: it ends a sentence, or it is
    a closing ("Kind regards", "Thanks for listening")."""
    return bool(_ENDS_A_SENTENCE.search(text, start, end) or _CLOSING_LINE.match(text, start, end))


def _signed_name(text: str, start: int, end: int) -> Iterator[Span]:
    match = _SIGNATURE_NAME.fullmatch(text, start, end)
    if match and _unlisted_name(match.group(1)):
        yield Span("NAME", match.start(1), match.end(1))


def _last_lines(text: str, count: int) -> list[tuple[int, int]]:
    """Where the last `count` lines that hold anything start and end, the last first."""
    lines: list[tuple[int, int]] = []
    end = len(text)
    while end > 0 and len(lines) < count:
        start = text.rfind("\n", 0, end) + 1
        if text[start:end].strip():
            lines.append((start, end))
        end = start - 1
    return lines


def _comes_under_a_signature(text: str, lines: list[tuple[int, int]]) -> bool:
    """Whether the first of `lines` (the last first) is of those under a signature: a way to
    reach someone (an address, a phone number, an email), what their phone adds ("Sent from
    my iPhone"), or the town they write from ("Leeds", "Leeds, West Yorkshire") where a name
    stands above it. Alone under a message, a town's name is more likely the writer's own
    name: many towns are children's names too ("Bentley", "Harlow")."""
    start, end = lines[0]
    town = text[start:end].split(",")[0].strip(" \t\r.").lower()
    if town in UK_PLACES:
        return len(lines) >= 2 and not _closes_the_message(text, *lines[1])
    return bool(
        _CONTACT_LINE.match(text, start, end)
        or _SENT_FROM.match(text, start, end)
        or _LOWER_CASE_ADDRESS.match(text, start, end)
        or _POSTCODE.search(text, start, end)
        or _EMAIL.search(text, start, end)
    )


def _surname_comma_first_name(text: str, match: re.Match) -> bool:
    """Whether "Popescu, Andrei" is one name: both names known, or one of them known where
    the two fill a cell of a sheet (`"Smith, John",...`); not the end of "Yusuf Osman,
    Preston"."""
    surname = match.group(1).lower() in SURNAMES
    first_name = match.group(2).lower() in FIRST_NAMES
    before = text[max(0, match.start() - 40) : match.start()]
    if _NAME_WORD_JUST_BEFORE.search(before):
        return False
    in_a_cell = _CELL_BEFORE.search(before) and _CELL_AFTER.match(text, match.end())
    return (surname and first_name) or bool(in_a_cell and (surname or first_name))


def _could_be_a_name(words: str, not_names: frozenset[str] = _NOT_NAME_WORDS) -> bool:
    """Whether capitalised words could be someone's name: not "The Home Office", "Universal
    Credit", "Patient" or "Northby Council"."""
    lower = set(words.lower().replace("’", "'").split())
    return not lower & not_names and not any(word.startswith("i'") for word in lower)


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
    """Whether a first name names a place: "in Shirley", "near Beverley", "Stanley Road",
    "from Beverley to Hull", "Florence Nightingale ward"."""
    words = name.split()
    end = start + len(name)
    if _PLACE_AFTER.match(text, end):
        return True
    if len(words) == 2:
        return words[1].lower() in _PLACE_WORDS
    before, after = _FROM_PLACE_TO_PLACE
    if before.search(text, max(0, start - 6), start) and after.match(text, end):
        return True
    return len(words) == 1 and _PLACE_BEFORE.search(text, max(0, start - 30), start) is not None


def _starts_with_first_name(words: str) -> bool:
    """Whether the first word, or a part of it ("Tyler-James"), is a known first name, with
    or without its accents ("Seán")."""
    parts = words.split()[0].lower().split("-")
    return any(part in FIRST_NAMES or _without_accents(part) in FIRST_NAMES for part in parts)


def _ends_with_surname(words: str) -> bool:
    """Whether two words are a first name not in the lists and a known surname ("Kateryna
    Tkachenko"), rather than a place ("Great Preston") or a body ("Northby Council")."""
    parts = words.split()
    if len(parts) != 2 or parts[0] in _PLACE_PREFIXES or parts[0].lower() in ORDINARY_WORDS:
        return False
    surname = parts[1].lower()
    known = surname in SURNAMES or _without_accents(surname) in SURNAMES
    return known and _could_be_a_name(words, _NOT_GUESSED_NAME_WORDS)


def _unlisted_name(words: str) -> bool:
    """Whether words that stand where a name stands, with no word around them to say so,
    are one: a known first name first, or no everyday word among them ("Naziha", "Hodan
    Warsame"; not "Disgusted", "Concerned Resident", "Room" or a sign-off, "Ta")."""
    if words.lower() in _SIGN_OFF_WORDS or not _could_be_a_name(words, _NOT_GUESSED_NAME_WORDS):
        return False
    everyday = any(word.lower() in ORDINARY_WORDS for word in words.split())
    return _starts_with_first_name(words) or not everyday


def _without_accents(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


FINDERS: list[Callable[[str], Iterator[Span]]] = [
    _emails,
    _card_numbers,
    _nhs_numbers,
    _regex_spans("NI_NUMBER", _NI_NUMBER),
    _regex_spans("NI_NUMBER", _NAMED_NI_NUMBER, group=1),
    _sort_codes,
    _bank_details,
    _regex_spans("ACCOUNT_NUMBER", _ACCOUNT, group=1),
    _regex_spans("DATE_OF_BIRTH", _BIRTH, group=1),
    _dates_of_birth_by_place,
    _phone_numbers,
    _postcodes,
    _regex_spans("ADDRESS", _FLAT_ADDRESS),
    _regex_spans("ADDRESS", _ADDRESS),
    _regex_spans("ADDRESS", _NAMED_HOUSE),
    _regex_spans("ADDRESS", _WELSH_ADDRESS),
    _lower_case_addresses,
    _streets_lived_on,
    _names_the_writer_gives,
    _public_figures,
    _names_known_by_their_form,
]


def find_personal_data(text: str) -> list[Span]:
    """Non-overlapping personal-data spans, in order; the earliest-listed finder wins ties.
    A public figure's name holds its place against later finders but is not returned."""
    taken = bytearray(len(text))  # 1 where a span lies: each check costs its length
    kept: list[Span] = []
    for finder in FINDERS:
        for span in finder(text):
            if taken.find(1, span.start, span.end) == -1:
                taken[span.start : span.end] = b"\x01" * (span.end - span.start)
                if span.kind != PUBLIC_FIGURE:
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
