"""The one way views reach office data: scoped to the user's office and role, and audited."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from ipaddress import ip_address
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from compassion.core.models import AuditAction, AuditEntry, Membership, Person

M = TypeVar("M", bound=Model)
View = Callable[..., HttpResponse]


def current_membership(request: HttpRequest) -> Membership | None:
    """The user's membership in the office they are working in (the first, or the chosen one)."""
    user = request.user
    if not user.is_authenticated:
        return None
    memberships = Membership.objects.filter(user=user).select_related("office").order_by("pk")
    chosen = request.session.get("office_id")
    if chosen:
        match = memberships.filter(office_id=chosen).first()
        if match:
            return match
    return memberships.first()


def staff_required(*roles: str) -> Callable[[View], View]:
    """Let in logged-in staff of an office; with roles given, only those roles.

    The view receives `request.office` and `request.membership`.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = getattr(request, "membership", None)
            if membership is None:
                return render(request, "core/no_office.html", status=403)
            if roles and membership.role not in roles:
                raise PermissionDenied("Your role in this office does not allow this.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def require_edit(request: HttpRequest) -> None:
    """Volunteers have read-only access."""
    if not request.membership.can_edit:
        raise PermissionDenied("Your role in this office is read-only.")


def get_for_office(queryset: QuerySet[M], request: HttpRequest, **lookup: Any) -> M:
    """Load one object of the user's office, or 404 (never 403: no hint it exists elsewhere)."""
    try:
        return queryset.get(office=request.office, **lookup)
    except queryset.model.DoesNotExist:
        raise Http404("Not found in your office.") from None


BIGGEST_ID = 2**63 - 1  # the largest number a database key column holds


def record_id(value: str | None) -> int | None:
    """The record number a form or link gives, or None for anything else: "12abc", a
    negative number, a number too big for the database ("99999999999999999999"), or
    digits from another script ("²"), which would otherwise end in an error page."""
    if not value or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= BIGGEST_ID else None


def client_ip(request: HttpRequest) -> str | None:
    """The address of whoever sent the request. Behind a proxy listed in TRUSTED_PROXIES the
    connection comes from the proxy, so the address is read from X-Forwarded-For, from the
    right: the nearest address that is not one of our proxies. Whatever lies further left
    was written by the client, who can write anything there."""
    remote = request.META.get("REMOTE_ADDR") or None
    if remote is None or not is_trusted_proxy(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for address in reversed([part.strip() for part in forwarded if part.strip()]):
        if not is_trusted_proxy(address):
            return address if is_ip_address(address) else remote
    return remote


def is_ip_address(text: str) -> bool:
    try:
        ip_address(text)
    except ValueError:
        return False
    return True


def is_trusted_proxy(address: str) -> bool:
    try:
        parsed = ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in settings.TRUSTED_PROXIES)


def audit(
    request: HttpRequest,
    action: AuditAction | str,
    obj: Model,
    summary: str = "",
    person: Person | None = None,
) -> AuditEntry:
    """Record that the user viewed or changed a record about a person."""
    if person is None and isinstance(obj, Person):
        person = obj
    entry = audit_entry(request, action, obj, summary, person)
    entry.save()
    return entry


def audit_people_seen(
    request: HttpRequest, obj: Model, people: Iterable[Person | None], summary: str
) -> None:
    """Record that the user saw each person's words or details on a page about many people
    (a campaign's own words): one entry per person, so that each one's history shows it."""
    seen = {person.pk: person for person in people if person is not None}
    AuditEntry.objects.bulk_create(
        audit_entry(request, AuditAction.VIEW, obj, summary, person) for person in seen.values()
    )


def audit_entry(
    request: HttpRequest,
    action: AuditAction | str,
    obj: Model,
    summary: str,
    person: Person | None,
) -> AuditEntry:
    return AuditEntry(
        office=request.office,
        user=request.user if request.user.is_authenticated else None,
        action=action,
        object_type=obj._meta.model_name or "",
        object_id=str(obj.pk),
        person=person,
        summary=summary[:300],
        ip_address=client_ip(request),
    )
