"""The Team section: pulse surveys, results, obstacles, check-ins and the learning log."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from compassion.core.access import audit, get_for_office, require_edit, staff_required
from compassion.core.mail import MAIL_FAILURES
from compassion.core.models import AuditAction, Role
from compassion.core.once import taken_once
from compassion.core.pdf import pdf_response, render_pdf
from compassion.pulse import anonymity, charts, cycles, instruments, results
from compassion.pulse.forms import (
    ActOnResultForm,
    CheckInForm,
    CommitmentForm,
    LearningForm,
    ObstacleForm,
    RespondForm,
    ScheduleForm,
    SettingsForm,
)
from compassion.pulse.models import (
    CheckIn,
    Commitment,
    Cycle,
    Group,
    LearningEntry,
    Obstacle,
    ObstacleStatus,
    PulseSettings,
    SelfView,
    hash_token,
)
from compassion.pulse.reference import load_reference, with_reference

MANAGERS = (Role.LEADER, Role.MANAGER)


def can_manage(request: HttpRequest) -> bool:
    return request.membership.role in MANAGERS


@staff_required()
def home(request: HttpRequest) -> HttpResponse:
    office = request.office
    today = timezone.localdate()
    k = PulseSettings.for_office(office).k
    windows = results.windows(office, k)
    complete = [w for w in windows if w.complete]
    latest = results.results_for(complete[-1], k) if complete else None
    current = next((c for c in Cycle.objects.for_office(office) if c.is_open(today)), None)
    upcoming = Cycle.objects.for_office(office).filter(opens_on__gt=today).first()
    my_commitments = (
        Commitment.objects.open()
        .filter(check_in__office=office, check_in__leader=request.user)
        .select_related("check_in__staff")
    )
    promised_to_me = (
        Commitment.objects.open()
        .filter(check_in__office=office, check_in__staff=request.user)
        .select_related("check_in__leader")
    )
    my_actions = Obstacle.objects.for_office(office).filter(
        status=ObstacleStatus.COMMITTED, action_owner=request.user
    )
    return render(
        request,
        "pulse/home.html",
        {
            "k": k,
            "latest": latest,
            "current": current,
            "upcoming": upcoming,
            "pending": windows[-1] if windows and not windows[-1].complete else None,
            "i_am_invited": current
            and current.invitations.filter(user=request.user, answered=False).exists(),
            "my_commitments": my_commitments,
            "promised_to_me": promised_to_me,
            "my_actions": my_actions,
            "open_obstacles": Obstacle.objects.for_office(office).open().count(),
            "today": today,
            "can_manage": can_manage(request),
        },
    )


@staff_required(*MANAGERS)
def cycle_list(request: HttpRequest) -> HttpResponse:
    form = ScheduleForm(request.POST or None)
    if request.method == "POST":
        require_edit(request)
        if form.is_valid():
            try:
                scheduled = cycles.schedule(request.office, request.user, **form.cleaned_data)
            except ValueError as problem:
                form.add_error(None, str(problem))
            else:
                try:
                    sent = sum(cycles.send_invitations(c) for c in scheduled if c.is_open())
                except cycles.MailRefused as refused:
                    messages.warning(
                        request, f"Scheduled {len(scheduled)} pulse(s). {not_all_invited(refused)}"
                    )
                    return redirect("pulse:cycles")
                note = f" Invitations sent to {sent} staff." if sent else ""
                messages.success(request, f"Scheduled {len(scheduled)} pulse(s).{note}")
                return redirect("pulse:cycles")
    listed = Cycle.objects.for_office(request.office).order_by("-opens_on")
    return render(
        request,
        "pulse/cycles.html",
        {"form": form, "cycles": listed, "today": timezone.localdate()},
    )


@staff_required(*MANAGERS)
def cycle_detail(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = get_for_office(Cycle.objects, request, pk=cycle_id)
    return render(
        request,
        "pulse/cycle.html",
        {
            "cycle": cycle,
            "invited": cycle.invited_count,
            "answered": cycle.answered_count,
            "k": PulseSettings.for_office(request.office).k,
            "today": timezone.localdate(),
        },
    )


@require_POST
@staff_required(*MANAGERS)
def cycle_action(request: HttpRequest, cycle_id: int) -> HttpResponse:
    require_edit(request)
    cycle = get_for_office(Cycle.objects, request, pk=cycle_id)
    action = request.POST.get("action")
    if action == "cancel" and cycle.opens_on > timezone.localdate():
        label = cycle.label
        cycle.delete()  # not yet open: nobody was invited, nothing was answered
        messages.success(request, f"The {label} pulse is cancelled.")
        return redirect("pulse:cycles")
    if not cycle.is_open():
        messages.error(request, "This pulse is not open, so nothing was sent.")
    elif action == "invite":
        try:
            sent = cycles.send_invitations(cycle)
        except cycles.MailRefused as refused:
            messages.warning(request, not_all_invited(refused))
        else:
            messages.success(request, f"Invitations sent to {sent} staff.")
    elif action == "remind":
        try:
            sent = cycles.send_reminders(cycle)
        except cycles.MailRefused as refused:
            messages.warning(request, not_all_invited(refused))
        else:
            messages.success(
                request,
                f"Reminders sent to {sent} staff who have not answered yet (names not shown).",
            )
    elif action == "close":
        cycle.closed_early_on = timezone.localdate()
        cycle.save(update_fields=["closed_early_on"])
        messages.success(request, "The pulse is closed. No more answers will be taken.")
    return redirect("pulse:cycle", cycle_id=cycle.pk)


def answer_sections(chosen: dict[str, object]) -> list[dict[str, object]]:
    """The questions to show, with the options already chosen ticked again after an error."""
    return [
        {
            "instrument": instrument,
            "items": [
                {
                    "item": item,
                    "options": [
                        (code, label, str(chosen.get(item.code, "")) == str(code))
                        for code, label in enumerate(item.options, start=1)
                    ],
                }
                for item in instrument.items
            ],
        }
        for instrument in instruments.INSTRUMENTS
    ]


def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The page behind a single-use link. No login: the link is the key, and it is used once."""
    try:
        invitation = cycles.find_invitation(token)
    except cycles.AnswerError as problem:
        return render(request, "pulse/answer_closed.html", {"problem": str(problem)}, status=410)
    pulse_settings = PulseSettings.for_office(invitation.cycle.office)
    error = ""
    chosen: dict[str, object] = {}
    if request.method == "POST":
        chosen = request.POST.dict()
        try:
            cycles.submit(token, cycles.clean_submission(chosen))
        except (ValueError, cycles.AnswerError) as problem:
            error = str(problem)
        else:
            return render(request, "pulse/answer_thanks.html")
    return render(
        request,
        "pulse/answer.html",
        {
            "cycle": invitation.cycle,
            "office_name": invitation.cycle.office.name,
            "sections": answer_sections(chosen),
            "free_text_question": instruments.FREE_TEXT_QUESTION,
            "chosen": chosen,
            "error": error,
            "k": pulse_settings.k,
            # Told plainly: a named reviewer reads single months from fewer people than k.
            "has_reviewer": bool(pulse_settings.reviewer_email),
            "reviewer_name": pulse_settings.reviewer_name,
            "floor": anonymity.FLOOR,
        },
        status=400 if error else 200,
    )


def scale_charts(scale, benchmark) -> dict[str, str]:
    instrument = scale.instrument
    first = instrument.items[0]
    rows = [(item.item.code.upper(), item.counts, item.item.reverse) for item in scale.items]
    band_rows = [(f"{start:g}–{end:g}", count) for start, end, count in scale.bands]
    return {
        "items": mark_safe(
            charts.stacked_items(rows, first.options, f"How the answers spread: {instrument.name}")
        ),
        "bands": mark_safe(charts.bands(band_rows, f"Spread of people's {instrument.short_name}")),
    }


def trend_charts(windows, benchmark, k: int) -> list[dict[str, object]]:
    result = []
    for instrument in with_reference(load_reference()):
        points = results.trend(windows, instrument, k)
        chart_points = [
            charts.Point(
                p.window.short_label,
                p.mean,
                p.ci.low if p.ci else None,
                p.ci.high if p.ci else None,
            )
            for p in points
        ]
        svg = charts.trend(
            chart_points,
            instrument.low,
            instrument.high,
            f"{instrument.name} over time",
            reference=instrument.reference.get("scale"),
            reference_label=instrument.reference_label,
            benchmark=benchmark.means.get(instrument.code) if benchmark else None,
        )
        result.append({"instrument": instrument, "points": points, "svg": mark_safe(svg)})
    return result


def gap_chart(latest, is_leader: bool) -> str:
    rows = [
        (
            instruments.BEHAVIOUR_LABELS[g.behaviour],
            g.self_score,
            charts.Point(
                "",
                g.team_mean,
                g.team_ci.low if g.team_ci else None,
                g.team_ci.high if g.team_ci else None,
            ),
        )
        for g in latest.gaps
    ]
    if is_leader:
        return mark_safe(charts.gap(rows, "Your self-view beside your team's view"))
    title = "The leader's self-view beside the team's view"
    return mark_safe(charts.gap(rows, title, self_label="Leader's self-view"))


def chosen_window(complete: list, key: str, cycle_id: str):
    """The window asked for by its key, or the one holding a given pulse, else the latest."""
    for window in complete:
        if window.key == key or str(cycle_id) in [str(c.pk) for c in window.cycles]:
            return window
    return complete[-1] if complete else None


def results_context(request: HttpRequest, cycle_id: str = "") -> dict[str, object]:
    office = request.office
    k = PulseSettings.for_office(office).k
    windows = results.windows(office, k)
    complete = [w for w in windows if w.complete]
    is_leader = request.membership.role == Role.LEADER
    window = chosen_window(
        complete, request.GET.get("window", ""), cycle_id or request.GET.get("cycle", "")
    )
    shown = results.results_for(window, k) if window else None
    benchmark = results.installation_benchmark(office, k)
    group = request.GET.get("group", "")
    breakdown = results.breakdown(window, group, k) if window and group else None
    return {
        "k": k,
        "windows": windows,
        "complete": complete,
        "window": window,
        "shown": shown,
        # The survey promises that what people write is shown to the leader and manager only.
        "comments": shown.comments if shown and can_manage(request) else [],
        "scales": [{"summary": s, "charts": scale_charts(s, benchmark)} for s in shown.scales]
        if shown
        else [],
        "trends": trend_charts(complete, benchmark, k) if complete else [],
        "gap_svg": gap_chart(shown, is_leader) if shown else "",
        "benchmark": benchmark,
        "pending": windows[-1] if windows and not windows[-1].complete else None,
        "last_cycle": window.cycles[-1] if window else None,
        "breakdown": breakdown,
        "groups": Group.choices,
        "behaviour_labels": instruments.BEHAVIOUR_LABELS,
        "act_form": ActOnResultForm(),
        "can_manage": can_manage(request),
        "is_leader": is_leader,
        "self_cycle": Cycle.objects.for_office(office)
        .filter(opens_on__lte=timezone.localdate())
        .order_by("-opens_on")
        .first(),
    }


@staff_required()
def results_page(request: HttpRequest) -> HttpResponse:
    return render(request, "pulse/results.html", results_context(request))


@staff_required(*MANAGERS)
def results_pdf(request: HttpRequest) -> HttpResponse:
    html = render(request, "pulse/report.html", results_context(request)).content.decode()
    pdf = render_pdf(html)
    return pdf_response(pdf, "team-pulse-report.pdf", "attachment")


@staff_required(Role.LEADER)
def self_view(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = get_for_office(Cycle.objects, request, pk=cycle_id)
    existing = SelfView.objects.filter(cycle=cycle, user=request.user).first()
    items = instruments.COMPASSIONATE_LEADERSHIP.items
    error = ""
    if request.method == "POST":
        try:
            raw = {item.code: request.POST.get(item.code, "") for item in items}
            answers = instruments.clean_answers(raw)
        except ValueError as problem:
            error = str(problem)
        else:
            if not answers:
                error = "Choose an answer for at least one behaviour."
            else:
                SelfView.objects.update_or_create(
                    cycle=cycle, user=request.user, defaults={"answers": answers}
                )
                messages.success(request, "Your self-view is saved.")
                return redirect("pulse:results")
    questions = [
        {
            "item": item,
            "text": instruments.SELF_VIEW_TEXTS[item.code],
            "label": instruments.BEHAVIOUR_LABELS[item.behaviour],
            "chosen": str((existing.answers if existing else {}).get(item.code, "")),
        }
        for item in items
    ]
    return render(
        request,
        "pulse/self_view.html",
        {
            "cycle": cycle,
            "questions": questions,
            "error": error,
            "options": instruments.AGREEMENT_5,
        },
        status=400 if error else 200,
    )


def not_all_invited(refused: cycles.MailRefused) -> str:
    if refused.what == "reminders":
        return (
            f"Reminders sent to {refused.sent} staff; then the mail server did not accept the "
            "reminders. The others' earlier links still work; send the reminders again in a "
            "few minutes."
        )
    return (
        f"Invitations sent to {refused.sent} staff; then the mail server did not accept the "
        "invitations. Send the rest from the pulse's page (Send invitations now) in a few "
        "minutes: nobody already invited gets a second one."
    )


@require_POST
@staff_required(*MANAGERS)
@taken_once
def act_on_result(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """Turn a low score into a committed action that the team can follow."""
    require_edit(request)
    cycle = get_for_office(Cycle.objects, request, pk=cycle_id)
    form = ActOnResultForm(request.POST)
    if not form.is_valid():
        # The results page again, with what was typed and the reason beside it.
        context = results_context(request, str(cycle.pk))
        context |= {
            "act_form": form,
            "act_refused": request.POST.get("from_scale", ""),
            "act_problem": next(iter(form.errors.values()))[0],
        }
        return render(request, "pulse/results.html", context, status=400)
    data = form.cleaned_data
    obstacle = Obstacle.objects.create(
        office=request.office,
        title=data["title"],
        from_cycle=cycle,
        from_scale=data["from_scale"],
        from_result=data["from_result"],
        status=ObstacleStatus.COMMITTED,
        action=data["title"],
        action_owner=request.user,
        action_due=data["action_due"],
        raised_by=request.user,
    )
    messages.success(request, "Action committed. The team can follow it on “You said, we did”.")
    return redirect("pulse:obstacle", ref=obstacle.ref)


@staff_required()
@taken_once
def obstacle_list(request: HttpRequest) -> HttpResponse:
    """Anyone in the team raises obstacles, volunteers too: their read-only access is to
    casework, not to saying what gets in their way."""
    form = ObstacleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        obstacle = form.save(commit=False)
        obstacle.office = request.office
        obstacle.raised_by = None if form.cleaned_data["anonymous"] else request.user
        obstacle.save()
        messages.success(request, "Raised. The team can see it and its status.")
        return redirect("pulse:obstacles")
    listed = Obstacle.objects.for_office(request.office).select_related("action_owner", "raised_by")
    return render(request, "pulse/obstacles.html", {"form": form, "obstacles": listed})


@staff_required()
def obstacle_detail(request: HttpRequest, ref: uuid.UUID) -> HttpResponse:
    obstacle = get_for_office(Obstacle.objects, request, ref=ref)
    form = None
    if can_manage(request):
        form = RespondForm(request.POST or None, instance=obstacle, office=request.office)
        if request.method == "POST":
            require_edit(request)
            if form.is_valid():
                changed = form.save(commit=False)
                if changed.status != ObstacleStatus.DONE:
                    changed.done_on = None  # reopened: it is done again only when it is
                elif not changed.done_on:
                    changed.done_on = timezone.localdate()
                changed.save()
                messages.success(request, "Saved. The team can see the new status.")
                return redirect("pulse:obstacle", ref=obstacle.ref)
    elif request.method == "POST":
        raise Http404("Only the leader or office manager responds to obstacles.")
    return render(request, "pulse/obstacle.html", {"obstacle": obstacle, "form": form})


@staff_required()
def you_said(request: HttpRequest) -> HttpResponse:
    acted = (
        Obstacle.objects.for_office(request.office)
        .filter(status__in=[ObstacleStatus.DONE, ObstacleStatus.COMMITTED])
        .select_related("from_cycle", "action_owner")
        .order_by("status", "-done_on", "action_due")
    )
    return render(
        request,
        "pulse/you_said.html",
        {
            "done": [o for o in acted if o.status == ObstacleStatus.DONE],
            "committed": [o for o in acted if o.status == ObstacleStatus.COMMITTED],
            "today": timezone.localdate(),
        },
    )


@staff_required()
@taken_once
def checkin_list(request: HttpRequest) -> HttpResponse:
    form = CheckInForm(request.POST or None, office=request.office, user=request.user)
    commitment = CommitmentForm(request.POST or None, prefix="c")
    if request.method == "POST":
        require_edit(request)
        if form.is_valid() and commitment.is_valid():
            with transaction.atomic():
                check_in = form.save(commit=False)
                check_in.office = request.office
                check_in.leader = request.user
                check_in.save()
                if commitment.cleaned_data.get("text"):
                    check_in.commitments.create(
                        text=commitment.cleaned_data["text"],
                        due_on=commitment.cleaned_data["due_on"],
                    )
            audit(request, AuditAction.CREATE, check_in, "Recorded a check-in")
            messages.success(request, "Check-in saved. Only the two of you can see it.")
            return redirect("pulse:checkin", check_in_id=check_in.pk)
    mine = CheckIn.objects.visible_to(request.office, request.user).select_related(
        "leader", "staff"
    )
    return render(
        request,
        "pulse/checkins.html",
        {"form": form, "commitment": commitment, "check_ins": mine},
    )


@staff_required()
@taken_once
def checkin_detail(request: HttpRequest, check_in_id: int) -> HttpResponse:
    check_in = get_object_or_404(
        CheckIn.objects.visible_to(request.office, request.user), pk=check_in_id
    )
    form = CommitmentForm(request.POST or None, prefix="c")
    if request.method == "POST":
        require_edit(request)
        if check_in.leader != request.user:
            raise Http404("Only the person who led the check-in adds commitments.")
        if form.is_valid() and form.cleaned_data.get("text"):
            check_in.commitments.create(
                text=form.cleaned_data["text"], due_on=form.cleaned_data["due_on"]
            )
            audit(request, AuditAction.CHANGE, check_in, "Added a commitment")
            return redirect("pulse:checkin", check_in_id=check_in.pk)
    audit(request, AuditAction.VIEW, check_in, "Opened a check-in")
    return render(
        request,
        "pulse/checkin.html",
        {"check_in": check_in, "form": form, "today": timezone.localdate()},
    )


@require_POST
@staff_required()
def commitment_done(request: HttpRequest, commitment_id: int) -> HttpResponse:
    require_edit(request)
    commitment = get_object_or_404(
        Commitment.objects.filter(check_in__office=request.office, check_in__leader=request.user),
        pk=commitment_id,
    )
    commitment.done_on = timezone.localdate()
    commitment.save(update_fields=["done_on"])
    messages.success(request, f"Done: {commitment.text}")
    return redirect(page_to_return_to(request))


def page_to_return_to(request: HttpRequest) -> str:
    """The page the form came from, if it is one of ours; otherwise the Team overview."""
    wanted = request.POST.get("next", "")
    # Only a path: `redirect` would read any other word as the name of a page to look up.
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("pulse:home")


@staff_required()
@taken_once
def learning_list(request: HttpRequest) -> HttpResponse:
    form = LearningForm(
        request.POST or None,
        office=request.office,
        is_leader=request.membership.role == Role.LEADER,
    )
    if request.method == "POST":
        require_edit(request)
        if form.is_valid():
            entry = form.save(commit=False)
            entry.office = request.office
            entry.written_by = request.user
            entry.save()
            messages.success(request, "Thank you for writing it down: that is how a team learns.")
            return redirect("pulse:learning_entry", entry_id=entry.pk)
    entries = LearningEntry.objects.visible_to(request.office, request.membership.role)
    kind = request.GET.get("kind", "")
    if kind:
        entries = entries.filter(kind=kind)
    return render(
        request,
        "pulse/learning.html",
        {"form": form, "entries": entries.select_related("change_owner"), "kind": kind},
    )


@staff_required()
def learning_entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = get_object_or_404(
        LearningEntry.objects.visible_to(request.office, request.membership.role), pk=entry_id
    )
    return render(request, "pulse/learning_entry.html", {"entry": entry})


@staff_required(*MANAGERS)
def settings_page(request: HttpRequest) -> HttpResponse:
    pulse_settings = PulseSettings.for_office(request.office)
    form = SettingsForm(request.POST or None, instance=pulse_settings)
    if request.method == "POST":
        require_edit(request)
        if form.is_valid():
            try:
                with transaction.atomic():  # the link is sent last: a refusal saves nothing
                    messages.success(request, save_settings(request, form))
            except MAIL_FAILURES:
                form.add_error(
                    "reviewer_email",
                    "The mail server did not accept the email with the reviewer's link, so "
                    "nothing was saved. Please try again in a few minutes.",
                )
            else:
                return redirect("pulse:settings")
    return render(request, "pulse/settings.html", {"form": form, "settings": pulse_settings})


def save_settings(request: HttpRequest, form: SettingsForm) -> str:
    saved = form.save()
    if "reviewer_email" not in form.changed_data:
        return "Saved."
    if saved.reviewer_email:
        send_reviewer_link(request, saved)
        return f"Saved. A private link was sent to {saved.reviewer_email}."
    saved.forget_reviewer_link()
    return "Saved. The reviewer's link no longer works."


def send_reviewer_link(request: HttpRequest, pulse_settings: PulseSettings) -> None:
    from django.core.mail import send_mail

    token = pulse_settings.new_reviewer_token()
    url = request.build_absolute_uri(reverse("pulse:reviewer", args=[token]))
    send_mail(
        f"You are the trusted reviewer of {request.office.name}'s team pulse",
        f"Hello {pulse_settings.reviewer_name or ''},\n\n"
        f"{request.office.name} named you as the trusted reviewer of its staff pulse. You see "
        "each month's results on their own from 3 respondents, which the leader does not. "
        f"Keep this link private:\n\n{url}\n",
        None,
        [pulse_settings.reviewer_email],
    )


def reviewer(request: HttpRequest, token: str) -> HttpResponse:
    """The trusted third party's view: each cycle on its own, from the floor of 3."""
    pulse_settings = (
        PulseSettings.objects.filter(reviewer_token_hash=hash_token(token))
        .exclude(reviewer_token_hash="")
        .select_related("office")
        .first()
    )
    if pulse_settings is None:
        raise Http404("This reviewer link is not valid.")
    rows = results.reviewer_cycles(pulse_settings.office)
    return render(
        request,
        "pulse/reviewer.html",
        {
            "reviewed_office": pulse_settings.office,
            "rows": rows,
            "floor": anonymity.FLOOR,
        },
    )
