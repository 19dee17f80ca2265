"""A cheap first pass that tells which of several regular expressions could match a text.

Python's `re` tries every alternative of a large pattern at every word boundary, so running
all the risk rules on every message is slow, although most messages match none. Each
pattern is read here (with the standard library's own regex parser) into a set of plain
strings such that every match contains at least one of them: `r"\\bkill(?:ing)? myself\\b"`
needs "kill myself" or "killing myself". One scan finds which of those strings a text
contains; a pattern none of whose strings occur cannot match and is skipped.

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


def _trie_pattern(strings: set[str]) -> str:
    """A regex matching the longest of `strings` that starts at a position.

    Written as a trie ("kill(?:ing)?" rather than "killing|kill"), which `re` scans far
    faster than a plain alternation of hundreds of strings.
    """
    trie: dict = {}
    for string in strings:
        node = trie
        for character in string:
            node = node.setdefault(character, {})
        node[""] = {}

    def branch(node: dict) -> str:
        alternatives = [re.escape(c) + branch(child) for c, child in sorted(node.items()) if c]
        if "" in node:
            return f"(?:{'|'.join(alternatives)})?" if alternatives else ""
        return alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"

    return branch(trie)


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
        # The scan reports the longest string starting at each position; the strings that
        # are its prefixes start there too, so it stands for their patterns as well.
        self._names = {
            string: frozenset().union(
                *(owners.get(string[:end], ()) for end in range(1, len(string) + 1))
            )
            for string in owners
        }
        self._scan = re.compile(_trie_pattern(set(owners))) if owners else None

    def possible(self, text: str) -> frozenset[str]:
        """The names of the patterns that might match `text`; the others cannot."""
        found = self.always
        if self._scan is None:
            return found
        # Searching again from one past each hit, rather than `finditer`, also finds
        # strings that overlap a longer one.
        match = self._scan.search(text)
        while match:
            found |= self._names[match.group()]
            match = self._scan.search(text, match.start() + 1)
        return found
