"""The leader's insight pages: the dashboard, the equity audit, actions, areas and downloads."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from compassion.core.access import get_for_office, require_edit, staff_required
from compassion.core.models import Office, Role
from compassion.core.once import taken_once
from compassion.core.pdf import pdf_response, render_pdf
from compassion.insights import areas, charts, exports
from compassion.insights.briefing import build_briefing
from compassion.insights.dashboard import (
    all_charts,
    all_tables,
    build_dashboard,
    most_raised_theme,
)
from compassion.insights.equity import (
    DIMENSIONS,
    Audit,
    audit_table,
    cached_audit,
    comparison_evidence,
    forget_audits,
)
from compassion.insights.forms import ActionForm, AreaUploadForm, QuotesForm
from compassion.insights.models import Action, ActionStatus, AreaDeprivation
from compassion.insights.public import public_summary
from compassion.insights.speech import ThemeReport, theme_report
from compassion.insights.tables import Chart, Table

LEADERS = (Role.LEADER, Role.MANAGER)
YEAR = timedelta(days=365)


@staff_required(*LEADERS)
def dashboard(request: HttpRequest) -> HttpResponse:
    panels = build_dashboard(request.office)
    return render(request, "insights/dashboard.html", {"panels": panels})


def chosen_dimension(request: HttpRequest) -> str:
    dimension = request.GET.get("by", "area")
    return dimension if dimension in DIMENSIONS else "area"


@staff_required(*LEADERS)
def equity(request: HttpRequest) -> HttpResponse:
    dimension = chosen_dimension(request)
    audit = cached_audit(request.office, dimension)
    return render(
        request,
        "insights/equity.html",
        {
            "audit": audit,
            "dimensions": DIMENSIONS,
            "dimension": dimension,
            "action_links": gap_action_links(audit),
        },
    )


@require_POST
@staff_required(*LEADERS)
def refresh_equity(request: HttpRequest) -> HttpResponse:
    forget_audits(request.office)
    dimension = request.POST.get("by", "area")
    if dimension not in DIMENSIONS:
        dimension = "area"
    return redirect(f"{reverse('insights:equity')}?by={dimension}")


@staff_required(*LEADERS)
def actions(request: HttpRequest) -> HttpResponse:
    found = Action.objects.filter(office=request.office).select_related("owner")
    return render(
        request, "insights/actions.html", {"actions": found, "today": timezone.localdate()}
    )


@staff_required(*LEADERS)
@taken_once
def new_action(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        require_edit(request)
        form = ActionForm(request.POST, office=request.office)
        if form.is_valid():
            action = form.save(commit=False)
            action.office = request.office
            action.created_by = request.user
            action.save()
            messages.success(request, f"Action opened: {action.title}")
            return redirect("insights:actions")
    else:
        initial = {
            "title": request.GET.get("title", "")[:200],
            "evidence": request.GET.get("evidence", "")[:2000],
            "theme": request.GET.get("theme", ""),
            "owner": request.user.pk,
            "due": timezone.localdate() + timedelta(days=28),
        }
        form = ActionForm(initial=initial, office=request.office)
    return render(request, "insights/action_form.html", {"form": form})


@require_POST
@staff_required(*LEADERS)
def complete_action(request: HttpRequest, action_id: int) -> HttpResponse:
    require_edit(request)
    action = get_for_office(Action.objects.all(), request, pk=action_id)
    if action.status != ActionStatus.DONE:
        action.status = ActionStatus.DONE
        action.done_at = timezone.now()
        action.save(update_fields=["status", "done_at"])
        messages.success(request, f"Marked done: {action.title}")
    return redirect("insights:actions")


@staff_required(*LEADERS)
def area_deciles(request: HttpRequest) -> HttpResponse:
    form = AreaUploadForm()
    if request.method == "POST":
        require_edit(request)
        form = AreaUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                rows = areas.parse(form.cleaned_data["file"].read())
            except areas.AreaFileError as error:
                form.add_error("file", str(error))
            else:
                source = form.cleaned_data["source"] or form.cleaned_data["file"].name
                count = areas.replace_areas(request.office, rows, source)
                forget_audits(request.office)
                messages.success(request, f"Imported deprivation deciles for {count} areas.")
                return redirect("insights:areas")
    found = AreaDeprivation.objects.filter(office=request.office)
    return render(request, "insights/areas.html", {"form": form, "areas": found})


def gap_action_links(audit: Audit) -> dict[str, str]:
    """Links that open an action prefilled with each flagged gap's evidence."""
    links = {}
    for measure, comparison in audit.flagged:
        title = f"Close the gap: {measure.title.lower()} for {comparison.group.label}"
        evidence = comparison_evidence(measure, comparison)
        theme = comparison.group.key if audit.dimension == "theme" else ""
        query = urlencode({"title": title[:200], "evidence": evidence, "theme": theme})
        links[f"{measure.key}:{comparison.group.key}"] = f"{reverse('insights:new_action')}?{query}"
    return links


def find_table(request: HttpRequest, slug: str) -> Table:
    if slug.startswith("equity-"):
        dimension = slug.removeprefix("equity-")
        if dimension not in DIMENSIONS:
            raise Http404("No such table.")
        return audit_table(cached_audit(request.office, dimension))
    if slug == "areas":
        rows = AreaDeprivation.objects.filter(office=request.office)
        return Table(
            "areas",
            "Area deprivation deciles",
            ["Area", "Kind", "Decile", "Source"],
            [[a.area, a.get_kind_display(), a.decile, a.source] for a in rows],
        )
    if slug == "actions":
        rows = Action.objects.filter(office=request.office).select_related("owner")
        return Table(
            "actions",
            "Actions",
            ["Action", "Owner", "Due", "Status", "Evidence"],
            [
                [
                    a.title,
                    a.owner.get_full_name() if a.owner else "",
                    a.due,
                    a.get_status_display(),
                    a.evidence,
                ]
                for a in rows
            ],
        )
    if slug.startswith("briefing-"):
        tables = build_briefing(request.office).tables()
    elif slug.startswith("speech-"):
        report = requested_report(request)
        tables = {report.chart.slug: report.chart.as_table()} if report else {}
    else:
        tables = all_tables(build_dashboard(request.office))
    if slug not in tables:
        raise Http404("No such table.")
    return tables[slug]


def find_chart(request: HttpRequest, slug: str) -> Chart:
    if slug.startswith("briefing-"):
        found = {chart.slug: chart for chart in build_briefing(request.office).charts}
    elif slug.startswith("speech-"):
        report = requested_report(request)
        found = {report.chart.slug: report.chart} if report else {}
    else:
        found = all_charts(build_dashboard(request.office))
    if slug not in found:
        raise Http404("No such chart.")
    return found[slug]


def speech_query(request: HttpRequest) -> QueryDict:
    """The query string, with the last year as the period when a link gives only a theme."""
    today = timezone.localdate()
    query = request.GET.copy()
    for name, day in (("start", today - YEAR), ("end", today)):
        if not query.get(name):
            query[name] = day.isoformat()
    return query


def requested_report(request: HttpRequest) -> ThemeReport | None:
    """The theme report the query string asks for, or None when it is not valid."""
    return form_report(request, QuotesForm(speech_query(request)))


def form_report(request: HttpRequest, form: QuotesForm) -> ThemeReport | None:
    """The theme report a filled-in form asks for, or None when it is not valid."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    return theme_report(request.office, data["theme"], data["start"], data["end"])


@staff_required(*LEADERS)
def export_table(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404("Tables download as CSV or XLSX.")
    table = find_table(request, slug)
    if fmt == "csv":
        response = HttpResponse(exports.as_csv(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.as_xlsx(table),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{slug}.{fmt}"'
    return response


@staff_required(*LEADERS)
def chart_file(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in ("svg", "png"):
        raise Http404("Charts download as SVG or PNG.")
    chart = find_chart(request, slug)
    if fmt == "svg":
        response = HttpResponse(charts.render_svg(chart), content_type="image/svg+xml")
    else:
        response = HttpResponse(charts.render_png(chart), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="{slug}.{fmt}"'
    return response


@staff_required(*LEADERS)
def briefing(request: HttpRequest) -> HttpResponse:
    return render(request, "insights/briefing.html", {"briefing": build_briefing(request.office)})


@staff_required(*LEADERS)
def briefing_pdf(request: HttpRequest) -> HttpResponse:
    context = {"briefing": build_briefing(request.office), "office": request.office}
    html = render_to_string("insights/briefing_pdf.html", context, request=request)
    pdf = render_pdf(html)
    return pdf_response(pdf, f"briefing-{timezone.localdate():%Y-%m-%d}.pdf", "attachment")


@staff_required(*LEADERS)
def speech_voices(request: HttpRequest) -> HttpResponse:
    """Counts, a trend and consented, redacted quotes on one theme, for a speech or letter."""
    query = speech_query(request)
    if "theme" not in query:  # the page opens on people's words, not on an empty form
        query["theme"] = most_raised_theme(request.office, timezone.localdate()) or "other"
    form = QuotesForm(query)
    report = form_report(request, form)
    context = {"form": form, "report": report, "query": query.urlencode()}
    return render(request, "insights/speech.html", context)


def you_said_we_did(request: HttpRequest, office_slug: str) -> HttpResponse:
    """The public page: themes raised and what the office did, with no personal data."""
    office = get_object_or_404(Office, slug=office_slug)
    return render(
        request, "insights/public.html", {"page": public_summary(office), "office": office}
    )
