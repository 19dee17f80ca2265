from collections.abc import Callable

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
