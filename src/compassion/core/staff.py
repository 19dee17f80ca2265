"""The office's staff: the leader and the office manager add people, change roles and remove
them; anyone changes their own password.

A new member gets an account with no password and a single-use link to set one (Django's
password-reset token, so it stops working once used or when the password changes), emailed
to the new member. Only where that email cannot have reached them (no mail server set up,
or sending failed) is the link shown, once, to whoever added them. The rules: nobody
changes their own role or removes themselves; only the leader makes, changes or removes a
leader. Removing someone hands their open cases, actions and promises to a colleague, or
leaves their cases and case actions to share out later; if they work for no other office,
it closes their login. Every change is in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.html import format_html
from django.utils.http import urlsafe_base64_encode
from django.views.decorators.http import require_POST

from compassion.cases.forms import office_staff, person_name
from compassion.cases.models import Action as CaseAction
from compassion.cases.models import Case
from compassion.commitments.models import OPEN_STATUSES, Commitment
from compassion.core.access import audit, get_for_office, require_edit, staff_required
from compassion.core.mail import MAIL_FAILURES
from compassion.core.models import AuditAction, Membership, Office, Role
from compassion.insights.models import Action as InsightAction
from compassion.insights.models import ActionStatus
from compassion.pulse.models import Obstacle

User = get_user_model()


class AddStaffForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    email = forms.EmailField(label="Email address", help_text="Their link is sent here.")
    username = forms.RegexField(
        label="Username",
        max_length=150,
        regex=r"^[\w.@+-]+$",
        help_text="What they log in with: letters, digits and . @ + - _ only.",
        error_messages={"invalid": "Use only letters, digits and . @ + - _ in a username."},
    )
    role = forms.ChoiceField(label="Role", initial=Role.CASEWORKER)
    job_title = forms.CharField(label="Job title", max_length=200, required=False)

    def __init__(self, *args: object, roles: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles


def roles_for(membership: Membership) -> list[tuple[str, str]]:
    """The roles this member may give: a manager cannot make anyone a leader."""
    if membership.role == Role.LEADER:
        return list(Role.choices)
    return [(value, label) for value, label in Role.choices if value != Role.LEADER]


def may_change(actor: Membership, other: Membership) -> str | None:
    """Why `actor` may not change or remove `other`, or None if they may."""
    if other.user_id == actor.user_id:
        return "You cannot change your own role or remove yourself: ask another manager."
    if other.role == Role.LEADER and actor.role != Role.LEADER:
        return "Only the leader can change or remove a leader."
    return None


def set_password_link(request: HttpRequest, user: object) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return request.build_absolute_uri(
        reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    )


@staff_required(Role.LEADER, Role.MANAGER)
def staff_list(request: HttpRequest) -> HttpResponse:
    form = AddStaffForm(request.POST or None, roles=roles_for(request.membership))
    if request.method == "POST":
        require_edit(request)
        if form.is_valid() and not already_here(request, form) and not taken(form):
            return add_member(request, form)
    members = list(
        Membership.objects.filter(office=request.office)
        .select_related("user")
        .order_by("user__first_name", "user__last_name")
    )
    for member in members:
        member.changeable = may_change(request.membership, member) is None
    context = {
        "members": members,
        "form": form,
        "roles": roles_for(request.membership),
        "new_member": request.session.pop("new_member_link", None),
    }
    return render(request, "core/staff.html", context, status=400 if form.errors else 200)


def already_here(request: HttpRequest, form: AddStaffForm) -> bool:
    username = form.cleaned_data["username"]
    here = Membership.objects.filter(office=request.office, user__username__iexact=username)
    if here.exists():
        form.add_error("username", "Someone with that username already works in this office.")
    return here.exists()


def taken(form: AddStaffForm) -> bool:
    """Whether the username is someone else's login. Someone who works for another office
    on this server joins this one only where the email typed is theirs, so that no office
    learns who works elsewhere, or draws them in, by guessing usernames."""
    data = form.cleaned_data
    user = User.objects.filter(username__iexact=data["username"]).first()
    if user is None or user.email.lower() == data["email"].lower():
        return False
    form.add_error("username", "That username is taken: choose another.")
    return True


def add_member(request: HttpRequest, form: AddStaffForm) -> HttpResponse:
    data = form.cleaned_data
    user = User.objects.filter(username__iexact=data["username"]).first()
    is_new = user is None
    with transaction.atomic():
        if is_new:
            user = User(
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
            )
            user.set_unusable_password()
            user.save()
        membership = Membership.objects.create(
            user=user, office=request.office, role=data["role"], job_title=data["job_title"]
        )
        role = membership.get_role_display()
        audit(request, AuditAction.CREATE, membership, f"Added {user.get_full_name()} as {role}")
    name = person_name(user)
    if not is_new and not user.is_active:
        # Removed from every office before, so their login was closed: open it again.
        user.is_active = True
        user.save(update_fields=["is_active"])
        if user.has_usable_password():
            tell_them_they_were_added(request, membership)
            messages.success(request, f"{name} is back: they can log in again as before.")
            return redirect("staff")
    elif not is_new:
        tell_them_they_were_added(request, membership)
        messages.success(
            request, f"{name} already has a login: they can now switch to this office."
        )
        return redirect("staff")
    send_set_password_link(request, membership, f"{name} has been added")
    return redirect("staff")


def tell_them_they_were_added(request: HttpRequest, membership: Membership) -> None:
    """Someone with a login who was added to another office hears of it from us."""
    role = membership.get_role_display()
    office = request.office.name
    send_mail(
        f"You have been added to {office}",
        f"Hello {membership.user.first_name},\n\n{request.user.get_full_name()} has added you "
        f"to {office} as {role}. Log in as usual and choose the office from the menu.\n\n"
        f"If you did not expect this, tell {request.user.get_full_name()} or your own office.\n",
        settings.DEFAULT_FROM_EMAIL,
        [membership.user.email],
        fail_silently=True,
    )


def send_set_password_link(request: HttpRequest, membership: Membership, heading: str) -> None:
    """Email a member a link to choose their password, and say on the staff page that it
    went, or show the link where no email can have reached them."""
    user = membership.user
    link = set_password_link(request, user)
    not_sent = email_set_password_link(request, user, membership.get_role_display(), link)
    elsewhere = Membership.objects.filter(user=user).exclude(office=request.office).exists()
    request.session["new_member_link"] = {
        "heading": heading,
        "email": user.email,
        # A login that works for another office too would open that office's casework
        # to whoever holds the link: it goes to its owner's email, never onto this page.
        "link": link if not_sent and not elsewhere else None,
        "not_sent": not_sent,
        "kept_from_this_page": bool(not_sent and elsewhere),
    }


@require_POST
@staff_required(Role.LEADER, Role.MANAGER)
def send_new_link(request: HttpRequest, membership_id: int) -> HttpResponse:
    """A new set-password link for someone who has not chosen a password: the first stops
    working after a few days (PASSWORD_RESET_TIMEOUT)."""
    require_edit(request)
    other = get_for_office(Membership.objects.select_related("user"), request, pk=membership_id)
    name = person_name(other.user)
    refusal = may_change(request.membership, other)
    if not refusal and other.user.has_usable_password():
        refusal = f"{name} has chosen a password already: they can reset it from the login page."
    if refusal:
        messages.error(request, refusal)
        return redirect("staff")
    audit(request, AuditAction.CHANGE, other, f"Sent {name} a new link")
    send_set_password_link(request, other, f"A new link for {name}")
    return redirect("staff")


def email_set_password_link(request: HttpRequest, user: object, role: str, link: str) -> str:
    """Email the new member their link. Why it cannot have reached them, or "" if it was
    sent. With no mail server set up, emails are kept in the outbox folder on this computer."""
    try:
        send_mail(
            f"Your login for {request.office.name}",
            f"Hello {user.first_name},\n\n{request.user.get_full_name()} has added you to "
            f"{request.office.name} as {role}. Choose your password here (the link works "
            f"once):\n\n{link}\n\nYour username is {user.username}.\n",
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
    except MAIL_FAILURES as error:
        return f"The email to {user.email} could not be sent ({error})."
    if not settings.EMAIL_HOST:
        return "This office has no mail server set up, so the email did not leave this computer."
    return ""


@require_POST
@staff_required(Role.LEADER, Role.MANAGER)
def change_role(request: HttpRequest, membership_id: int) -> HttpResponse:
    require_edit(request)
    other = get_for_office(Membership.objects.select_related("user"), request, pk=membership_id)
    role = request.POST.get("role", "")
    refusal = may_change(request.membership, other)
    if role not in dict(roles_for(request.membership)):
        refusal = refusal or "Choose one of the roles in the list."
    if role == Role.VOLUNTEER and other.role != Role.VOLUNTEER:
        refusal = refusal or cases_keep_them_from_volunteering(request, other)
    if refusal:
        messages.error(request, refusal)
        return redirect("staff")
    if role != other.role:
        before = other.get_role_display()
        other.role = role
        other.save(update_fields=["role"])
        name = person_name(other.user)
        audit(
            request,
            AuditAction.CHANGE,
            other,
            f"Role of {name}: {before} to {other.get_role_display()}",
        )
        messages.success(request, f"{name} is now {other.get_role_display()}.")
    return redirect("staff")


def cases_keep_them_from_volunteering(request: HttpRequest, other: Membership) -> str | None:
    """A volunteer works on no case, and the case list and the team's caseload leave them
    out: open cases still theirs would be held by nobody anyone sees."""
    held = Case.objects.for_office(request.office).open().filter(assigned_to=other.user).count()
    if not held:
        return None
    return format_html(
        "{name} still holds {count} open case{s}, which a volunteer cannot work on: "
        '<a href="{url}?worker={pk}">give {them} to a colleague</a> first, then change the role.',
        name=person_name(other.user),
        count=held,
        s=pluralize(held),
        them=pluralize(held, "it,them"),
        url=reverse("cases:list"),
        pk=other.user.pk,
    )


@dataclass(frozen=True)
class Owned:
    """Things of one kind that a member owns beyond their cases, and where they are listed."""

    things: QuerySet
    owner_field: str
    one: str
    many: str
    where: str


def owned_beyond_casework(office: Office, user: object) -> list[Owned]:
    return [
        Owned(
            Commitment.objects.for_office(office).filter(owner=user, status__in=OPEN_STATUSES),
            "owner",
            "promise not yet kept",
            "promises not yet kept",
            reverse("commitments:list"),
        ),
        Owned(
            Obstacle.objects.for_office(office).open().filter(action_owner=user),
            "action_owner",
            "team action",
            "team actions",
            reverse("pulse:obstacles"),
        ),
        Owned(
            InsightAction.objects.filter(office=office, owner=user, status=ActionStatus.OPEN),
            "owner",
            "action from the insights",
            "actions from the insights",
            reverse("insights:actions"),
        ),
    ]


def still_theirs(request: HttpRequest, user: object) -> list[tuple[str, str]]:
    """What a departing member still owns beyond casework: ("2 promises not yet kept",
    where to find them)."""
    listed = []
    for owned in owned_beyond_casework(request.office, user):
        if count := owned.things.count():
            listed.append((f"{count} {owned.one if count == 1 else owned.many}", owned.where))
    return listed


class HandOverForm(forms.Form):
    """Whom a departing member's open cases, actions and promises go to, if anyone: one of
    the colleagues a case can be assigned to."""

    def __init__(self, *args: object, office: Office, leaving: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        field = office_staff(office)
        field.queryset = field.queryset.exclude(pk=leaving.pk)
        field.empty_label = "No one: share it out later"
        field.label = "Hand everything of theirs to"
        self.fields["hand_to"] = field


@staff_required(Role.LEADER, Role.MANAGER)
def remove_member(request: HttpRequest, membership_id: int) -> HttpResponse:
    """Ask, then remove: their open cases and actions go to the colleague chosen, or to
    nobody, and their login closes if they work for no other office."""
    other = get_for_office(Membership.objects.select_related("user"), request, pk=membership_id)
    refusal = may_change(request.membership, other)
    if refusal:
        messages.error(request, refusal)
        return redirect("staff")
    open_cases = Case.objects.for_office(request.office).open().filter(assigned_to=other.user)
    case_actions = CaseAction.objects.filter(
        case__office=request.office, owner=other.user, done_at__isnull=True
    )
    posted = request.POST if request.method == "POST" else None
    form = HandOverForm(posted, office=request.office, leaving=other.user)
    if not form.is_valid():
        context = {
            "other": other,
            "form": form,
            "open_cases": open_cases.count(),
            "case_actions": case_actions.count(),
            "still_theirs": still_theirs(request, other.user),
        }
        return render(request, "core/staff_remove.html", context)
    require_edit(request)
    name = person_name(other.user)
    successor = form.cleaned_data["hand_to"]
    with transaction.atomic():
        case_actions.update(owner=successor)
        moved = open_cases.update(assigned_to=successor)
        if successor:
            for owned in owned_beyond_casework(request.office, other.user):
                owned.things.update(**{owned.owner_field: successor})
        audit(
            request,
            AuditAction.DELETE,
            other,
            f"Removed {name} ({removal_summary(moved, successor)})",
        )
        close_membership(other)
    messages.success(
        request, f"{name} has been removed. {removal_message(moved, successor)}".strip()
    )
    return redirect("staff")


def close_membership(membership: Membership) -> None:
    """Delete the membership; close the login of someone who works for no other office."""
    user = membership.user
    membership.delete()
    if not Membership.objects.filter(user=user).exists():
        user.is_active = False
        user.save(update_fields=["is_active"])


def removal_summary(moved: int, successor: object | None) -> str:
    if successor is None:
        return f"{moved} open cases unassigned"
    return f"{moved} open cases and their other work handed to {person_name(successor)}"


def removal_message(moved: int, successor: object | None) -> str:
    if successor is not None:
        return f"Everything of theirs is now {person_name(successor)}'s."
    if moved == 0:
        return ""
    cases = (
        "1 open case of theirs now needs"
        if moved == 1
        else f"{moved} open cases of theirs now need"
    )
    return f"{cases} someone: find them under Cases, Caseworker: Nobody yet."
