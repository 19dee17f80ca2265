"""Staff pages: record a commitment, plan it, take stock, change its public status."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from compassion.cases.models import Case
from compassion.commitments import charts
from compassion.commitments.forms import (
    CommitmentForm,
    MilestoneForm,
    NoticeForm,
    PlanForm,
    RewordingForm,
    StatusChangeForm,
    StocktakeForm,
    TrajectoryPointForm,
)
from compassion.commitments.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Commitment,
    Milestone,
    PublicStatus,
    Source,
    StatusChange,
)
from compassion.commitments.notices import (
    already_told,
    people_to_tell,
    send_notice,
    suggested_message,
)
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
from compassion.core.models import AuditAction, Membership, Office, Role
from compassion.core.once import taken_once
from compassion.core.pdf import pdf_response, render_pdf
from compassion.core.themes import Theme
from compassion.voices.models import Campaign
from compassion.voices.views import visible_campaigns

REASON_MAX_LENGTH = 1000  # why a reviewer rejects a change of status
REVIEWERS = (Role.LEADER, Role.MANAGER)  # who publish a change of status or a new wording

DETAIL_PREFETCH = [
    "milestones",
    "points",
    "rewordings",
    "stocktakes",
    "parts__milestones",
    "parts__points",
    "parts__parts",
]


def meter_counts(commitments: list[Commitment], today: Any) -> list[tuple[str, str, int]]:
    counts = {status.value: 0 for status in PublicStatus}
    for commitment in commitments:
        counts[commitment.meter_status(today)] += 1
    return [(status.value, status.label, counts[status.value]) for status in PublicStatus]


@staff_required()
def commitment_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    found = (
        Commitment.objects.for_office(request.office)
        .select_related("owner", "parent")
        .prefetch_related(
            "milestones",
            "points",
            "stocktakes",
            "parts__milestones",
            "parts__points",
            "parts__parts",
        )
    )
    everything = list(found)
    status, topic = request.GET.get("status", ""), request.GET.get("topic", "")
    shown = [
        c
        for c in everything
        if status not in PublicStatus.values or c.meter_status(today) == status
        if topic not in Theme.values or c.topic == topic
    ]
    pending = StatusChange.objects.filter(
        commitment__office=request.office, decided_at__isnull=True
    ).select_related("commitment", "proposed_by")
    return render(
        request,
        "commitments/list.html",
        {
            "commitments": shown,
            "counts": meter_counts(everything, today),
            "pending": pending,
            "today": today,
            "status": status,
            "topic": topic,
            "statuses": PublicStatus.choices,
            "topics": Theme.choices,
        },
    )


def initial_from_query(request: HttpRequest) -> dict[str, Any]:
    """Start a commitment from a campaign, a case, a theme or a title (links from other pages)."""
    initial: dict[str, Any] = {"owner": request.user.pk}
    campaign_id, case_id = request.GET.get("campaign", ""), request.GET.get("case", "")
    theme, title = request.GET.get("theme", ""), request.GET.get("title", "").strip()
    if theme in Theme.values:
        initial["topic"] = theme
    if title:
        initial["title"] = title[:200]
    if record_id(campaign_id):
        campaign = get_for_office(Campaign.objects, request, pk=record_id(campaign_id))
        initial.update(
            title=campaign.title,
            topic=campaign.theme,
            campaigns=[campaign.pk],
            source=Source.LETTER,
        )
    if record_id(case_id):
        case = get_for_office(Case.objects, request, pk=record_id(case_id))
        initial.update(topic=case.theme, case_references=case.reference, source=Source.LETTER)
    return initial


@staff_required()
@taken_once
def create(request: HttpRequest) -> HttpResponse:
    require_edit(request)
    if request.method == "POST":
        form = CommitmentForm(request.POST, office=request.office)
        if form.is_valid():
            commitment = save_new_commitment(request, form)
            messages.success(request, "The commitment is recorded. Now plan it.")
            return redirect("commitments:detail", commitment.pk)
    else:
        form = CommitmentForm(initial=initial_from_query(request), office=request.office)
    return render(request, "commitments/form.html", {"form": form, "creating": True})


def save_new_commitment(request: HttpRequest, form: CommitmentForm) -> Commitment:
    with transaction.atomic():
        commitment = form.save(commit=False)
        commitment.office = request.office
        commitment.created_by = request.user
        commitment.status_changed_at = timezone.now()
        if not commitment.next_stocktake_on:
            commitment.schedule_next_stocktake(timezone.localdate())
        commitment.save()
        form.save_m2m()
        commitment.cases.set(form.cleaned_data["case_references"])
        commitment.refresh_people_asked()
        StatusChange.objects.create(
            commitment=commitment,
            to_status=PublicStatus.NOT_RATED,
            editor_note="The promise was recorded.",
            proposed_by=request.user,
            decided_by=request.user,
            decided_at=timezone.now(),
            approved=True,
        )
        audit_case_links(request, commitment, commitment.cases.all())
    return commitment


def audit_case_links(request: HttpRequest, commitment: Commitment, cases: Any) -> None:
    for case in cases.select_related("person"):
        audit(
            request,
            AuditAction.CHANGE,
            case,
            f"Linked to the commitment “{commitment}”",
            person=case.person,
        )


@staff_required()
def edit(request: HttpRequest, commitment_id: int) -> HttpResponse:
    require_edit(request)
    commitment = get_for_office(Commitment.objects, request, pk=commitment_id)
    if request.method == "POST":
        form = PlanForm(request.POST, instance=commitment, office=request.office)
        if form.is_valid():
            with transaction.atomic():
                before = set(commitment.cases.values_list("pk", flat=True))
                commitment = form.save()
                commitment.refresh_people_asked()
                audit_case_links(request, commitment, commitment.cases.exclude(pk__in=before))
            messages.success(request, "The plan is saved.")
            return redirect("commitments:detail", commitment.pk)
    else:
        form = PlanForm(instance=commitment, office=request.office)
    return render(request, "commitments/form.html", {"form": form, "commitment": commitment})


def render_detail(request: HttpRequest, commitment: Commitment, **forms: Any) -> HttpResponse:
    today = timezone.localdate()
    points = list(commitment.points.all())
    pending = commitment.pending_change()
    context = {
        "commitment": commitment,
        "today": today,
        "pending": pending,
        "reviews": request.membership.role in REVIEWERS,
        "nobody_can_review": pending is not None
        and not other_reviewers(commitment.office, pending.proposed_by).exists(),
        "chart": charts.trajectory_svg(commitment, points, today),
        "points": points,
        "status_changes": commitment.status_changes.select_related("proposed_by", "decided_by"),
        "campaigns": visible_campaigns(request)
        .filter(commitments=commitment)
        .annotate(messages=Count("voices")),
        "cases": commitment.cases.visible_to(request.membership),
        "notices": commitment.notices.select_related("sent_by"),
        "milestone_form": forms.get("milestone_form") or MilestoneForm(),
        "point_form": forms.get("point_form") or TrajectoryPointForm(),
    }
    status = 400 if forms else 200
    return render(request, "commitments/detail.html", context, status=status)


def other_reviewers(office: Office, proposer: Any) -> QuerySet[Membership]:
    """Who could review a change `proposer` proposes: the leaders and managers of `office`
    but the proposer."""
    return Membership.objects.filter(
        office=office, role__in=REVIEWERS, user__is_active=True
    ).exclude(user=proposer)


def load(request: HttpRequest, commitment_id: int) -> Commitment:
    return get_for_office(
        Commitment.objects.select_related("owner", "parent").prefetch_related(*DETAIL_PREFETCH),
        request,
        pk=commitment_id,
    )


@staff_required()
def detail(request: HttpRequest, commitment_id: int) -> HttpResponse:
    return render_detail(request, load(request, commitment_id))


@require_POST
@staff_required()
@taken_once
def add_milestone(request: HttpRequest, commitment_id: int) -> HttpResponse:
    require_edit(request)
    commitment = load(request, commitment_id)
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        return render_detail(request, commitment, milestone_form=form)
    form.instance.commitment = commitment
    form.save()
    messages.success(request, f"Milestone “{form.instance.title}” added.")
    return redirect("commitments:detail", commitment.pk)


@require_POST
@staff_required()
def milestone_done(request: HttpRequest, milestone_id: int) -> HttpResponse:
    require_edit(request)
    milestone = milestone_of_office(request, milestone_id)
    milestone.done_on = None if request.POST.get("undo") else timezone.localdate()
    milestone.save(update_fields=["done_on"])
    return redirect("commitments:detail", milestone.commitment_id)


def milestone_of_office(request: HttpRequest, milestone_id: int) -> Milestone:
    try:
        return Milestone.objects.get(pk=milestone_id, commitment__office=request.office)
    except Milestone.DoesNotExist:
        raise Http404("Not found in your office.") from None


@require_POST
@staff_required()
@taken_once
def add_point(request: HttpRequest, commitment_id: int) -> HttpResponse:
    require_edit(request)
    commitment = load(request, commitment_id)
    form = TrajectoryPointForm(request.POST)
    if not form.is_valid():
        return render_detail(request, commitment, point_form=form)
    data = form.cleaned_data
    point = commitment.points.filter(on=data["on"]).first() or form.instance
    point.commitment = commitment
    # A value left empty keeps what was already known for that day.
    for name in ("planned", "actual"):
        if data[name] is not None:
            setattr(point, name, data[name])
    point.save()
    messages.success(request, "The trajectory is updated.")
    return redirect("commitments:detail", commitment.pk)


@staff_required()
@taken_once
def stocktake(request: HttpRequest, commitment_id: int) -> HttpResponse:
    require_edit(request)
    commitment = load(request, commitment_id)
    if request.method == "POST":
        form = StocktakeForm(request.POST)
        if form.is_valid():
            with transaction.atomic():
                form.instance.commitment = commitment
                form.instance.recorded_by = request.user
                taken = form.save()
                commitment.schedule_next_stocktake(max(taken.held_on, timezone.localdate()))
                commitment.save(update_fields=["next_stocktake_on", "stocktake_reminded_on"])
            messages.success(request, "The stocktake is recorded.")
            return redirect("commitments:detail", commitment.pk)
    else:
        form = StocktakeForm()
    return render(request, "commitments/stocktake.html", {"form": form, "commitment": commitment})


@staff_required()
def change_status(request: HttpRequest, commitment_id: int) -> HttpResponse:
    require_edit(request)
    commitment = load(request, commitment_id)
    if commitment.pending_change():
        messages.warning(request, "A change of status is already waiting for review.")
        return redirect("commitments:detail", commitment.pk)
    form = StatusChangeForm(request.POST or None, commitment=commitment)
    if request.method == "POST" and form.is_valid():
        propose_change(request, commitment, form.cleaned_data)
        return redirect("commitments:detail", commitment.pk)
    nobody_can_review = not other_reviewers(request.office, request.user).exists()
    return render(
        request,
        "commitments/status.html",
        {"form": form, "commitment": commitment, "nobody_can_review": nobody_can_review},
    )


def propose_change(request: HttpRequest, commitment: Commitment, data: dict[str, Any]) -> None:
    with transaction.atomic():
        change = StatusChange.objects.create(
            commitment=commitment,
            from_status=commitment.status,
            to_status=data["to_status"],
            evidence_url=data["evidence_url"],
            editor_note=data["editor_note"],
            explanation=data["explanation"],
            proposed_by=request.user,
        )
        if not commitment.review_status_changes:
            change.approve(request.user)
    if change.approved:
        messages.success(request, f"The status is now “{change.get_to_status_display()}”.")
    else:
        messages.success(
            request, "The change is waiting for a second person to review it before it shows."
        )


@require_POST
@staff_required(*REVIEWERS)
def review_change(request: HttpRequest, change_id: int) -> HttpResponse:
    """The leader or the office manager publishes or turns down a proposed change of status:
    the public status of a promise is said in the leader's name."""
    try:
        change = StatusChange.objects.select_related("commitment").get(
            pk=change_id, commitment__office=request.office
        )
    except StatusChange.DoesNotExist:
        raise Http404("Not found in your office.") from None
    approve = request.POST.get("decision") == "approve"
    reason = posted_text(request.POST, "reason")[:REASON_MAX_LENGTH]
    if not change.is_pending:
        messages.warning(request, "Someone has already reviewed this change.")
    elif change.proposed_by_id == request.user.pk:
        messages.error(request, "A second person must review the change you proposed.")
    elif not approve and not reason:
        messages.error(request, "Say briefly why you reject it, so that the proposer knows.")
    else:
        with transaction.atomic():
            decide(request, change, approve, reason)
    return redirect("commitments:detail", change.commitment_id)


@require_POST
@staff_required()
def withdraw_change(request: HttpRequest, change_id: int) -> HttpResponse:
    """Whoever proposed a change of status takes it back, so that another can be proposed:
    in an office where no one else can review it, it would otherwise wait for good."""
    try:
        change = StatusChange.objects.select_related("commitment").get(
            pk=change_id, commitment__office=request.office, proposed_by=request.user
        )
    except StatusChange.DoesNotExist:
        raise Http404("Not found among the changes you proposed.") from None
    if change.is_pending:
        change.withdraw()
        audit(
            request,
            AuditAction.CHANGE,
            change,
            f"Withdrew the proposed change of “{change.commitment}” to "
            f"{change.get_to_status_display()}",
        )
        messages.success(request, "Withdrawn: the status stays as it was.")
    else:
        messages.warning(request, "That change was already reviewed or withdrawn.")
    return redirect("commitments:detail", change.commitment_id)


def decide(request: HttpRequest, change: StatusChange, approve: bool, reason: str) -> None:
    """Approve or reject a proposed change of status; the audit log keeps the reason."""
    to_status = change.get_to_status_display()
    if approve:
        change.approve(request.user)
        summary = f"Approved the change of “{change.commitment}” to {to_status}"
        messages.success(request, "Approved: the new status shows in public.")
    else:
        change.reject(request.user, reason)
        summary = f"Rejected the change of “{change.commitment}” to {to_status}: {reason}"
        messages.success(request, "Rejected: the status stays as it was, and the reason is kept.")
    audit(request, AuditAction.CHANGE, change, summary)


@staff_required(*REVIEWERS)
@taken_once
def reword(request: HttpRequest, commitment_id: int) -> HttpResponse:
    """A new wording shows in public at once, beside the leader's own: the leader or the
    office manager gives it."""
    commitment = load(request, commitment_id)
    form = RewordingForm(request.POST or None, commitment=commitment)
    if request.method == "POST" and form.is_valid():
        form.instance.commitment = commitment
        form.instance.by = request.user
        rewording = form.save()
        audit(request, AuditAction.CHANGE, commitment, f"Reworded in public: {rewording.wording}")
        messages.success(request, "The new wording shows beside the original.")
        return redirect("commitments:detail", commitment.pk)
    return render(request, "commitments/reword.html", {"form": form, "commitment": commitment})


@staff_required()
def notify(request: HttpRequest, commitment_id: int) -> HttpResponse:
    """“You said, we did”: tell the people behind a closed commitment what became of it."""
    require_edit(request)
    commitment = load(request, commitment_id)
    if commitment.status not in CLOSED_STATUSES:
        messages.warning(request, "Close the commitment (kept, compromise or broken) first.")
        return redirect("commitments:detail", commitment.pk)
    already = already_told(commitment)
    people = people_to_tell(commitment)
    if request.method == "POST" and not people:
        messages.warning(
            request, "There is nobody to email: no one who asked for it has an email address."
        )
        return redirect("commitments:detail", commitment.pk)
    if request.method == "POST":
        form = NoticeForm(request.POST)
        if form.is_valid():
            try:
                notice = send_notice(
                    commitment,
                    form.cleaned_data["subject"],
                    form.cleaned_data["body"],
                    request.user,
                    client_ip(request),
                )
            except MAIL_FAILURES:
                messages.error(
                    request,
                    "The email server did not take the messages, so nothing was recorded. "
                    "Please try again later.",
                )
                return redirect("commitments:notify", commitment.pk)
            if notice is None:
                messages.warning(request, "They have already been told since the last change.")
            else:
                messages.success(request, f"Sent to {notice.recipients} people.")
            return redirect("commitments:detail", commitment.pk)
    else:
        subject, body = suggested_message(commitment)
        form = NoticeForm(initial={"subject": subject, "body": body})
    return render(
        request,
        "commitments/notify.html",
        {
            "form": form,
            "commitment": commitment,
            "recipients": len(people),
            "already": already,
            "people_asked": commitment.people_behind().count(),
        },
    )


@staff_required()
def overdue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    commitments = Commitment.objects.for_office(request.office)
    return render(
        request,
        "commitments/overdue.html",
        {
            "today": today,
            "overdue": commitments.overdue(today).select_related("owner"),
            "late_milestones": Milestone.objects.filter(
                commitment__office=request.office,
                commitment__status__in=OPEN_STATUSES,
                done_on__isnull=True,
                due_on__lt=today,
            ).select_related("commitment__owner"),
            "stocktakes_due": commitments.stocktake_due(today).select_related("owner"),
        },
    )


def report_since(today: Any) -> Any:
    """Closed commitments show in the report for the quarter after they closed."""
    start = today - timedelta(days=92)
    return timezone.make_aware(datetime(start.year, start.month, start.day))


@staff_required(Role.LEADER, Role.MANAGER)
def report(request: HttpRequest) -> HttpResponse:
    """The stocktake report for the leader, as a PDF with the trajectory charts."""
    today = timezone.localdate()
    commitments = list(
        Commitment.objects.for_office(request.office)
        .filter(Q(status__in=OPEN_STATUSES) | Q(status_changed_at__gte=report_since(today)))
        .select_related("owner", "parent")
        .prefetch_related(*DETAIL_PREFETCH)
    )
    rows = [(c, charts.trajectory_svg(c, list(c.points.all()), today)) for c in commitments]
    html = render_to_string(
        "commitments/report.html",
        {
            "rows": rows,
            "today": today,
            "office": request.office,
            "counts": meter_counts(commitments, today),
        },
    )
    pdf = render_pdf(html)
    return pdf_response(pdf, f"stocktake-report-{today}.pdf")
