"""The screen that lets the risk rules skip texts they cannot match.

Skipping a rule that would have matched could hide a risk to life, so the tests check that
`find_flags` gives exactly what running every rule gives, on every message the package
ships and on hand-made cases.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

import compassion.lens
from compassion.lens import rules
from compassion.lens.rules import Flag, find_asking_words, find_feeling_words, find_flags
from compassion.lens.screen import Screen, required_strings

PACKAGE_DATA = Path(compassion.lens.__file__).parent / "data"


def every_rule(text: str) -> list[Flag]:
    """`find_flags` without the screen: every rule runs."""
    lower = text.lower()
    patterns = rules._LOWER if len(lower) == len(text) else rules._ANY_CASE
    masked = rules._mask_idioms(lower if patterns is rules._LOWER else text, patterns)
    flags = []
    for kind, pattern in patterns.rules.items():
        match = pattern.search(masked)
        if match:
            flags.append(Flag(kind, text[match.start() : match.end()], match.start(), match.end()))
    return flags + rules._deadline_flags(masked, text, patterns)


def _package_texts() -> list[str]:
    texts = []
    for path in sorted(PACKAGE_DATA.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            texts += [row.get("text") or "" for row in csv.DictReader(handle, delimiter="\t")]
    return texts


HAND_MADE = [
    "",
    "I want to KILL MYSELF",
    "This policy is killing our high street, and I want to kill myself.",
    "He's killing it at school. My husband hits me when he drinks.",
    "The possession hearing is tomorrow at 10am.",
    "The consultation deadline is in March.",
    "We have no food, the bailiffs come on Monday and my husband hits me.",
    "İ can't go on, my son is missing",
    "Call an ambulance, he collapsed and is not breathing",
    "my 14-year-old daughter is self-harming",
    "I am furious and I cannot cope any more.",
    "Can you help? İ don't know what to do.",
    "I’d be grateful if you could chase the Home Office. What can I do?",
]


@pytest.mark.parametrize("text", HAND_MADE)
def test_it_finds_what_running_every_rule_finds(text):
    assert find_flags(text) == every_rule(text)


def every_feeling(text: str) -> tuple[str, str] | None:
    """`find_feeling_words` without the screen: each feeling's patterns run in order."""
    for feeling in ("distress", "anger"):
        if match := rules._WORDS_ANY_CASE[f"{feeling}_words"].search(text):
            return feeling, match.group()
    return None


def every_ask(text: str) -> str | None:
    """`find_asking_words` without the screen: all asking patterns at once."""
    match = rules._WORDS_ANY_CASE["asks_words"].search(text)
    return match.group() if match else None


@pytest.mark.parametrize(
    ("screened", "unscreened", "least_found"),
    [
        (find_flags, every_rule, 100),
        (find_feeling_words, every_feeling, 50),
        (find_asking_words, every_ask, 100),
    ],
)
def test_it_misses_nothing_in_the_messages_the_package_ships(screened, unscreened, least_found):
    texts = [*_package_texts(), *HAND_MADE]
    assert len(texts) > 300
    found = 0
    for text in texts:
        expected = unscreened(text)
        assert screened(text) == expected, text
        found += bool(expected)
    assert found > least_found


def test_every_match_contains_one_of_the_required_strings():
    pattern = r"\bkill(?:ing)? (?:myself|himself)\b|\bsuicid\w*|\b(?:fire|ambulance) station\b"
    strings = required_strings(pattern)
    assert strings is not None
    for text in ["kill myself", "killing himself", "suicidal", "ambulance station"]:
        match = re.search(pattern, text)
        assert match and any(string in match.group() for string in strings)


def test_it_always_runs_a_pattern_it_cannot_read_as_text():
    screen = Screen({"words": r"\w+\s+\w+", "case": r"(?i)kill", "plain": r"\bkill\b"})
    assert screen.possible("nothing here") == {"words", "case"}
    assert screen.possible("they kill") == {"words", "case", "plain"}


def test_it_names_every_pattern_whose_string_overlaps_another():
    screen = Screen({"short": r"\bhit\b", "long": r"\bhit me\b", "inner": r"me now"})
    assert screen.possible("he hit me now") == {"short", "long", "inner"}
    assert screen.possible("nothing to see") == frozenset()


def test_it_splits_a_rule_into_its_top_level_alternatives():
    assert rules._alternatives(r"a(?:b|c)|[|(]x|\|y|z") == ["a(?:b|c)", "[|(]x", r"\|y", "z"]
    for kind, alternatives in rules._ALTERNATIVES.items():
        whole = rules._IDIOMS_PATTERN if kind == "idioms" else rules._RULES[kind]
        assert "|".join(alternatives) == whole
        for alternative in alternatives:  # a split inside a group or class would not compile
            re.compile(alternative)


def test_a_rule_reduced_to_its_possible_alternatives_finds_the_same_first_match():
    text = "the bailiffs are coming and we are being evicted, facing homelessness on monday"
    possible = rules._possible(text)
    assert len(possible["eviction"]) < len(rules._ALTERNATIVES["eviction"])
    reduced = rules._reduced("eviction", possible["eviction"]).search(text)
    assert reduced.span() == rules._LOWER.rules["eviction"].search(text).span()
