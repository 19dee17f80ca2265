import time
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from compassion.core.access import current_membership


class CurrentOfficeMiddleware:
    """Put the user's office and membership on every request (None when not staff)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = current_membership(request)
        request.membership = membership
        request.office = membership.office if membership else None
        return self.get_response(request)


SEEN_AT = "seen_at"
RENEW_AFTER_SECONDS = 300


class RenewActiveSessionsMiddleware:
    """Keep a member of staff logged in while they use the site: their session ends
    `SESSION_COOKIE_AGE` after it was last saved, and is saved again, at most every five
    minutes, as they open pages. Saving it on every request would write to the database on
    every page for nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(SEEN_AT, 0) >= RENEW_AFTER_SECONDS:
                request.session[SEEN_AT] = now
        return response


def note_login(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    """A login saves the session: the first pages after it need not save it again."""
    request.session[SEEN_AT] = int(time.time())
