"""A cheap first pass that tells which of several regular expressions could match a text.

Python's `re` tries every alternative of a large pattern at every word boundary, so running
all the risk rules on every message is slow, although most messages match none. Each
pattern is read here (with the standard library's own regex parser) into a set of plain
strings such that every match contains at least one of them: `r"\\bkill(?:ing)? myself\\b"`
needs "kill myself" or "killing myself". One Aho-Corasick scan (pyahocorasick) finds which
of those strings a text contains; a pattern none of whose strings occur cannot match and is
skipped.

The sets are derived, never written by hand, so they stay right when a rule changes. Where
a piece of a pattern cannot be read as literal text (`\\w+`, `[^.!?]{0,40}`, case-insensitive
groups, ...) it is simply not used as evidence, and a pattern with no usable piece at all is
always run. A match's text is built from what each piece matched, so if every match of
each alternative contains one string of the set, every match of the pattern does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from re import _constants as sre
from re import _parser as sre_parse

import ahocorasick

_MAX_STRINGS = 256
_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def _exact(op, value) -> set[str] | None:
    """A small set of strings that includes all this item can match, or None."""
    if op is sre.LITERAL:
        return {chr(value)}
    if op in _ZERO_WIDTH:
        return {""}
    if op is sre.IN and all(item_op is sre.LITERAL for item_op, _ in value):
        return {chr(code) for _, code in value}
    if op is sre.SUBPATTERN and not value[1] & re.IGNORECASE:
        return _exact_sequence(value[3])
    if op is sre.BRANCH:
        strings: set[str] = set()
        for alternative in value[1]:
            found = _exact_sequence(alternative)
            if found is None:
                return None
            strings |= found
        return strings if len(strings) <= _MAX_STRINGS else None
    if op in _REPEATS and value[1] <= 1:
        found = _exact_sequence(value[2])
        if found is None:
            return None
        return found | {""} if value[0] == 0 else found
    return None


def _exact_sequence(items) -> set[str] | None:
    strings = {""}
    for op, value in items:
        found = _exact(op, value)
        if found is None:
            return None
        strings = {start + end for start in strings for end in found}
        if len(strings) > _MAX_STRINGS:
            return None
    return strings


def _selectivity(strings: set[str]) -> tuple[int, int]:
    """Longer strings are rarer in text; fewer of them are cheaper to look for."""
    return min(map(len, strings)), -len(strings)


def _required(items) -> set[str] | None:
    """Strings one of which every match of the sequence `items` contains, or None."""
    candidates = []
    run = {""}  # what the latest stretch of literal-like items can match

    def close_run() -> None:
        nonlocal run
        if "" not in run:
            candidates.append(run)
        run = {""}

    for op, value in items:
        found = _exact(op, value)
        if found is not None:
            longer = {start + end for start in run for end in found}
            if len(longer) <= _MAX_STRINGS:
                run = longer
            else:
                close_run()
                run = found
            continue
        close_run()
        if op is sre.SUBPATTERN and not value[1] & re.IGNORECASE:
            found = _required(value[3])
        elif op is sre.BRANCH:
            alternatives = [_required(alternative) for alternative in value[1]]
            if all(alternatives):
                found = set().union(*alternatives)
        elif op in _REPEATS and value[0] >= 1:
            found = _required(value[2])
        if found:
            candidates.append(found)
    close_run()
    return max(candidates, key=_selectivity) if candidates else None


def required_strings(pattern: str) -> set[str] | None:
    """Strings one of which every match of `pattern` (compiled without flags) contains,
    or None when the pattern gives no such set."""
    parsed = sre_parse.parse(pattern)
    if parsed.state.flags & re.IGNORECASE:
        return None
    return _required(parsed)


class Screen:
    """Which of the named `patterns` could match a text, found in one scan."""

    def __init__(self, patterns: Mapping[str, str]) -> None:
        owners: dict[str, set[str]] = {}
        self.always: frozenset[str] = frozenset()
        for name, pattern in patterns.items():
            strings = required_strings(pattern)
            if strings is None:
                self.always |= {name}
                continue
            for string in strings:
                owners.setdefault(string, set()).add(name)
        self._scan = _automaton(owners) if owners else None

    def possible(self, text: str) -> frozenset[str]:
        """The names of the patterns that might match `text`; the others cannot."""
        if self._scan is None:
            return self.always
        found = set(self.always)
        # Every occurrence of every string, overlapping ones included.
        for _, names in self._scan.iter(text):
            found |= names
        return frozenset(found)


def _automaton(owners: Mapping[str, set[str]]) -> ahocorasick.Automaton:
    """An Aho-Corasick automaton that reports, for each string found, its patterns' names."""
    automaton = ahocorasick.Automaton()
    for string, names in owners.items():
        automaton.add_word(string, frozenset(names))
    automaton.make_automaton()
    return automaton
