"""Staff pages: run a conversation, moderate its statements, read its results."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from compassion.commonground import analysis
from compassion.commonground.forms import (
    ConversationForm,
    InvitationForm,
    NewConversationForm,
    PolisImportForm,
    StatementForm,
)
from compassion.commonground.models import Conversation, Invitation, Statement, StatementStatus
from compassion.commonground.polis_import import PolisImportError, export_zip, import_uploads
from compassion.core.access import audit, get_for_office, require_edit, staff_required
from compassion.core.models import AuditAction
from compassion.core.once import taken_once

MODERATION_ACTIONS = {
    "accept": StatementStatus.ACCEPTED,
    "reject": StatementStatus.REJECTED,
    "pending": StatementStatus.PENDING,
}


@staff_required()
def conversation_list(request: HttpRequest) -> HttpResponse:
    conversations = list(Conversation.objects.for_office(request.office))
    for conversation in conversations:
        conversation.figures = {
            "participants": conversation.participants.filter(votes__isnull=False)
            .distinct()
            .count(),
            "votes": conversation.votes().count(),
            "statements": conversation.accepted_statements().count(),
            "pending": conversation.statements.filter(status=StatementStatus.PENDING).count(),
        }
    return render(request, "commonground/list.html", {"conversations": conversations})


@staff_required()
@taken_once
def conversation_new(request: HttpRequest) -> HttpResponse:
    require_edit(request)
    form = NewConversationForm(request.POST or None, office=request.office)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            conversation = form.save(commit=False)
            conversation.office = request.office
            conversation.created_by = request.user
            conversation.save()
            for text in form.cleaned_data["seed_statements"]:
                conversation.add_statement(
                    text,
                    status=StatementStatus.ACCEPTED,
                    is_seed=True,
                    moderated_at=timezone.now(),
                    moderated_by=request.user,
                )
        audit(request, AuditAction.CREATE, conversation, f"Started “{conversation.title}”")
        messages.success(request, "The conversation is ready. Share its public link to start.")
        return redirect("commonground:detail", conversation.pk)
    return render(request, "commonground/form.html", {"form": form, "conversation": None})


@staff_required()
def conversation_edit(request: HttpRequest, conversation_id: int) -> HttpResponse:
    require_edit(request)
    conversation = get_for_office(Conversation.objects, request, pk=conversation_id)
    form = ConversationForm(request.POST or None, instance=conversation, office=request.office)
    if request.method == "POST" and form.is_valid():
        form.save()
        conversation.touch()
        audit(request, AuditAction.CHANGE, conversation, "Changed the conversation's settings")
        messages.success(request, "Saved.")
        return redirect("commonground:detail", conversation.pk)
    return render(request, "commonground/form.html", {"form": form, "conversation": conversation})


@staff_required()
def conversation_detail(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """The results: opinion map, groups, bridging statements and the summary.

    The results part refreshes itself (htmx) while the conversation is open.
    """
    conversation = get_for_office(Conversation.objects, request, pk=conversation_id)
    context = {
        "conversation": conversation,
        "results": analysis.results_for(conversation),
        "min_group_size": analysis.min_group_size(),
        "pending": conversation.statements.filter(status=StatementStatus.PENDING).count(),
        "public_url": request.build_absolute_uri(
            reverse("haveyoursay:conversation", args=[request.office.slug, conversation.slug])
        ),
        "report_url": request.build_absolute_uri(
            reverse("haveyoursay:report", args=[request.office.slug, conversation.slug])
        ),
    }
    template = "commonground/detail.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@staff_required()
def statements(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Moderation: the queue of new statements first, then every statement."""
    conversation = get_for_office(Conversation.objects, request, pk=conversation_id)
    form = StatementForm(request.POST or None)
    if request.method == "POST":
        require_edit(request)
        if form.is_valid():
            if conversation.statement_like(form.cleaned_data["text"]):
                form.add_error("text", "That statement is already in the conversation.")
            else:
                statement = conversation.add_statement(
                    form.cleaned_data["text"],
                    status=StatementStatus.ACCEPTED,
                    is_seed=True,
                    moderated_at=timezone.now(),
                    moderated_by=request.user,
                )
                audit(request, AuditAction.CREATE, statement, f"Added #{statement.number}")
                messages.success(request, f"Added #{statement.number}.")
                return redirect("commonground:statements", conversation.pk)
    rows = list(conversation.statements.annotate(n_votes=Count("votes")).order_by("number"))
    if not request.membership.can_edit:
        hide_unpublished_personal_details(rows)
    return render(
        request,
        "commonground/statements.html",
        {
            "conversation": conversation,
            "pending": [s for s in rows if s.status == StatementStatus.PENDING],
            "rows": rows,
            "form": form,
        },
    )


def hide_unpublished_personal_details(rows: list[Statement]) -> None:
    """A participant trusts the moderators with what they wrote: a read-only role, who cannot
    moderate, reads a statement that voters have not seen with its personal details blanked
    out ("ring me on [PHONE]")."""
    from compassion import lens  # loads its models on import; only this page needs it here

    for statement in rows:
        if statement.status != StatementStatus.ACCEPTED:
            statement.text = lens.redact(statement.text)


@require_POST
@staff_required()
def moderate(request: HttpRequest, conversation_id: int, number: int) -> HttpResponse:
    """Accept, reject or re-queue a statement, mark it meta, or set its priority."""
    require_edit(request)
    conversation = get_for_office(Conversation.objects, request, pk=conversation_id)
    statement = conversation.statements.filter(number=number).first()
    if statement is None:
        messages.error(request, f"There is no statement #{number} in this conversation.")
        return redirect("commonground:statements", conversation.pk)
    problem = apply_moderation(statement, request)
    if problem:
        messages.error(request, problem)
    else:
        conversation.touch()
        audit(request, AuditAction.CHANGE, statement, f"Moderated #{statement.number}")
    if request.htmx and not problem:
        statement.n_votes = statement.votes.count()
        part = "queue_item" if request.POST.get("from") == "queue" else "row"
        return render(
            request,
            f"commonground/statements.html#{part}",
            {"conversation": conversation, "statement": statement, "saved": True},
        )
    return redirect("commonground:statements", conversation.pk)


def apply_moderation(statement: Statement, request: HttpRequest) -> str:
    """Change the statement as the form asks; return a plain sentence if it cannot."""
    action = request.POST.get("action", "")
    if action in MODERATION_ACTIONS:
        statement.status = MODERATION_ACTIONS[action]
        statement.moderated_at = timezone.now()
        statement.moderated_by = request.user
    elif action == "priority":
        value = request.POST.get("priority", "").strip()
        if value and not (value.isdigit() and 1 <= int(value) <= 999):
            return "A priority is a whole number from 1 (shown first) to 999, or empty for none."
        statement.priority = int(value) if value else None
    elif action == "meta":
        statement.is_meta = request.POST.get("is_meta") == "1"
    else:
        return "That change is not one this page knows how to make."
    statement.save()
    return ""


@staff_required()
def polis_import(request: HttpRequest) -> HttpResponse:
    """Bring in a Pol.is export (its CSV files) as a new conversation."""
    require_edit(request)
    form = PolisImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            imported = import_uploads(
                request.office,
                {name: data.get(name) for name in ("comments", "votes", "participants_votes")},
                title=data["title"],
                question=data["question"],
                source=data["source"],
                user=request.user,
            )
        except PolisImportError as error:
            form.add_error(None, str(error))
        else:
            conversation = imported.conversation
            audit(request, AuditAction.CREATE, conversation, "Imported a Pol.is export")
            messages.success(request, "Imported. The results below come from the imported votes.")
            if imported.report():
                messages.warning(request, imported.report())
            return redirect("commonground:detail", conversation.pk)
    return render(request, "commonground/import.html", {"form": form})


@staff_required()
def polis_export(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Every statement with its votes, unmoderated and rejected ones too, in full (so not for
    read-only roles, who see those only with personal details blanked out)."""
    conversation = get_for_office(Conversation.objects, request, pk=conversation_id)
    require_edit(request)
    audit(request, AuditAction.EXPORT, conversation, "Downloaded the votes as a Pol.is export")
    response = HttpResponse(export_zip(conversation), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{conversation.slug}-polis.zip"'
    return response


@staff_required()
@taken_once
def invitations(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """One-time invitation links to send to constituents the office already knows."""
    conversation = get_for_office(Conversation.objects, request, pk=conversation_id)
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        require_edit(request)
        if form.is_valid():
            count = form.cleaned_data["count"]
            Invitation.objects.bulk_create(
                [
                    Invitation(conversation=conversation, created_by=request.user)
                    for _ in range(count)
                ]
            )
            audit(request, AuditAction.CREATE, conversation, f"Made {count} invitation links")
            messages.success(request, f"Made {count} invitation links. Download them below.")
            return redirect("commonground:invitations", conversation.pk)
    made = conversation.invitations.count()
    used = conversation.invitations.filter(used_at__isnull=False).count()
    return render(
        request,
        "commonground/invitations.html",
        {"conversation": conversation, "form": form, "made": made, "unused": made - used},
    )


@staff_required()
def invitations_csv(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """The unused links, one a row, for a mail merge (each lets one person vote, so not for
    read-only roles)."""
    conversation = get_for_office(Conversation.objects, request, pk=conversation_id)
    require_edit(request)
    audit(request, AuditAction.EXPORT, conversation, "Downloaded the unused invitation links")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{conversation.slug}-invitations.csv"'
    writer = csv.writer(response)
    writer.writerow(["invitation link", "made"])
    unused = conversation.invitations.filter(used_at__isnull=True).order_by("pk")
    for invitation in unused:
        path = reverse(
            "haveyoursay:invitation",
            args=[request.office.slug, conversation.slug, invitation.token],
        )
        writer.writerow([request.build_absolute_uri(path), f"{invitation.created_at:%Y-%m-%d}"])
    return response
