"""Template helpers for commitments."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def staff_name(user: object, missing: str = "someone") -> str:
    """A member of staff's full name, else their username; `missing` when there is no one."""
    if user is None:
        return missing
    return user.get_full_name() or user.username  # type: ignore[attr-defined]
