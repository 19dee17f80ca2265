"""Rate limits for voting and adding statements, per participant and per network address.

Counters live in Django's cache (fixed windows). The address is only hashed into a cache key
for the length of a window; it is never written to the database.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from compassion.core.access import client_ip

# kind: (per participant, per address, window in seconds)
DEFAULT_LIMITS = {
    "vote": (40, 300, 60),
    "statement": (5, 30, 60 * 60),
    "email": (3, 20, 60 * 60),
}

MESSAGES = {
    "vote": "You are voting very fast. Please wait a minute, then carry on.",
    "statement": "You have added several statements in the last hour. Please try again later.",
    "email": "Too many confirmation emails were asked for. Please try again in an hour.",
}


def limits(kind: str) -> tuple[int, int, int]:
    configured = getattr(settings, "COMMONGROUND_RATE_LIMITS", {})
    return configured.get(kind, DEFAULT_LIMITS[kind])


def over_limit(request: HttpRequest, kind: str, participant_key: str) -> bool:
    """Count this attempt; True when the participant or their address is over the limit."""
    per_participant, per_address, window = limits(kind)
    address = client_ip(request) or ""
    address_key = hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]
    over_participant = hit(f"{kind}:p:{participant_key}", per_participant, window)
    over_address = hit(f"{kind}:a:{address_key}", per_address, window)
    return over_participant or over_address


def hit(name: str, limit: int, window: int) -> bool:
    key = f"commonground:rate:{name}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit
