"""Template helpers for the words of labels."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def mid_sentence(label: str) -> str:
    """A sentence-case label as it reads inside a sentence: "Schools and SEND" becomes
    "schools and SEND", where `lower` would give "schools and send". Only the first letter
    changes, and not at all when the first word is an acronym ("NHS dentists")."""
    first_word = label.split(" ", 1)[0]
    if len(first_word) > 1 and first_word.isupper():
        return label
    return label[:1].lower() + label[1:]
