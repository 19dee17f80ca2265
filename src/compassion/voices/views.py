"""The inbox: every message heard, urgent ones first, and the intake tools around it."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case as SqlCase
from django.db.models import Count, IntegerField, Q, QuerySet, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from compassion.cases.models import OPEN_STATUSES, Case, ReplyTemplate, TemplateKind
from compassion.cases.views import assign_to, correct_message_theme, posted_theme, theme_saved
from compassion.core.access import (
    audit,
    audit_people_seen,
    get_for_office,
    record_id,
    require_edit,
    staff_required,
)
from compassion.core.forms import changed_fields
from compassion.core.models import AuditAction, Membership, Office, Person, Role
from compassion.core.themes import SENSITIVE_THEMES, Theme
from compassion.voices import analysis, intake, replies
from compassion.voices.forms import IntakeSettingsForm, NoteForm, OfficeSettingsForm
from compassion.voices.intake import retry_quarantined
from compassion.voices.models import (
    Attachment,
    Campaign,
    Channel,
    QuarantinedMessage,
    Voice,
)
from compassion.voices.parsing import ParseError, sanitise_html
from compassion.voices.sources import SourceError, check_office_mailbox

PAGE_SIZE = 50


def inbox_voices(request: HttpRequest, filters: dict[str, str]) -> QuerySet[Voice]:
    """The office's voices, urgent open ones first, then newest, with the filters applied."""
    voices = (
        Voice.objects.for_office(request.office)
        .visible_to(request.membership)
        .select_related("person", "case")
        .annotate(
            urgent_now=SqlCase(
                When(
                    Q(urgent=True) | Q(case__urgent=True),
                    case__status__in=OPEN_STATUSES,
                    then=1,
                ),
                default=0,
                output_field=IntegerField(),
            )
        )
        .order_by("-urgent_now", "-received_at")
    )
    if filters["channel"]:
        voices = voices.filter(channel=filters["channel"])
    if filters["theme"]:
        voices = voices.filter(theme=filters["theme"])
    if filters["urgent"]:
        voices = voices.filter(urgent_now=1)
    if filters["unread"]:
        voices = voices.filter(read_at__isnull=True)
    if filters["asks"]:
        voices = voices.filter(request_for_help=True)
    if filters["risk"]:
        voices = voices.possible_risk().order_by("-risk_score", "-received_at")
    if filters["review"]:
        voices = voices.filter(person__isnull=True, suggested_person__isnull=False)
    return voices


def read_filters(request: HttpRequest) -> dict[str, str]:
    channel = request.GET.get("channel", "")
    theme = request.GET.get("theme", "")
    return {
        "channel": channel if channel in Channel.values else "",
        "theme": theme if theme in Theme.values else "",
        "urgent": "1" if request.GET.get("urgent") else "",
        "unread": "1" if request.GET.get("unread") else "",
        "asks": "1" if request.GET.get("asks") else "",
        "risk": "1" if request.GET.get("risk") else "",
        "review": "1" if request.GET.get("review") else "",
    }


@staff_required()
def inbox(request: HttpRequest) -> HttpResponse:
    filters = read_filters(request)
    page = Paginator(inbox_voices(request, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    office_voices = Voice.objects.for_office(request.office).visible_to(request.membership)
    cases = Case.objects.for_office(request.office).visible_to(request.membership)
    today = timezone.localdate()
    figures = {
        "unread": office_voices.unread().count(),
        "risk_unread": office_voices.unread().possible_risk().count(),
        "urgent": cases.open().urgent().count(),
        "to_acknowledge": cases.unacknowledged().count(),
        "overdue": cases.acknowledgement_overdue(today).count(),
        "quarantined": QuarantinedMessage.objects.filter(
            office=request.office, released_at__isnull=True
        ).count(),
        "to_match": office_voices.filter(
            person__isnull=True, suggested_person__isnull=False
        ).count(),
    }
    query = "&".join(f"{key}={value}" for key, value in filters.items() if value)
    return render(
        request,
        "voices/inbox.html",
        {
            "page": page,
            "filters": filters,
            "query": query,
            "figures": figures,
            "channels": Channel.choices,
            "themes": Theme.choices,
            "intake": replies.intake_settings(request.office),
            "today": today,
        },
    )


@staff_required()
def voice_detail(request: HttpRequest, voice_id: int) -> HttpResponse:
    voice = get_for_office(
        Voice.objects.visible_to(request.membership).select_related(
            "person", "case", "campaign", "office"
        ),
        request,
        pk=voice_id,
    )
    audit(request, AuditAction.VIEW, voice, "Read the message", person=voice.person)
    if voice.read_at is None:  # an update, not a save: reading changes nothing searchable
        voice.read_at = timezone.now()
        Voice.objects.filter(pk=voice.pk).update(read_at=voice.read_at)
    thread = []
    days_left = None
    other_cases = list(
        intake.other_open_cases(voice).visible_to(request.membership)[: MOVE_CHOICES + 1]
    )
    if voice.case_id:
        shown = voice.case.voices.visible_to(request.membership)
        thread = list(shown.exclude(pk=voice.pk).order_by("received_at"))
        days_left = voice.case.acknowledgement_days_left(timezone.localdate())
    return render(
        request,
        "voices/voice.html",
        {
            "voice": voice,
            "suggested_person": visible_suggestion(voice, request.membership),
            "case": voice.case,
            "safe_html": sanitise_html(voice.body_html) if voice.body_html else "",
            "attachments": voice.attachments.all(),
            "thread": thread,
            "days_left": days_left,
            "days_overdue": -days_left if days_left is not None and days_left < 0 else 0,
            "case_url": case_url(voice.case),
            "theme_choices": Theme.choices,
            "theme_corrected": voice.theme_corrections.exists(),
            "other_cases": other_cases[:MOVE_CHOICES],
            "more_cases": len(other_cases) > MOVE_CHOICES,
        },
    )


def visible_suggestion(voice: Voice, membership: Membership) -> Person | None:
    """The person intake thinks may have sent the message, unless the user's role may not
    see them: their name and details are then left off the page."""
    if not voice.needs_match_review:
        return None
    return Person.objects.visible_to(membership).filter(pk=voice.suggested_person_id).first()


# How many of a person's other open cases, newest first, a message can be moved to.
MOVE_CHOICES = 50


def case_url(case: Case | None) -> str:
    """The case page, once the cases app provides one."""
    if case is None:
        return ""
    try:
        return reverse("cases:detail", args=[case.pk])
    except NoReverseMatch:
        return ""


@require_POST
@staff_required()
def move_to_case(request: HttpRequest, voice_id: int) -> HttpResponse:
    """File a follow-up that opened a case of its own under the person's case it belongs to."""
    require_edit(request)
    voice = get_for_office(
        Voice.objects.visible_to(request.membership).select_related("case"), request, pk=voice_id
    )
    targets = intake.other_open_cases(voice).visible_to(request.membership)
    target = targets.filter(pk=record_id(request.POST.get("case")) or 0).first()
    if target is None:
        messages.error(request, "Nothing was moved: choose one of their open cases.")
        return redirect("voices:voice", voice.pk)
    left = voice.case
    kept = intake.move_to_case(voice, target)
    analysis.mark_cases([voice])
    moved_from = f" from {left.reference}" if left else ""
    summary = f"Moved the message{moved_from} to {target.reference}"
    audit(request, AuditAction.CHANGE, voice, summary, person=voice.person)
    if kept is not None:
        messages.success(
            request,
            f"Moved to {target.reference}. {kept.reference} is kept: it "
            "holds other work; close it from its page when it is done.",
        )
    else:
        messages.success(request, f"Moved to {target.reference}.")
    return redirect("voices:voice", voice.pk)


@require_POST
@staff_required()
def acknowledge(request: HttpRequest, voice_id: int) -> HttpResponse:
    """Send the acknowledgement in one click; or record one given by letter or phone."""
    require_edit(request)
    voice = get_for_office(
        Voice.objects.select_related("case", "person", "office"), request, pk=voice_id
    )
    if voice.case is None:
        messages.error(
            request, "This message is not in a case, so there is nothing to acknowledge."
        )
        return redirect("voices:voice", voice.pk)
    with transaction.atomic():
        # The case row is locked until the email is sent and recorded, so that the same
        # button pressed twice at once (a double click) sends one acknowledgement.
        voice.case = Case.objects.select_for_update().get(pk=voice.case_id)
        if voice.case.acknowledged_at is not None:
            when = timezone.localtime(voice.case.acknowledged_at)
            messages.info(
                request,
                f"{voice.case.reference} was already acknowledged on {when:%-d %B at %H:%M}; "
                "nothing was sent twice.",
            )
            return redirect("voices:voice", voice.pk)
        return send_acknowledgement(request, voice)


def send_acknowledgement(request: HttpRequest, voice: Voice) -> HttpResponse:
    if request.POST.get("how") == "other" or not voice.sender_email:
        replies.mark_acknowledged(voice.case)
        audit(request, AuditAction.CHANGE, voice.case, "Recorded an acknowledgement", voice.person)
        messages.success(request, f"Recorded that {voice.case.reference} was acknowledged.")
        return redirect("voices:voice", voice.pk)
    kind = TemplateKind.REDIRECT if voice.out_of_area else TemplateKind.ACKNOWLEDGEMENT
    try:
        replies.send_to_voice(voice, kind, request.user)
    except Exception:  # noqa: BLE001 - any mail failure gets a plain message, nothing changes
        messages.error(
            request,
            "The email could not be sent (the mail server did not accept it). "
            "Nothing was changed; please try again in a few minutes.",
        )
        return redirect("voices:voice", voice.pk)
    audit(request, AuditAction.CHANGE, voice.case, "Sent the acknowledgement", voice.person)
    messages.success(request, f"Acknowledgement sent to {voice.sender_email}.")
    return redirect("voices:voice", voice.pk)


@require_POST
@staff_required()
def confirm_match(request: HttpRequest, voice_id: int) -> HttpResponse:
    """Settle an uncertain person match: the suggested person, or a new record."""
    require_edit(request)
    voice = get_for_office(
        Voice.objects.select_related("case", "suggested_person"), request, pk=voice_id
    )
    if not voice.needs_match_review:
        return redirect("voices:voice", voice.pk)
    from compassion.voices.intake import new_person

    if request.POST.get("answer") == "same":
        person = voice.suggested_person
        summary = "Confirmed the message is from a known person"
    else:
        person = new_person(request.office, voice.sender_name, voice.sender_email, voice.postcode)
        summary = "Recorded the sender as a new person"
    voice.person = person
    voice.suggested_person = None
    voice.save(update_fields=["person", "suggested_person"])
    if voice.case and voice.case.person_id is None:
        voice.case.person = person
        voice.case.save(update_fields=["person"])
    audit(request, AuditAction.CHANGE, voice, summary, person=person)
    messages.success(request, f"The message is now linked to {person}.")
    return redirect("voices:voice", voice.pk)


@require_POST
@staff_required()
def change_theme(request: HttpRequest, voice_id: int) -> HttpResponse:
    """Staff correct the lens's theme; the office's theme model learns from it. The first
    message of a case gives the case its theme, so the case follows (and its later messages
    filed under the case's theme, `Case.change_theme`)."""
    require_edit(request)
    voice = get_for_office(Voice.objects.select_related("case"), request, pk=voice_id)
    theme = posted_theme(request, voice)
    if theme is None:
        return redirect("voices:voice", voice.pk)
    correct_message_theme(request, voice, theme, person=voice.person)
    label = voice.get_theme_display()
    case = voice.case
    if case and case.first_voice() == voice and case.theme != theme:
        case.change_theme(theme)
        audit(
            request,
            AuditAction.CHANGE,
            case,
            f"Theme: {label}, from its first message",
            person=case.person,
        )
    messages.success(request, theme_saved(label))
    return redirect("voices:voice", voice.pk)


@staff_required()
def attachment(request: HttpRequest, attachment_id: int) -> HttpResponse:
    """Download an attachment: always as a download, never shown inside the page."""
    voices = Voice.objects.for_office(request.office).visible_to(request.membership)
    item = (
        Attachment.objects.select_related("voice", "voice__person")
        .filter(voice__in=voices, pk=attachment_id)
        .first()
    )
    if item is None or not item.file:
        raise Http404("Not found in your office.")
    audit(request, AuditAction.VIEW, item.voice, f"Opened {item.filename}", item.voice.person)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.filename)


@require_POST
@staff_required()
def check_mail(request: HttpRequest) -> HttpResponse:
    """Fetch new mail from the office's mailbox now, rather than waiting for the next poll."""
    require_edit(request)
    try:
        summary = check_office_mailbox(request.office)
    except SourceError as error:
        messages.error(request, f"Could not check the mail: {error}")
        return redirect("voices:inbox")
    if summary.imported or summary.quarantined:
        messages.success(request, f"Mail checked. {summary.line()}.")
    else:
        messages.success(request, "Mail checked: nothing new.")
    return redirect("voices:inbox")


@staff_required()
def quarantine_list(request: HttpRequest) -> HttpResponse:
    items = QuarantinedMessage.objects.filter(office=request.office).select_related("voice")
    waiting = items.filter(released_at__isnull=True)
    shown = Q(voice__isnull=True) | Q(voice__in=Voice.objects.visible_to(request.membership))
    released = items.filter(shown, released_at__isnull=False)[:20]
    return render(request, "voices/quarantine.html", {"waiting": waiting, "released": released})


@require_POST
@staff_required()
def quarantine_retry(request: HttpRequest, item_id: int) -> HttpResponse:
    require_edit(request)
    item = get_for_office(QuarantinedMessage.objects.all(), request, pk=item_id, released_at=None)
    accept = request.POST.get("accept") == "incomplete"
    try:
        voice = retry_quarantined(item, accept_incomplete=accept)
    except ParseError as error:
        messages.error(request, f"It still cannot be read: {error}")
        return redirect("voices:quarantine")
    if voice is None:
        messages.success(request, "That message was already in the inbox; it has left quarantine.")
        return redirect("voices:quarantine")
    analysis.analyse([voice])
    audit(request, AuditAction.CREATE, voice, "Released a message from quarantine", voice.person)
    messages.success(
        request,
        "The message was read and is now in the inbox. Nothing was sent to the sender: "
        "if it is genuine, acknowledge it here.",
    )
    return redirect("voices:voice", voice.pk)


@require_POST
@staff_required()
def quarantine_delete(request: HttpRequest, item_id: int) -> HttpResponse:
    """Delete, for good, what is waiting in quarantine: spam, or a file that is not a
    message at all. The audit log keeps that it was deleted, not what it held."""
    require_edit(request)
    item = get_for_office(QuarantinedMessage.objects.all(), request, pk=item_id, released_at=None)
    audit(request, AuditAction.DELETE, item, f"Deleted from quarantine: {item.source}")
    item.raw.delete(save=False)
    item.delete()
    messages.success(request, f"Deleted {item.source} from quarantine.")
    return redirect("voices:quarantine")


@staff_required(Role.LEADER, Role.MANAGER, Role.CASEWORKER)
def quarantine_raw(request: HttpRequest, item_id: int) -> HttpResponse:
    """The original bytes, as a download, for a person to inspect."""
    item = get_for_office(QuarantinedMessage.objects.all(), request, pk=item_id)
    name = f"quarantined-{item.pk}.{'msg' if item.kind == 'outlook' else 'eml'}"
    person = item.voice.person if item.voice else None
    audit(request, AuditAction.EXPORT, item, f"Downloaded the original of {item.source}", person)
    return FileResponse(item.raw.open("rb"), as_attachment=True, filename=name)


@staff_required()
def new_note(request: HttpRequest) -> HttpResponse:
    """Record a phone call, a letter or a surgery visit as a voice."""
    require_edit(request)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        voice = form.save(request)
        if voice is None:
            messages.warning(request, "That note was already recorded; nothing was added twice.")
            return redirect("voices:inbox")
        analysis.analyse([voice])
        audit(request, AuditAction.CREATE, voice, "Recorded a note", voice.person)
        case = voice.case
        opened_by_this_call = case.opened_at == voice.received_at and case.voices.count() == 1
        if case.assigned_to_id is None and opened_by_this_call:
            # Held by whoever took the call, so no urgent call waits in a case nobody holds.
            assign_to(request, case, request.user)
            messages.success(
                request, f"Recorded in a new case, {case.reference}, which is now yours."
            )
        else:
            messages.success(request, f"Recorded in case {case.reference}.")
        return redirect("voices:voice", voice.pk)
    return render(request, "voices/note.html", {"form": form})


@staff_required()
def campaigns(request: HttpRequest) -> HttpResponse:
    found = (
        visible_campaigns(request)
        .annotate(
            signatories=Count("voices", distinct=True),
            personal=Count("voices", filter=~Q(voices__personal_lines=""), distinct=True),
            replied=Count("replies", distinct=True),
        )
        .order_by("-first_seen_at")
    )
    return render(request, "voices/campaigns.html", {"campaigns": found})


def visible_campaigns(request: HttpRequest) -> QuerySet[Campaign]:
    """The office's campaigns; for a role that does not see sensitive casework, not those
    whose theme reveals special-category data (a campaign about NHS waits quotes health)."""
    found = Campaign.objects.filter(office=request.office)
    if request.membership.sees_sensitive_casework:
        return found
    return found.exclude(theme__in=SENSITIVE_THEMES)


@staff_required()
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_for_office(visible_campaigns(request), request, pk=campaign_id)
    voices = campaign.voices.select_related("person")
    settings = replies.intake_settings(request.office)
    replies.seed_default_templates(request.office)
    templates = ReplyTemplate.objects.filter(
        office=request.office, kind=TemplateKind.CAMPAIGN, is_current=True
    )
    template = choose_template(request, templates)
    if request.method == "POST":
        require_edit(request)
        if template is None:
            messages.error(request, "Choose the reply to send.")
        else:
            result = replies.send_campaign_reply(
                campaign, template, request.user, settings.campaign_guard_days
            )
            audit(
                request, AuditAction.CHANGE, campaign, f"Sent the campaign reply to {result.sent}"
            )
            say = messages.warning if result.mail_refused else messages.success
            say(request, bulk_message(result, settings.campaign_guard_days))
            return redirect("voices:campaign", campaign.pk)
    shown = voices.visible_to(request.membership)
    personal = list(shown.exclude(personal_lines="").order_by("-received_at")[:50])
    sample = shown.filter(sender_email__gt="").order_by("received_at", "pk").first()
    preview = None
    if template and sample:
        preview = replies.write_letter(
            template, replies.merge_values(request.office, sample.person, sample, sample.case)
        )
    seen = [voice.person for voice in personal] + [sample.person if preview else None]
    audit_people_seen(request, campaign, seen, "Saw their words or details on the campaign page")
    return render(
        request,
        "voices/campaign.html",
        {
            "campaign": campaign,
            "signatories": voices.count(),
            "with_email": voices.filter(sender_email__gt="").count(),
            "personal": personal,
            "personal_count": voices.exclude(personal_lines="").count(),
            "replied": campaign.replies.count(),
            "templates": templates,
            "template": template,
            "preview": preview,
            "guard_days": settings.campaign_guard_days,
        },
    )


def choose_template(
    request: HttpRequest, templates: QuerySet[ReplyTemplate]
) -> ReplyTemplate | None:
    chosen = record_id(request.POST.get("template") or request.GET.get("template"))
    if chosen:
        return templates.filter(pk=chosen).first()
    return templates.first()


def bulk_message(result: replies.BulkResult, guard_days: int) -> str:
    replies_sent = (
        "1 personalised reply" if result.sent == 1 else f"{result.sent} personalised replies"
    )
    parts = [f"Sent {replies_sent}."]
    if result.mail_refused:
        parts.append(
            "Then the mail server did not accept the messages, so the rest were not sent: "
            "send it again in a few minutes (nobody already sent it gets it twice)."
        )
    if result.skipped_recently:
        parts.append(
            f"{people(result.skipped_recently)} not sent it again: they had this reply "
            f"within the last {guard_days} days."
        )
    if result.no_email:
        parts.append(f"{result.no_email} wrote without an email address: reply to them by post.")
    return " ".join(parts)


def people(count: int) -> str:
    return "1 person was" if count == 1 else f"{count} people were"


@staff_required(Role.LEADER, Role.MANAGER)
def intake_settings(request: HttpRequest) -> HttpResponse:
    settings = replies.intake_settings(request.office)
    form = IntakeSettingsForm(request.POST or None, instance=settings)
    office = Office.objects.get(pk=request.office.pk)  # the page's figures stay as saved
    office_form = OfficeSettingsForm(request.POST or None, instance=office, prefix="office")
    if request.method == "POST" and all([form.is_valid(), office_form.is_valid()]):
        form.save()
        if office_form.has_changed():
            office_form.save()
            changed = changed_fields(office_form)
            audit(request, AuditAction.CHANGE, office, f"Changed the office's settings: {changed}")
        messages.success(request, "Settings saved.")
        return redirect("voices:inbox")
    context = {
        "form": form,
        "office_form": office_form,
        "intake": settings,
        "templates_url": url_or_blank("cases:templates"),
    }
    return render(request, "voices/settings.html", context)


def url_or_blank(name: str) -> str:
    """A page of another app, once that app provides it."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""
