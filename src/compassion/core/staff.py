"""The office's staff: the leader and the office manager add people, change roles and remove
them; anyone changes their own password.

A new member gets an account with no password and a single-use link to set one (Django's
password-reset token, so it stops working once used or when the password changes). The
link is shown once to whoever added them and emailed to the new member. The rules: nobody
changes their own role or removes themselves; only the leader makes, changes or removes a
leader. Removing someone unassigns their open cases and, if they work for no other office,
closes their login. Every change is in the audit log.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views.decorators.http import require_POST

from compassion.cases.models import Action as CaseAction
from compassion.cases.models import Case
from compassion.commitments.models import OPEN_STATUSES, Commitment
from compassion.core.access import audit, get_for_office, require_edit, staff_required
from compassion.core.models import AuditAction, Membership, Role
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
        if form.is_valid() and not already_here(request, form):
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
    name = user.get_full_name() or user.username
    if not is_new:
        messages.success(
            request, f"{name} already has a login: they can now switch to this office."
        )
        return redirect("staff")
    link = set_password_link(request, user)
    send_mail(
        f"Your login for {request.office.name}",
        f"Hello {user.first_name},\n\n{request.user.get_full_name()} has added you to "
        f"{request.office.name} as {role}. Choose your password here (the link works "
        f"once):\n\n{link}\n\nYour username is {user.username}.\n",
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )
    request.session["new_member_link"] = {"name": name, "email": user.email, "link": link}
    return redirect("staff")


@require_POST
@staff_required(Role.LEADER, Role.MANAGER)
def change_role(request: HttpRequest, membership_id: int) -> HttpResponse:
    require_edit(request)
    other = get_for_office(Membership.objects.select_related("user"), request, pk=membership_id)
    role = request.POST.get("role", "")
    refusal = may_change(request.membership, other)
    if role not in dict(roles_for(request.membership)):
        refusal = refusal or "Choose one of the roles in the list."
    if refusal:
        messages.error(request, refusal)
        return redirect("staff")
    if role != other.role:
        before = other.get_role_display()
        other.role = role
        other.save(update_fields=["role"])
        name = other.user.get_full_name() or other.user.username
        audit(
            request,
            AuditAction.CHANGE,
            other,
            f"Role of {name}: {before} to {other.get_role_display()}",
        )
        messages.success(request, f"{name} is now {other.get_role_display()}.")
    return redirect("staff")


def still_theirs(request: HttpRequest, user: object) -> list[tuple[str, str]]:
    """What a departing member still owns beyond casework, to hand over on its own page:
    ("2 promises not yet kept", where to find them)."""
    office = request.office
    owned = [
        (
            Commitment.objects.for_office(office).filter(owner=user, status__in=OPEN_STATUSES),
            ("promise not yet kept", "promises not yet kept"),
            reverse("commitments:list"),
        ),
        (
            Obstacle.objects.for_office(office).open().filter(action_owner=user),
            ("team action", "team actions"),
            reverse("pulse:obstacles"),
        ),
        (
            InsightAction.objects.filter(office=office, owner=user, status=ActionStatus.OPEN),
            ("action from the insights", "actions from the insights"),
            reverse("insights:actions"),
        ),
    ]
    listed = []
    for things, (one, many), where in owned:
        if count := things.count():
            listed.append((f"{count} {one if count == 1 else many}", where))
    return listed


@staff_required(Role.LEADER, Role.MANAGER)
def remove_member(request: HttpRequest, membership_id: int) -> HttpResponse:
    """Ask, then remove: their open cases go back to nobody, and their login closes if they
    work for no other office."""
    other = get_for_office(Membership.objects.select_related("user"), request, pk=membership_id)
    refusal = may_change(request.membership, other)
    if refusal:
        messages.error(request, refusal)
        return redirect("staff")
    open_cases = Case.objects.for_office(request.office).open().filter(assigned_to=other.user)
    case_actions = CaseAction.objects.filter(
        case__office=request.office, owner=other.user, done_at__isnull=True
    )
    if request.method != "POST":
        context = {
            "other": other,
            "open_cases": open_cases.count(),
            "case_actions": case_actions.count(),
            "still_theirs": still_theirs(request, other.user),
        }
        return render(request, "core/staff_remove.html", context)
    require_edit(request)
    name = other.user.get_full_name() or other.user.username
    with transaction.atomic():
        case_actions.update(owner=None)
        unassigned = open_cases.update(assigned_to=None)
        audit(
            request,
            AuditAction.DELETE,
            other,
            f"Removed {name} ({unassigned} open cases unassigned)",
        )
        user = other.user
        other.delete()
        if not Membership.objects.filter(user=user).exists():
            user.is_active = False
            user.save(update_fields=["is_active"])
    cases = (
        "1 open case of theirs now needs"
        if unassigned == 1
        else f"{unassigned} open cases of theirs now need"
    )
    messages.success(
        request,
        f"{name} has been removed. {cases} someone: find them under Cases, Caseworker: Nobody yet.",
    )
    return redirect("staff")
