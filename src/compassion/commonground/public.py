"""The public pages: citizens vote and add statements without an account; the shared report.

A participant is a random token in a signed cookie (one per conversation). Where the office
asks for it, they first confirm an email address by a link; only a keyed hash of it is kept.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.mail import send_mail
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from compassion.commonground import analysis, ratelimit
from compassion.commonground.forms import EmailForm, StatementForm
from compassion.commonground.models import (
    SESSION_HOURS,
    Conversation,
    Invitation,
    Moderation,
    Participant,
    Statement,
    StatementStatus,
    Vote,
    VoteChoice,
    WhoCanVote,
    email_hash,
)
from compassion.core.access import record_id
from compassion.core.mail import MAIL_FAILURES

COOKIE_SALT = "commonground.participant"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60
VERIFY_SALT = "commonground.verify"
VERIFY_MAX_AGE = 3 * 24 * 60 * 60
CHOICES = {"agree": VoteChoice.AGREE, "disagree": VoteChoice.DISAGREE, "pass": VoteChoice.PASS}


def public_conversation(office_slug: str, slug: str) -> Conversation:
    return get_object_or_404(
        Conversation.objects.select_related("office"), office__slug=office_slug, slug=slug
    )


def cookie_name(conversation: Conversation) -> str:
    return f"hys{conversation.pk}"


def current_participant(request: HttpRequest, conversation: Conversation) -> Participant | None:
    token = request.get_signed_cookie(cookie_name(conversation), default=None, salt=COOKIE_SALT)
    if not token:
        return None
    return Participant.objects.filter(conversation=conversation, token=token).first()


def remember(response: HttpResponse, participant: Participant) -> HttpResponse:
    response.set_signed_cookie(
        cookie_name(participant.conversation),
        participant.token,
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        path="/have-your-say/",
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def page_url(conversation: Conversation) -> str:
    return reverse("haveyoursay:conversation", args=[conversation.office.slug, conversation.slug])


@require_http_methods(["GET", "POST"])
def have_your_say(request: HttpRequest, office_slug: str, slug: str) -> HttpResponse:
    """The voting page. A POST is a vote; htmx requests get the statement card back, and the
    status line that tells screen readers whether the vote was recorded."""
    conversation = public_conversation(office_slug, slug)
    participant = current_participant(request, conversation)
    new_participant = None
    recorded, notice = None, ""
    if request.method == "POST":
        if participant is None and voting_state(conversation, None) == "vote":
            participant = new_participant = Participant.objects.create(conversation=conversation)
        recorded, notice = record_vote(request, conversation, participant)
        if not request.htmx:
            if notice:
                messages.warning(request, notice)
            else:
                messages.success(request, recorded_message(recorded))
            response = redirect(page_url(conversation))
            return remember(response, new_participant) if new_participant else response
    done = recorded_message(recorded) if recorded else ""
    context = page_context(conversation, participant) | {"notice": notice, "recorded": done}
    template = "commonground/_vote_swap.html" if request.htmx else "commonground/vote.html"
    response = render(request, template, context)
    return remember(response, new_participant) if new_participant else response


def page_context(conversation: Conversation, participant: Participant | None) -> dict:
    """What the voting page shows this participant (htmx's card needs only part of it)."""
    votes = my_votes(participant)
    return {
        "conversation": conversation,
        "office": conversation.office,  # named in the page's header
        "participant": participant,
        "routing": analysis.next_for(participant, conversation),
        "session_hours": SESSION_HOURS,
        "state": voting_state(conversation, participant),
        "statement_form": StatementForm(),
        "email_form": EmailForm(needs_postcode=needs_postcode(conversation)),
        "my_votes": votes,
        "last_vote": votes[0] if votes else None,  # a mis-tapped vote can be changed at once
        "vote_choices": [(name, c.value, c.label) for name, c in CHOICES.items()],
    }


def my_votes(participant: Participant | None) -> list[Vote]:
    """The participant's votes on statements still shown, latest first, so they can change one."""
    if participant is None:
        return []
    votes = participant.votes.filter(statement__status=StatementStatus.ACCEPTED)
    return list(votes.select_related("statement").order_by("-updated_at"))


@require_POST
def forget(request: HttpRequest, office_slug: str, slug: str) -> HttpResponse:
    """Remove this device's participant and every vote they cast (their statements stay)."""
    conversation = public_conversation(office_slug, slug)
    participant = current_participant(request, conversation)
    if participant is not None:
        participant.delete()
        conversation.touch()
    messages.success(request, "Your votes have been removed from this conversation.")
    response = redirect(page_url(conversation))
    response.delete_cookie(cookie_name(conversation), path="/have-your-say/")
    return response


def voting_state(conversation: Conversation, participant: Participant | None) -> str:
    """One of: closed, confirm (an email must be confirmed first), vote."""
    if not conversation.is_open():
        return "closed"
    if conversation.requires_verification() and not (participant and participant.is_verified):
        return "confirm"
    return "vote"


def record_vote(
    request: HttpRequest, conversation: Conversation, participant: Participant | None
) -> tuple[Vote | None, str]:
    """Store the vote (a second vote on a statement replaces the first); return it, or a
    plain sentence saying why it could not be stored."""
    state = voting_state(conversation, participant)
    if state == "closed":
        return None, "This conversation is not open for votes."
    if state == "confirm" or participant is None:
        return None, "Please confirm your email address before voting."
    choice = CHOICES.get(request.POST.get("vote", ""))
    number = request.POST.get("statement", "")
    statement = None
    if record_id(number):
        statement = conversation.accepted_statements().filter(number=record_id(number)).first()
    if choice is None or statement is None:
        return None, "That vote could not be recorded: the statement may have been withdrawn."
    if ratelimit.over_limit(request, "vote", participant.token):
        return None, ratelimit.MESSAGES["vote"]
    changing = participant.votes.filter(statement=statement).exists()
    if not changing and participant.votes_this_session() >= conversation.session_cap:
        return None, "You have voted on as many statements as one visit allows."
    return participant.cast(statement, choice), ""


def recorded_message(vote: Vote) -> str:
    return f"Your vote is recorded: {vote.get_value_display()}."


def already_there(statement: Statement) -> str:
    if statement.status == StatementStatus.PENDING:
        return (
            "Someone has already added that statement. It is waiting to be checked, "
            "and you can vote on it once it is shown."
        )
    return "That statement is already in the conversation: you can vote on it."


@require_POST
def add_statement(request: HttpRequest, office_slug: str, slug: str) -> HttpResponse:
    conversation = public_conversation(office_slug, slug)
    participant = current_participant(request, conversation)
    form = StatementForm(request.POST)
    problem = not_taken = statement_problem(conversation, participant)
    new_participant = None
    if not problem and form.is_valid():
        if participant is None:
            participant = new_participant = Participant.objects.create(conversation=conversation)
        if ratelimit.over_limit(request, "statement", participant.token):
            problem = ratelimit.MESSAGES["statement"]
        elif same := conversation.statement_like(form.cleaned_data["text"]):
            problem = already_there(same)
        else:
            save_statement(conversation, participant, form.cleaned_data["text"])
            form = StatementForm()
    context = {
        "conversation": conversation,
        "statement_form": form,
        "added": form.is_bound is False,
        "problem": problem,
    }
    if request.htmx:
        response = render(request, "commonground/_add_statement.html", context)
    elif context["added"]:
        messages.success(request, added_message(conversation))
        response = redirect(page_url(conversation))
    elif not_taken:  # no statement can be added here, so the page has no form to return to
        messages.error(request, problem)
        response = redirect(page_url(conversation))
    else:  # the whole page again, with the problem beside what they wrote
        page = page_context(conversation, participant) | context
        response = render(request, "commonground/vote.html", page, status=400)
    return remember(response, new_participant) if new_participant else response


def statement_problem(conversation: Conversation, participant: Participant | None) -> str:
    if not conversation.participants_can_add:
        return "This conversation does not take new statements."
    if not conversation.is_open():
        return "This conversation is not open."
    if conversation.requires_verification() and not (participant and participant.is_verified):
        return "Please confirm your email address before adding a statement."
    return ""


def save_statement(conversation: Conversation, participant: Participant, text: str) -> None:
    shown = conversation.moderation == Moderation.AFTER
    conversation.add_statement(
        text,
        author=participant,
        status=StatementStatus.ACCEPTED if shown else StatementStatus.PENDING,
    )


def added_message(conversation: Conversation) -> str:
    if conversation.moderation == Moderation.AFTER:
        return "Thank you: your statement is now in the conversation."
    return "Thank you: your statement will appear once the office has checked it."


def needs_postcode(conversation: Conversation) -> bool:
    return conversation.who_can_vote == WhoCanVote.CONSTITUENTS


@require_POST
def request_confirmation(request: HttpRequest, office_slug: str, slug: str) -> HttpResponse:
    """Send a confirmation link to the address given (constituents also give a postcode)."""
    conversation = public_conversation(office_slug, slug)
    form = EmailForm(request.POST, needs_postcode=needs_postcode(conversation))
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
            break
        return redirect(page_url(conversation))
    postcode = form.cleaned_data.get("postcode", "")
    if needs_postcode(conversation) and not conversation.office.covers_postcode(postcode):
        messages.error(
            request,
            "That postcode is not in the area this office serves, so this conversation is not "
            "open to you. If you think that is wrong, please contact the office.",
        )
        return redirect(page_url(conversation))
    email = form.cleaned_data["email"]
    if ratelimit.over_limit(request, "email", email_hash(email)):
        messages.error(request, ratelimit.MESSAGES["email"])
        return redirect(page_url(conversation))
    token = signing.dumps(
        {"c": conversation.pk, "e": email_hash(email), "p": postcode.upper().split(" ")[0]},
        salt=VERIFY_SALT,
    )
    link = request.build_absolute_uri(
        reverse("haveyoursay:confirm", args=[conversation.office.slug, conversation.slug, token])
    )
    try:
        send_mail(
            f"Confirm your email to take part: {conversation.title}",
            f"Open this link to take part in “{conversation.question}”:\n\n{link}\n\n"
            "The link works for three days. If you did not ask for it, ignore this email.\n"
            f"{conversation.office.name}",
            None,
            [email],
        )
    except MAIL_FAILURES:
        messages.error(
            request,
            "Sorry, we could not send the email just now. Please try again in a few minutes.",
        )
        return redirect(page_url(conversation))
    messages.success(
        request, f"We have sent a link to {email}. Open it on this device to start voting."
    )
    return redirect(page_url(conversation))


def confirm(request: HttpRequest, office_slug: str, slug: str, token: str) -> HttpResponse:
    """The link from the email: the participant is confirmed (or found again, on a new device)."""
    conversation = public_conversation(office_slug, slug)
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.BadSignature:
        messages.error(request, "That link has expired or is not complete. Ask for a new one.")
        return redirect(page_url(conversation))
    if data.get("c") != conversation.pk:
        raise Http404("That link belongs to another conversation.")
    participant = Participant.objects.filter(
        conversation=conversation, email_hash=data["e"]
    ).first()
    if participant is None:
        participant = current_participant(request, conversation)
        if participant is None or participant.email_hash:
            participant = Participant(conversation=conversation)
        participant.email_hash = data["e"]
        participant.postcode_district = data.get("p", "")[:8]
        participant.verified_at = timezone.now()
        participant.save()
    messages.success(request, "Thank you, your email address is confirmed. You can vote now.")
    return remember(redirect(page_url(conversation)), participant)


def invitation(request: HttpRequest, office_slug: str, slug: str, token: str) -> HttpResponse:
    """A one-time link from the office: the person opening it is a confirmed participant."""
    conversation = public_conversation(office_slug, slug)
    found = Invitation.objects.filter(conversation=conversation, token=token).first()
    current = current_participant(request, conversation)
    if found is None:
        messages.error(request, "That invitation link is not complete or not valid.")
        return redirect(page_url(conversation))
    if found.used_at is not None:
        if current is None or found.participant_id != current.pk:
            messages.error(
                request,
                "That invitation link has already been used: each link is for one person. "
                "If it was yours, open it on the device you used first, or contact the office.",
            )
        return redirect(page_url(conversation))
    participant = current or Participant.objects.create(conversation=conversation)
    found.accept(participant)
    messages.success(request, "Welcome: your invitation is confirmed. You can vote now.")
    return remember(redirect(page_url(conversation)), participant)


def report(request: HttpRequest, office_slug: str, slug: str) -> HttpResponse:
    """The results page the office shares; only once it chooses to publish it."""
    conversation = public_conversation(office_slug, slug)
    if not conversation.report_published:
        raise Http404("This report is not published.")
    return render(
        request,
        "commonground/report.html",
        {
            "conversation": conversation,
            "office": conversation.office,
            "results": analysis.results_for(conversation),
            "min_group_size": analysis.min_group_size(),
        },
    )
