"""The one seam between the reply composer and the lens's reply coach.

The coach reads a draft reply and says whether it acknowledges the person's feelings and
specifics (EPITOME: emotional reaction, interpretation, exploration), how helpful it is, and
what to add. Until `compassion.lens` provides it, the composer says the coach is unavailable.
"""

from __future__ import annotations

from typing import Any

from compassion.cases.models import Case


def coach_draft(draft: str, case: Case) -> dict[str, Any] | None:
    """The coach's reading of a draft as plain data, or None when no coach is installed."""
    try:
        from compassion.lens import coach_reply  # type: ignore[attr-defined]
    except ImportError:
        return None
    return coach_reply(draft, context=case.heard or case.subject)
