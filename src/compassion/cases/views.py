"""Casework pages: the case list, the case, replies, referrals, the team and privacy."""

from __future__ import annotations

import csv
import secrets
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from compassion.cases import privacy, search
from compassion.cases.coaching import coach_draft
from compassion.cases.defaults import seed_casework_defaults
from compassion.cases.forms import (
    ActionForm,
    AgencyForm,
    AnswerForm,
    AssignForm,
    CloseForm,
    FilterForm,
    HeardForm,
    ObstacleForm,
    PolicyForm,
    ReferralForm,
    ReplyForm,
    StatusForm,
    TemplateForm,
    person_name,
)
from compassion.cases.letters import referral_pdf, reply_pdf
from compassion.cases.models import (
    OPEN_STATUSES,
    Action,
    Agency,
    Case,
    CaseworkPolicy,
    ChecklistQuestion,
    Obstacle,
    ObstacleKind,
    Referral,
    Reply,
    ReplyTemplate,
    SatisfactionAnswer,
    SatisfactionRequest,
    Status,
    TemplateKind,
    merge,
)
from compassion.cases.similar import similar_cases
from compassion.cases.team import service_figures, suggest_assignee, team_loads
from compassion.cases.theme_learning import record_correction, theme_report
from compassion.core.access import (
    audit,
    client_ip,
    get_for_office,
    record_id,
    require_edit,
    staff_required,
)
from compassion.core.forms import posted_text
from compassion.core.mail import MAIL_FAILURES
from compassion.core.models import AuditAction, ConsentPurpose, Office, Person, Role
from compassion.core.once import taken_once
from compassion.core.pdf import pdf_response
from compassion.core.spreadsheets import safe_cell
from compassion.core.themes import Theme
from compassion.core.workdays import add_working_days, start_of
from compassion.lens import FLAG_KINDS
from compassion.voices import analysis
from compassion.voices.forms import CaseNoteForm
from compassion.voices.models import Voice

PAGE_SIZE = 50
MANAGERS = (Role.LEADER, Role.MANAGER)


# ---------------------------------------------------------------------------
# The case list


def filtered_cases(request: HttpRequest, form: FilterForm) -> QuerySet[Case]:
    cases = Case.objects.for_office(request.office).visible_to(request.membership)
    form.is_valid()
    data = form.cleaned_data
    status = data.get("status")
    if status == "open":
        cases = cases.open()
    elif status:
        cases = cases.filter(status=status)
    if data.get("theme"):
        cases = cases.filter(theme=data["theme"])
    worker = data.get("worker") or ""
    if worker == "me":
        cases = cases.filter(assigned_to=request.user)
    elif worker == "none":
        cases = cases.filter(assigned_to__isnull=True)
    elif record_id(worker):
        cases = cases.filter(assigned_to_id=record_id(worker))
    if data.get("ward"):
        cases = cases.filter(person__ward=data["ward"])
    if data.get("opened_from"):
        cases = cases.filter(opened_at__gte=start_of(data["opened_from"]))
    if data.get("opened_to"):
        cases = cases.filter(opened_at__lt=start_of(data["opened_to"] + timedelta(days=1)))
    if data.get("urgent"):
        cases = cases.urgent()
    if data.get("unacknowledged"):
        cases = cases.unacknowledged()
    if data.get("late"):
        cases = cases.acknowledgement_overdue(timezone.localdate())
    if data.get("due"):
        cases = cases.filter(due_from_me(request))
    if data.get("q"):
        cases = cases.filter(search.matching(data["q"]))
    return cases


def list_form(request: HttpRequest) -> FilterForm:
    """The filters asked for; open cases where no status is given (a typed or bookmarked
    "/cases/?q=damp" still searches)."""
    data = request.GET.copy()
    data.setdefault("status", "open")
    return FilterForm(data)


def staff_choices(request: HttpRequest) -> list[tuple[str, str]]:
    users = get_user_model().objects.filter(
        memberships__office=request.office, memberships__role__in=[*MANAGERS, Role.CASEWORKER]
    )
    return [(str(u.pk), u.get_full_name() or u.username) for u in users.order_by("first_name")]


# What a row of the case list shows; fetching only these keeps a page of 50 quick.
LIST_COLUMNS = [
    "reference",
    "subject",
    "theme",
    "status",
    "urgent",
    "urgency_reasons",
    "opened_at",
    "acknowledge_by",
    "acknowledged_at",
    "reply_by",
    "first_reply_at",
    "outcome",
    "office_id",
    "person__first_name",
    "person__last_name",
    "person__email",
    "person__ward",
    "assigned_to__first_name",
    "assigned_to__last_name",
    "assigned_to__username",
]
WARDS_CACHE_SECONDS = 600


def office_wards(office: Office) -> list[str]:
    """The wards people live in, for the filter (cached: wards change rarely)."""
    key = f"cases:wards:{office.pk}"
    wards = cache.get(key)
    if wards is None:
        found = Person.objects.for_office(office).exclude(ward="").values_list("ward", flat=True)
        wards = sorted(set(found.distinct()))
        cache.set(key, wards, WARDS_CACHE_SECONDS)
    return wards


ORDERS = {
    "": ["-urgent", "-opened_at", "-pk"],
    "oldest": ["opened_at", "pk"],
    "newest": ["-opened_at", "-pk"],
}


@staff_required()
def case_list(request: HttpRequest) -> HttpResponse:
    """Open cases, urgent first with the reason, then newest (or in the order chosen);
    searchable and filterable."""
    form = list_form(request)
    cases = (
        filtered_cases(request, form)
        .select_related("person", "assigned_to")
        .only(*LIST_COLUMNS)
        .order_by(*ORDERS[form.cleaned_data.get("order") or ""])
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/list.html",
        {
            "reminders": my_reminders(request),
            "form": form,
            "page": page,
            "querystring": query.urlencode(),
            "here": request.GET.urlencode(),
            "assign_form": AssignForm(
                request.office, auto_id="bulk_%s", initial={"assigned_to": request.user.pk}
            ),
            "staff": staff_choices(request),
            "wards": office_wards(request.office),
            "today": timezone.localdate(),
        },
    )


def my_due_actions(request: HttpRequest) -> QuerySet[Action]:
    """The user's actions on open cases, not done and due by today."""
    return Action.objects.due_by(timezone.localdate()).filter(
        case__office=request.office, owner=request.user
    )


def my_letters_to_chase(request: HttpRequest) -> QuerySet[Referral]:
    """Letters to agencies about the user's open cases, unanswered past their chase date."""
    return Referral.objects.to_chase_by(timezone.localdate()).filter(
        office=request.office, case__assigned_to=request.user
    )


def due_from_me(request: HttpRequest) -> Q:
    """Cases with an action due from the user or a letter of theirs to chase."""
    return Q(pk__in=my_due_actions(request).values("case_id")) | Q(
        pk__in=my_letters_to_chase(request).values("case_id")
    )


REMINDERS_SHOWN = 8  # of each kind; the list says how many more there are


def my_reminders(request: HttpRequest) -> dict[str, object]:
    """The user's actions due by today, and their letters waiting for a chaser."""
    today = timezone.localdate()
    actions = my_due_actions(request)
    chases = my_letters_to_chase(request)
    shown_actions = list(actions.select_related("case").order_by("due_on")[:REMINDERS_SHOWN])
    shown_chases = list(
        chases.select_related("case", "agency").order_by("chase_on")[:REMINDERS_SHOWN]
    )
    more_actions = count_beyond(actions, shown_actions)
    more_chases = count_beyond(chases, shown_chases)
    return {
        "actions": shown_actions,
        "chases": shown_chases,
        "more_actions": more_actions,
        "more_chases": more_chases,
        "total": len(shown_actions) + more_actions + len(shown_chases) + more_chases,
        "today": today,
    }


def count_beyond(found: QuerySet, shown: list) -> int:
    """How many were left out of a capped list (no second query when nothing was)."""
    if len(shown) < REMINDERS_SHOWN:
        return 0
    return found.count() - len(shown)


@staff_required(*MANAGERS)
def export_cases(request: HttpRequest) -> HttpResponse:
    """The filtered case list as CSV, safe to open in a spreadsheet; audited."""
    cases = filtered_cases(request, list_form(request)).select_related("person", "assigned_to")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cases.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "Reference",
            "Subject",
            "Person",
            "Ward",
            "Theme",
            "Status",
            "Caseworker",
            "Opened",
            "Outcome",
        ]
    )
    count = 0
    for case in cases.order_by("opened_at").iterator(chunk_size=2000):
        person = case.person
        row = [
            case.reference,
            case.subject,
            person.full_name if person else "",
            person.ward if person else "",
            case.get_theme_display(),
            case.get_status_display(),
            case.assigned_to.get_full_name() if case.assigned_to else "",
            timezone.localtime(case.opened_at).date().isoformat(),
            case.get_outcome_display(),
        ]
        writer.writerow([safe_cell(value) for value in row])
        count += 1
    audit(request, AuditAction.EXPORT, request.office, f"Exported {count} cases as CSV")
    return response


# ---------------------------------------------------------------------------
# One case


def load_case(request: HttpRequest, pk: int) -> Case:
    queryset = Case.objects.visible_to(request.membership).select_related(
        "person", "assigned_to", "campaign", "office"
    )
    return get_for_office(queryset, request, pk=pk)


def lens_flags(voices: list[Voice]) -> list[dict[str, object]]:
    """The urgent-risk flags the lens raised on any message, with the words behind them."""
    found = []
    for voice in voices:
        for flag in voice.flags or []:
            if not isinstance(flag, dict):
                flag = {"kind": str(flag)}
            evidence = flag.get("evidence") or []
            found.append(
                {
                    "label": flag.get("label")
                    or FLAG_KINDS.get(flag.get("kind", ""), "Urgent risk"),
                    "evidence": [evidence] if isinstance(evidence, str) else list(evidence),
                    "voice": voice,
                }
            )
    return found


@staff_required()
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = load_case(request, pk)
    audit(request, AuditAction.VIEW, case, "Opened the case", person=case.person)
    return case_page(request, case)


def case_page(
    request: HttpRequest, case: Case, refused: dict[str, Form] | None = None
) -> HttpResponse:
    """The case page; with `refused`, a form sent back with its problems beside its fields
    and what was typed kept (status 400), instead of a message over an empty form."""
    today = timezone.localdate()
    voices = list(case.voices.visible_to(request.membership).order_by("received_at", "pk"))
    person = case.person
    history = (
        person.cases.visible_to(request.membership)
        .exclude(pk=case.pk)
        .select_related("assigned_to")
        .order_by("-opened_at")
        if person
        else Case.objects.none()
    )
    questions = list(ChecklistQuestion.objects.filter(office=request.office, theme=case.theme))
    can_assign = request.membership.can_edit
    referrals = list(case.referrals.select_related("agency", "sent_by").prefetch_related("chasers"))
    context = {
        "case": case,
        "person": person,
        "voices": voices,
        "flags": lens_flags(voices),
        "history": history,
        "similar": similar_cases(case, request.membership),
        "campaign_size": case.campaign.voices.count() if case.campaign else 0,
        "questions": questions,
        "explored": set(case.explored),
        "actions": case.actions.select_related("owner"),
        "obstacles": case.obstacles.select_related("agency"),
        "referrals": [(r, r.needs_chasing(today)) for r in referrals],
        "replies": case.replies.select_related("sent_by"),
        "suggestion": suggest_assignee(team_loads(request.office)) if can_assign else None,
        "assign_form": AssignForm(request.office, initial={"assigned_to": case.assigned_to_id}),
        "status_form": StatusForm(initial={"status": case.status}),
        "heard_form": HeardForm(initial={"heard": case.heard}),
        "note_form": CaseNoteForm(auto_id="note_%s"),
        "action_form": ActionForm(
            request.office, initial={"owner": request.user.pk, "due_on": add_working_days(today, 5)}
        ),
        "obstacle_form": ObstacleForm(request.office, auto_id="obstacle_%s"),
        "close_form": CloseForm(
            initial={"outcome": case.outcome, "help_given": case.help_given},
            unanswered=case.unanswered,
        ),
        "clock_days": case.clock_days(today),
        "today": today,
        "theme_choices": Theme.choices,
        "distressing_load": CaseworkPolicy.for_office(request.office).distressing_load,
    }
    context |= refused or {}
    return render(request, "cases/detail.html", context, status=400 if refused else 200)


def form_problem(form: object) -> str:
    errors = [f"{error}" for field_errors in form.errors.values() for error in field_errors]
    return "Nothing was changed: " + " ".join(errors)


def back_to(case: Case, anchor: str = "") -> HttpResponse:
    return redirect(reverse("cases:detail", args=[case.pk]) + (f"#{anchor}" if anchor else ""))


@require_POST
@staff_required()
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    require_edit(request)
    case = load_case(request, pk)
    form = AssignForm(request.office, request.POST)
    if not form.is_valid():
        messages.error(request, form_problem(form))
        return back_to(case)
    who = assign_to(request, case, form.cleaned_data["assigned_to"])
    messages.success(request, f"The case is now with {who}.")
    return back_to(case)


def assign_to(request: HttpRequest, case: Case, user: AbstractBaseUser | None) -> str:
    """Give the case to `user` (or to nobody), audited; who it is now with, in words."""
    case.assign(user, timezone.now())
    case.save()
    who = person_name(user) or "nobody"
    audit(request, AuditAction.CHANGE, case, f"Assigned to {who}", person=case.person)
    return who


@require_POST
@staff_required()
def assign_many(request: HttpRequest) -> HttpResponse:
    """Give the cases ticked on the list to one member of staff (or to nobody)."""
    require_edit(request)
    back = reverse("cases:list") + "?" + QueryDict(request.POST.get("query", "")).urlencode()
    form = AssignForm(request.office, request.POST)
    chosen = [number for value in request.POST.getlist("case") if (number := record_id(value))]
    if not chosen:
        messages.error(request, "Nothing was changed: tick the cases to assign first.")
        return redirect(back)
    if not form.is_valid():
        messages.error(request, form_problem(form))
        return redirect(back)
    user = form.cleaned_data["assigned_to"]
    who = (user.get_full_name() or user.username) if user else "nobody"
    cases = Case.objects.for_office(request.office).visible_to(request.membership)
    found = list(cases.filter(pk__in=chosen).select_related("person"))
    with transaction.atomic():  # one update: who holds a case is not in its search text
        Case.objects.filter(pk__in=[case.pk for case in found]).update(
            assigned_to=user, assigned_at=timezone.now() if user else None
        )
        for case in found:
            audit(request, AuditAction.CHANGE, case, f"Assigned to {who}", person=case.person)
    messages.success(request, f"{len(found)} case{pluralize(len(found))} now with {who}.")
    return redirect(back)


NOT_YET_ACKNOWLEDGED = (
    "They have not heard from us yet: write to them, or choose Acknowledged once you have "
    "told them another way (by phone, say)."
)


@require_POST
@staff_required()
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    require_edit(request)
    case = load_case(request, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_problem(form))
        return back_to(case)
    case.move_to(form.cleaned_data["status"], timezone.now())
    case.save()
    label = case.get_status_display()
    audit(request, AuditAction.CHANGE, case, f"Status: {label}", person=case.person)
    if case.status == Status.WAITING:
        messages.success(request, "Waiting on a third party: the service clock is paused.")
    else:
        messages.success(request, f"The case is now: {label}.")
    if case.is_open and case.status != Status.NEW and case.unanswered:
        messages.warning(request, NOT_YET_ACKNOWLEDGED)
    return back_to(case)


@require_POST
@staff_required()
def change_theme(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff set the case's theme; it corrects the theme the lens gave its first message,
    and the later messages filed under the case's old theme move with it."""
    require_edit(request)
    case = load_case(request, pk)
    theme = posted_theme(request, case)
    if theme is None:
        return back_to(case)
    before = case.get_theme_display()
    case.change_theme(theme)
    label = case.get_theme_display()
    audit(request, AuditAction.CHANGE, case, f"Theme: {before} → {label}", person=case.person)
    first = case.first_voice()
    if first and first.theme != theme:
        correct_message_theme(request, first, theme, person=case.person)
    messages.success(request, theme_saved(label))
    return back_to(case)


def posted_theme(request: HttpRequest, record: Case | Voice) -> str | None:
    """The theme a person chose for the case or message, or None, with a message saying
    why, when it is not a theme or already the record's theme."""
    theme = request.POST.get("theme", "")
    if theme not in Theme.values:
        messages.error(request, "Nothing was changed: please choose one of the themes.")
        return None
    if theme == record.theme:
        messages.info(request, f"The theme was already {record.get_theme_display()}.")
        return None
    return theme


def correct_message_theme(
    request: HttpRequest, voice: Voice, theme: str, person: Person | None
) -> None:
    """Record and audit a person's correction of the theme the lens gave a message."""
    before = voice.get_theme_display() or "none"
    record_correction(voice, theme, request.user)
    summary = f"Theme corrected: {before} → {voice.get_theme_display()}"
    audit(request, AuditAction.CHANGE, voice, summary, person=person)


def theme_saved(label: str) -> str:
    return f"The theme is now {label}. The office's theme model learns from the change."


@require_POST
@staff_required()
def save_heard(request: HttpRequest, pk: int) -> HttpResponse:
    require_edit(request)
    case = load_case(request, pk)
    form = HeardForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_problem(form))
        return back_to(case, "heard")
    case.heard = form.cleaned_data["heard"].strip()
    case.save(update_fields=["heard"])
    audit(request, AuditAction.CHANGE, case, "Recorded what matters most", person=case.person)
    messages.success(request, "Saved what matters most to them.")
    return back_to(case, "heard")


@require_POST
@staff_required()
def save_explored(request: HttpRequest, pk: int) -> HttpResponse:
    require_edit(request)
    case = load_case(request, pk)
    valid = set(
        ChecklistQuestion.objects.filter(office=request.office, theme=case.theme).values_list(
            "pk", flat=True
        )
    )
    ticked = {number for value in request.POST.getlist("question") if (number := record_id(value))}
    case.explored = sorted(ticked & valid)
    case.save(update_fields=["explored"])
    audit(
        request, AuditAction.CHANGE, case, "Updated the exploration checklist", person=case.person
    )
    messages.success(request, f"{len(case.explored)} of {len(valid)} questions explored.")
    return back_to(case, "explore")


@require_POST
@staff_required()
def add_note(request: HttpRequest, pk: int) -> HttpResponse:
    """A call, letter or visit about this case, kept with its messages."""
    require_edit(request)
    case = load_case(request, pk)
    if not case.is_open:
        messages.error(request, "This case is closed: record the call from the Inbox instead.")
        return back_to(case, "messages")
    form = CaseNoteForm(request.POST, auto_id="note_%s")
    if not form.is_valid():
        return case_page(request, case, refused={"note_form": form})
    voice = form.save(request, case)
    if voice is None:
        messages.warning(request, "That note was already recorded; nothing was added twice.")
        return back_to(case, "messages")
    Voice.objects.filter(pk=voice.pk).update(read_at=timezone.now())  # its writer has read it
    analysis.analyse([voice])
    audit(request, AuditAction.CREATE, voice, "Recorded a note on the case", person=case.person)
    messages.success(request, f"{voice.get_channel_display()} recorded on this case.")
    return back_to(case, f"voice-{voice.pk}")


def refused_as_ended(request: HttpRequest, case: Case, to_do: str) -> bool:
    """True, with a message saying so, when the case is resolved or closed: its actions
    and letters are due from nobody until it is reopened."""
    if case.is_open:
        return False
    messages.error(
        request, f"This case is {case.get_status_display().lower()}: reopen it to {to_do}."
    )
    return True


@require_POST
@staff_required()
@taken_once
def add_action(request: HttpRequest, pk: int) -> HttpResponse:
    require_edit(request)
    case = load_case(request, pk)
    if refused_as_ended(request, case, "add an action"):
        return back_to(case, "actions")
    form = ActionForm(request.office, request.POST)
    if not form.is_valid():
        return case_page(request, case, refused={"action_form": form})
    action = form.save(commit=False)
    action.case = case
    action.save()
    audit(
        request,
        AuditAction.CHANGE,
        case,
        f"Added an action due {action.due_on:%-d %b}",
        person=case.person,
    )
    messages.success(request, "Action added.")
    return back_to(case, "actions")


@require_POST
@staff_required()
def finish_action(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    require_edit(request)
    case = load_case(request, pk)
    if refused_as_ended(request, case, "change its actions"):
        return back_to(case, "actions")
    action = get_object_or_404(Action, case=case, pk=action_id)
    action.done_at = None if action.done_at else timezone.now()
    action.save(update_fields=["done_at"])
    audit(
        request,
        AuditAction.CHANGE,
        case,
        "Marked an action done" if action.done_at else "Reopened an action",
        person=case.person,
    )
    return back_to(case, "actions")


@require_POST
@staff_required()
@taken_once
def add_obstacle(request: HttpRequest, pk: int) -> HttpResponse:
    require_edit(request)
    case = load_case(request, pk)
    form = ObstacleForm(request.office, request.POST, auto_id="obstacle_%s")
    if not form.is_valid():
        return case_page(request, case, refused={"obstacle_form": form})
    obstacle = form.save(commit=False)
    obstacle.case = case
    obstacle.office = request.office
    obstacle.recorded_by = request.user
    obstacle.save()
    audit(request, AuditAction.CHANGE, case, "Recorded an obstacle", person=case.person)
    messages.success(request, "Obstacle recorded; it counts towards the office's systemic asks.")
    return back_to(case, "obstacles")


@require_POST
@staff_required()
def close_case(request: HttpRequest, pk: int) -> HttpResponse:
    require_edit(request)
    case = load_case(request, pk)
    unanswered = case.unanswered
    form = CloseForm(request.POST, unanswered=unanswered)
    if not form.is_valid():
        return case_page(request, case, refused={"close_form": form})
    with transaction.atomic():
        case.close(form.cleaned_data["outcome"], form.cleaned_data["help_given"], timezone.now())
        case.save()
        summary = f"Closed: {case.get_outcome_display()}"
        if unanswered:
            summary += ", confirmed with no acknowledgement or reply sent"
        audit(request, AuditAction.CHANGE, case, summary, person=case.person)
        note = ask_satisfaction(request, case)
    messages.success(request, f"Case closed: {case.get_outcome_display()}.{note}")
    return back_to(case)


def ask_satisfaction(request: HttpRequest, case: Case) -> str:
    """After closure, one optional question by email, if the office asks and the person agreed.
    Someone the office never wrote to is not asked whether it helped. Returns what to add to
    the message that the case is closed; the case closes even when the email cannot be sent."""
    person = case.person
    if case.unanswered or not CaseworkPolicy.for_office(case.office).ask_satisfaction:
        return ""
    if person is None or not person.email or not person.has_consent(ConsentPurpose.SURVEY):
        return ""
    if SatisfactionRequest.objects.filter(case=case).exists():
        return ""
    try:
        with transaction.atomic():
            asked = SatisfactionRequest.objects.create(case=case, token=secrets.token_urlsafe(24))
            link = request.build_absolute_uri(reverse("cases:feedback", args=[asked.token]))
            send_mail(
                f"Did we help? ({case.reference})",
                f"Dear {person.first_name or person.full_name},\n\nYour case with "
                f"{case.office.name_in_sentence} is now closed. Would you tell us, with one "
                f"click, whether we helped?\n\n{link}\n\n"
                "You do not have to answer. Thank you.",
                None,
                [person.email],
            )
    except MAIL_FAILURES:
        return (
            " We meant to email them one short question about the service, but the mail "
            "server did not accept it, so they were not asked."
        )
    return " We have asked them one short question about the service."


def feedback(request: HttpRequest, token: str) -> HttpResponse:
    """The person's one-question answer after closure (a private link, no login)."""
    asked = SatisfactionRequest.objects.filter(token=token).select_related("case__office").first()
    if asked is None:
        raise Http404("This link is not valid.")
    answers = dict(SatisfactionAnswer.choices)
    if request.method == "POST" and not asked.answered_at:
        answer = request.POST.get("answer", "")
        if answer in answers:
            asked.answer = answer
            asked.comment = posted_text(request.POST, "comment")[:2000]
            asked.answered_at = timezone.now()
            asked.save()
    return render(request, "cases/feedback.html", {"asked": asked, "answers": answers})


# ---------------------------------------------------------------------------
# Replies, with the coach


def current_templates(request: HttpRequest, kind: str, theme: str) -> QuerySet[ReplyTemplate]:
    return (
        ReplyTemplate.objects.filter(office=request.office, kind=kind, is_current=True)
        .filter(Q(theme=theme) | Q(theme=""))
        .order_by("-theme", "name")
    )


def chosen_template(request: HttpRequest, kind: str) -> ReplyTemplate | None:
    number = record_id(request.GET.get("template"))
    if number is None:
        return None
    return ReplyTemplate.objects.filter(office=request.office, kind=kind, pk=number).first()


@staff_required()
def compose_reply(request: HttpRequest, pk: int) -> HttpResponse:
    case = load_case(request, pk)
    person = case.person
    if request.method == "POST":
        require_edit(request)
        form = ReplyForm(request.POST)
        if form.is_valid():
            try:
                return send_reply(request, case, form)
            except MAIL_FAILURES:
                form.add_error(
                    None,
                    "the email could not be sent (the mail server did not accept it), so nothing "
                    "was recorded. Your reply is kept below: please try again in a few minutes.",
                )
    else:
        template = chosen_template(request, TemplateKind.REPLY)
        values = case.merge_values(request.user)
        initial = {"subject": f"Re: {case.subject}", "body": ""}
        if template:
            initial = {
                "template": template.pk,
                "subject": merge(template.subject, values),
                "body": merge(template.body, values),
            }
        form = ReplyForm(initial=initial)
        audit(request, AuditAction.VIEW, case, "Opened the reply composer", person=person)
    context = {
        "case": case,
        "person": person,
        "form": form,
        "templates": current_templates(request, TemplateKind.REPLY, case.theme),
        "last_voice": case.voices.visible_to(request.membership).order_by("-received_at").first(),
    }
    return render(request, "cases/reply.html", context)


def send_reply(request: HttpRequest, case: Case, form: ReplyForm) -> HttpResponse:
    subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
    recent = timezone.now() - timedelta(minutes=10)
    if case.replies.filter(body=body, sent_at__gte=recent).exists():
        messages.warning(request, "This reply was sent a moment ago; it was not sent twice.")
        return back_to(case, "replies")
    person = case.person
    template = ReplyTemplate.objects.filter(
        office=request.office, pk=form.cleaned_data.get("template") or 0
    ).first()
    now = timezone.now()
    with transaction.atomic():
        reply = Reply.objects.create(
            office=request.office,
            case=case,
            person=person,
            kind=TemplateKind.REPLY,
            template=template,
            to_email=person.email if person else "",
            subject=subject,
            body=body,
            sent_at=now,
            sent_by=request.user,
            coach=coach_draft(body, case).to_dict(),
        )
        case.first_reply_at = case.first_reply_at or now
        case.acknowledged_at = case.acknowledged_at or now
        if case.status in (Status.NEW, Status.ACKNOWLEDGED):
            case.move_to(Status.IN_PROGRESS, now)
        case.save()
        audit(request, AuditAction.CHANGE, case, "Sent a reply", person=person)
        if reply.to_email:  # sent last: a refusal undoes the record of it
            send_mail(subject, body, None, [reply.to_email])
    if reply.to_email:
        messages.success(request, f"Reply sent to {reply.to_email}.")
    elif person is not None and not person.has_postal_address and person.phone:
        messages.warning(
            request,
            f"Reply recorded. There is no email or postal address on their record: call them on "
            f"{person.phone} to tell them.",
        )
    elif person is not None and not person.has_postal_address:
        messages.warning(
            request,
            "Reply recorded. There is no email address and no postal address on their record: "
            "add their address on their page, then print its letter below and post it.",
        )
    else:
        messages.success(
            request,
            "Reply recorded. There is no email address: print its letter below and post it.",
        )
    return back_to(case, "replies")


@require_POST
@staff_required()
def coach(request: HttpRequest, pk: int) -> HttpResponse:
    """The coach's feedback on the draft, as the caseworker writes (an htmx fragment)."""
    case = load_case(request, pk)
    draft = request.POST.get("body", "")
    reading = coach_draft(draft, case) if draft.strip() else None
    return render(
        request, "cases/_coach.html", {"reading": reading, "empty": not draft.strip(), "case": case}
    )


# ---------------------------------------------------------------------------
# Referrals to agencies


def agency_values(agency: Agency) -> dict[str, str]:
    return {
        "agency_name": agency.name,
        "agency_team": agency.team,
        "agency_address": agency.address,
    }


@staff_required()
def compose_referral(request: HttpRequest, pk: int) -> HttpResponse:
    case = load_case(request, pk)
    person = case.person
    consent = bool(person and person.has_consent(ConsentPurpose.CASEWORK))
    if request.method == "POST":
        require_edit(request)
        form = ReferralForm(request.office, request.POST)
        if not consent and not request.POST.get("consent_confirmed"):
            messages.error(
                request,
                "We hold no consent to contact agencies for this person. "
                "Confirm you have it before sending. Nothing was sent.",
            )
        elif form.is_valid():
            return send_referral(request, case, form)
    else:
        agency_id = record_id(request.GET.get("agency")) or 0
        agency = Agency.objects.filter(office=request.office, pk=agency_id).first()
        template = chosen_template(request, TemplateKind.REFERRAL)
        initial: dict[str, object] = {"agency": agency.pk if agency else None}
        if template:
            values = case.merge_values(request.user) | (agency_values(agency) if agency else {})
            initial |= {
                "template": template.pk,
                "subject": merge(template.subject, values),
                "body": merge(template.body, values),
            }
        form = ReferralForm(request.office, initial=initial)
        audit(request, AuditAction.VIEW, case, "Opened a letter to an agency", person=person)
    context = {
        "case": case,
        "form": form,
        "consent": consent,
        "templates": current_templates(request, TemplateKind.REFERRAL, case.theme),
        "agencies": Agency.objects.filter(office=request.office),
        "letter_agency": letter_agency(request, form),
        "picked_agency": picked_agency(form, case),
    }
    return render(request, "cases/referral.html", context)


def letter_agency(request: HttpRequest, form: ReferralForm) -> Agency | None:
    """The agency the letter is to, once one is chosen: the letter is written after that."""
    number = record_id(str(form["agency"].value() or ""))
    return Agency.objects.filter(office=request.office, pk=number).first()


def picked_agency(form: ReferralForm, case: Case) -> str:
    """The agency the picker shows: the letter's own, else one that fits the theme."""
    chosen = form["agency"].value()
    if chosen:
        return str(chosen)
    likely = case.likely_agency()
    return str(likely.pk) if likely else ""


def send_referral(request: HttpRequest, case: Case, form: ReferralForm) -> HttpResponse:
    policy = CaseworkPolicy.for_office(request.office)
    today = timezone.localdate()
    template = ReplyTemplate.objects.filter(
        office=request.office, pk=form.cleaned_data.get("template") or 0
    ).first()
    with transaction.atomic():
        referral = Referral.objects.create(
            office=request.office,
            case=case,
            agency=form.cleaned_data["agency"],
            template=template,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            sent_by=request.user,
            chase_on=add_working_days(today, policy.chase_after(case), case.office.holiday_region),
        )
        if case.status in (Status.NEW, Status.ACKNOWLEDGED, Status.IN_PROGRESS):
            case.move_to(Status.WAITING, timezone.now())
            case.save()
        audit(
            request, AuditAction.CHANGE, case, f"Referred to {referral.agency}", person=case.person
        )
    urgent = "The case is urgent, so we" if case.urgent else "We"
    messages.success(
        request,
        f"Letter to {referral.agency} logged. Download the PDF to send it. {urgent} will remind "
        f"you to chase on {referral.chase_on:%-d %B} if no answer comes.",
    )
    return back_to(case, "referrals")


def load_referral(request: HttpRequest, referral_id: int) -> Referral:
    """A letter to an agency about a case the user may see; any other is not found."""
    cases = Case.objects.visible_to(request.membership)
    queryset = Referral.objects.filter(case__in=cases).select_related(
        "case__person", "agency", "sent_by", "office"
    )
    return get_for_office(queryset, request, pk=referral_id)


@staff_required()
def referral_letter(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = load_referral(request, referral_id)
    audit(
        request,
        AuditAction.EXPORT,
        referral.case,
        f"Letter to {referral.agency} as PDF",
        person=referral.case.person,
    )
    name = f"{referral.case.reference}-{referral.agency.kind}-{referral.pk}.pdf"
    return pdf_response(referral_pdf(referral), name)


@staff_required()
def reply_letter(request: HttpRequest, reply_id: int) -> HttpResponse:
    """A reply as a letter to print, for someone with no email address."""
    cases = Case.objects.for_office(request.office).visible_to(request.membership)
    replies = Reply.objects.filter(case__in=cases).select_related("case__person", "office")
    reply = get_for_office(replies, request, pk=reply_id)
    audit(
        request, AuditAction.EXPORT, reply.case, "Reply as a letter (PDF)", person=reply.case.person
    )
    return pdf_response(reply_pdf(reply), f"{reply.case.reference}-reply-{reply.pk}.pdf")


@require_POST
@staff_required()
def chase_referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    require_edit(request)
    referral = load_referral(request, referral_id)
    case = referral.case
    if refused_as_ended(request, case, f"chase {referral.agency}"):
        return back_to(case, "referrals")
    if referral.chases_id or referral.chasers.exists() or referral.answered_at:
        messages.info(request, "This letter is a chaser, or has been chased or answered already.")
        return back_to(case, "referrals")
    template = current_templates(request, TemplateKind.CHASER, case.theme).first()
    values = (
        case.merge_values(request.user)
        | agency_values(referral.agency)
        | {
            "sent_on": f"{timezone.localtime(referral.sent_at):%-d %B %Y}",
            "original_subject": referral.subject,
        }
    )
    body = (
        merge(template.body, values)
        if template
        else (
            f"Dear {referral.agency.team or referral.agency.name},\n\nOn {values['sent_on']} we "
            f"wrote to you about {referral.subject} (our reference {case.reference}). We have not "
            "yet had a reply. Please reply within five working days.\n\nYours sincerely,\n"
            f"{values['caseworker']}\n{case.office.name}"
        )
    )
    policy = CaseworkPolicy.for_office(request.office)
    chaser = Referral.objects.create(
        office=request.office,
        case=case,
        agency=referral.agency,
        template=template,
        chases=referral,
        subject=f"Chaser: {referral.subject}",
        body=body,
        sent_by=request.user,
        chase_on=add_working_days(
            timezone.localdate(), min(policy.chase_after(case), 10), case.office.holiday_region
        ),
    )
    audit(request, AuditAction.CHANGE, case, f"Chased {referral.agency}", person=case.person)
    messages.success(request, f"Chaser to {referral.agency} logged; download it as PDF to send.")
    return redirect(reverse("cases:detail", args=[case.pk]) + f"#referral-{chaser.pk}")


@require_POST
@staff_required()
def referral_answered(request: HttpRequest, referral_id: int) -> HttpResponse:
    require_edit(request)
    referral = load_referral(request, referral_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_problem(form))
        return back_to(referral.case, "referrals")
    first_letter = referral.chases_id or referral.pk  # an answer to either answers both
    Referral.objects.filter(Q(pk=first_letter) | Q(chases=first_letter)).update(
        answered_at=timezone.now(), answer=form.cleaned_data["answer"]
    )
    audit(
        request,
        AuditAction.CHANGE,
        referral.case,
        f"{referral.agency} answered",
        person=referral.case.person,
    )
    messages.success(request, f"Recorded the answer from {referral.agency}.")
    return back_to(referral.case, "referrals")


# ---------------------------------------------------------------------------
# The team, obstacles, agencies and templates


@staff_required(*MANAGERS)
def team(request: HttpRequest) -> HttpResponse:
    """Each worker's caseload, distressing work this week and response times."""
    loads = team_loads(request.office)
    open_cases = Case.objects.for_office(request.office).open()
    context = {
        "loads": loads,
        "service": service_figures(request.office),
        "suggestion": suggest_assignee(loads),
        "policy": CaseworkPolicy.for_office(request.office),
        "unassigned": open_cases.filter(assigned_to__isnull=True).count(),
        "max_exposure": max([load.exposure_this_week for load in loads] + [1.0]),
        "themes": theme_report(request.office),
    }
    return render(request, "cases/team.html", context)


TOP_ASKS = 8


@staff_required()
def obstacles(request: HttpRequest) -> HttpResponse:
    """What blocks people's cases, counted across cases: the office's systemic asks."""
    since = timezone.now() - timedelta(days=365)
    recorded = Obstacle.objects.filter(office=request.office, recorded_at__gte=since)
    by_kind_agency = (
        recorded.values("kind", "agency__name")
        .annotate(cases=Count("case", distinct=True))
        .order_by("-cases", "kind")
    )
    labels = dict(ObstacleKind.choices)
    rows = [
        {
            "kind": labels.get(row["kind"], row["kind"]),
            "agency": row["agency__name"] or "",
            "cases": row["cases"],
        }
        for row in by_kind_agency
    ]
    by_kind = [
        {"kind": labels.get(row["kind"], row["kind"]), "cases": row["cases"]}
        for row in recorded.values("kind")
        .annotate(cases=Count("case", distinct=True))
        .order_by("-cases")
    ]
    by_agency = (
        recorded.values("agency__name")
        .annotate(cases=Count("case", distinct=True))
        .order_by("-cases")
    )
    shown = recorded.filter(case__in=Case.objects.visible_to(request.membership))
    examples = shown.select_related("case", "agency")[:12]
    context = {
        "asks": rows[:TOP_ASKS],
        "more_rows": rows[TOP_ASKS:],
        "by_kind": by_kind,
        "by_agency": by_agency,
        "examples": examples,
        "total": recorded.count(),
    }
    return render(request, "cases/obstacles.html", context)


@staff_required()
def agencies(request: HttpRequest) -> HttpResponse:
    found = Agency.objects.filter(office=request.office).order_by("kind", "name")
    return render(request, "cases/agencies.html", {"agencies": found})


@staff_required(*MANAGERS)
def edit_agency(request: HttpRequest, agency_id: int | None = None) -> HttpResponse:
    agency = get_for_office(Agency.objects, request, pk=agency_id) if agency_id else None
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.office = request.office
        saved.save()
        messages.success(request, f"Saved {saved.name}.")
        return redirect("cases:agencies")
    return render(request, "cases/agency_form.html", {"form": form, "agency": agency})


@staff_required()
def templates(request: HttpRequest) -> HttpResponse:
    current = ReplyTemplate.objects.filter(office=request.office, is_current=True)
    return render(request, "cases/templates.html", {"templates": current})


@require_POST
@staff_required(*MANAGERS)
def add_standard_templates(request: HttpRequest) -> HttpResponse:
    added = seed_casework_defaults(request.office)
    messages.success(request, f"Added {added} standard templates and checklist questions.")
    return redirect("cases:templates")


@staff_required(*MANAGERS)
@taken_once
def edit_template(request: HttpRequest, template_id: int | None = None) -> HttpResponse:
    """Editing saves a new version; the old one stays, linked to what was sent with it."""
    old = get_for_office(ReplyTemplate.objects, request, pk=template_id) if template_id else None
    form = TemplateForm(request.POST or None, instance=old)
    if request.method == "POST" and form.is_valid():
        previous = (old.pk, old.version) if old else (None, 0)
        with transaction.atomic():
            new = form.save(commit=False)  # the form edits a copy saved as a new row
            new.pk = None
            new.office = request.office
            new.version = previous[1] + 1
            new.created_by = request.user
            new.created_at = timezone.now()
            new.is_current = True
            ReplyTemplate.objects.filter(pk=previous[0]).update(is_current=False)
            new.save()
        messages.success(request, f"Saved {new.name}, version {new.version}.")
        return redirect("cases:templates")
    versions = (
        ReplyTemplate.objects.filter(office=request.office, name=old.name, kind=old.kind)
        if old
        else []
    )
    return render(
        request, "cases/template_form.html", {"form": form, "template": old, "versions": versions}
    )


@staff_required()
def checklists(request: HttpRequest) -> HttpResponse:
    """The questions worth asking per theme; managers add and remove them."""
    if request.method == "POST":
        if not request.membership.can_manage:
            raise PermissionDenied("Only the office manager or leader edits the checklists.")
        change_checklist(request)
        return redirect(reverse("cases:checklists") + f"#theme-{request.POST.get('theme', '')}")
    questions = ChecklistQuestion.objects.filter(office=request.office)
    by_theme = {value: [] for value, _ in Theme.choices}
    for question in questions:
        by_theme.setdefault(question.theme, []).append(question)
    themes = [(value, label, by_theme[value]) for value, label in Theme.choices]
    return render(request, "cases/checklists.html", {"themes": themes})


def change_checklist(request: HttpRequest) -> None:
    remove = record_id(request.POST.get("remove"))
    if remove:
        ChecklistQuestion.objects.filter(office=request.office, pk=remove).delete()
        messages.success(request, "Question removed.")
        return
    theme = request.POST.get("theme", "")
    text = posted_text(request.POST, "text")
    if theme not in Theme.values or not text or len(text) > 300:
        messages.error(request, "Write a question of up to 300 characters. Nothing was added.")
        return
    asked = ChecklistQuestion.objects.filter(office=request.office, theme=theme)
    if asked.filter(text__iexact=text).exists():  # sent twice, or asked already
        label = Theme(theme).label
        messages.info(request, f"That question is already on the {label} checklist.")
        return
    last = asked.count()
    ChecklistQuestion.objects.create(office=request.office, theme=theme, text=text, position=last)
    messages.success(request, "Question added.")


@staff_required(*MANAGERS)
def policy(request: HttpRequest) -> HttpResponse:
    """The office's casework settings: retention, capacity, distress, chasing, satisfaction."""
    form = PolicyForm(request.POST or None, instance=CaseworkPolicy.for_office(request.office))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Casework settings saved.")
        return redirect("cases:policy")
    return render(request, "cases/policy.html", {"form": form})


# ---------------------------------------------------------------------------
# The person's rights


def load_person(request: HttpRequest, person_id: int) -> Person:
    return get_for_office(Person.objects.filter(erased_at__isnull=True), request, pk=person_id)


@staff_required(*MANAGERS)
def person_rights(request: HttpRequest, person_id: int) -> HttpResponse:
    person = load_person(request, person_id)
    audit(request, AuditAction.VIEW, person, "Opened subject access and erasure")
    context = {
        "person": person,
        "cases": person.cases.count(),
        "open_cases": person.cases.filter(status__in=OPEN_STATUSES).count(),
        "messages_held": Voice.objects.filter(office=request.office, person=person).count(),
        "duplicates": list(person.possible_duplicates().not_erased()[:5]),
    }
    return render(request, "cases/rights.html", context)


@staff_required(*MANAGERS)
def subject_access(request: HttpRequest, person_id: int) -> HttpResponse:
    person = load_person(request, person_id)
    archive = privacy.subject_access_archive(person)
    audit(request, AuditAction.EXPORT, person, "Subject access request: exported everything held")
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{person.pk}.zip"'
    return response


@require_POST
@staff_required(*MANAGERS)
def erase(request: HttpRequest, person_id: int) -> HttpResponse:
    person = load_person(request, person_id)
    if request.POST.get("confirm") != "erase":
        messages.error(request, "Tick the box to confirm the erasure. Nothing was erased.")
        return redirect("cases:rights", person_id=person.pk)
    result = privacy.erase_person(person, request.user, client_ip(request))
    messages.success(
        request,
        f"Erased: the person's details, {result.cases} case(s) and {result.messages} message(s). "
        "The audit log records the erasure, not what was erased.",
    )
    return redirect("cases:list")
