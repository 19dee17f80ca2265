import re
from datetime import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Replace
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import require_POST

from compassion.cases.models import Case
from compassion.cases.search import index_case
from compassion.cases.views import due_from_me, my_reminders
from compassion.core.access import audit, get_for_office, record_id, require_edit, staff_required
from compassion.core.auditlog import AuditFilterForm, describe_records, filtered_entries
from compassion.core.forms import PersonForm, changed_fields, posted_text
from compassion.core.merging import (
    UNDO_DAYS,
    Undone,
    forget_old_merges,
    merge_records,
    undo_merge,
    undoable_merges,
)
from compassion.core.models import (
    AuditAction,
    Membership,
    Person,
    PersonQuerySet,
    Role,
)
from compassion.voices.models import Voice

URGENT_ON_HOME = 8  # the rest are one link away, in the case list


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and feed readers ask for /favicon.ico without a link to it."""
    return redirect(static("compassion/favicon.png"))


def greeting(now: datetime) -> str:
    if now.hour < 12:
        return "Good morning"
    if now.hour < 18:
        return "Good afternoon"
    return "Good evening"


@staff_required()
def home(request: HttpRequest) -> HttpResponse:
    """The figures that matter this morning, straight from the database: of what the role
    sees, so that each figure opens a list of as many. Those who take on casework also see
    their own: cases assigned to them, and what is due from them by today."""
    today = timezone.localdate()
    office_cases = Case.objects.for_office(request.office)
    cases = office_cases.visible_to(request.membership)
    open_cases = cases.open()
    unread = Voice.objects.for_office(request.office).visible_to(request.membership).unread()
    figures = {
        "open_cases": open_cases.count(),
        "overdue_acknowledgements": cases.acknowledgement_overdue(today).count(),
        "urgent_open": open_cases.urgent().count(),
        "unread_voices": unread.count(),
        "unread_possible_risks": unread.possible_risk().count(),
    }
    listed = open_cases.urgent()
    hidden = 0
    if not request.membership.sees_sensitive_casework:
        hidden = office_cases.open().urgent().count() - figures["urgent_open"]
    context = {
        "greeting": greeting(timezone.localtime()),
        "figures": figures,
        "urgent_cases": listed.select_related("person", "assigned_to").order_by(
            F("assigned_to").asc(nulls_first=True), "opened_at"
        )[:URGENT_ON_HOME],
        "urgent_listed": figures["urgent_open"],
        "urgent_not_listed": hidden,
    }
    if request.membership.can_edit:
        mine = open_cases.filter(assigned_to=request.user)
        context["my_figures"] = {
            "open_cases": mine.count(),
            "campaign_letters": mine.filter(campaign__isnull=False).count(),
            "due": cases.filter(due_from_me(request)).count(),
        }
        context["reminders"] = my_reminders(request)
    return render(request, "core/home.html", context)


@staff_required()
def people(request: HttpRequest) -> HttpResponse:
    query = posted_text(request.GET, "q")
    found = (
        Person.objects.for_office(request.office)
        .visible_to(request.membership)
        .order_by("last_name", "first_name")
    )
    if query:
        found = matching_people(found, query)
    page = Paginator(with_contact_summary(found, request.membership), 50).get_page(
        request.GET.get("page")
    )
    if query and request.GET.get("page", "1") == "1":  # a search shows who is on record
        summary = f"Searched people for “{query[:200]}” ({page.paginator.count} found)"
        audit(request, AuditAction.VIEW, request.office, summary)
    querystring = urlencode({"q": query}) if query else ""
    context = {"page": page, "query": query, "querystring": querystring}
    return render(request, "core/people.html", context)


PHONE_NUMBER = re.compile(r"[\d\s()+-]{6,}")


def matching_people(people: PersonQuerySet, query: str) -> PersonQuerySet:
    """People whose details hold every word of the query ("Joan Smith", "NB1 2AB", "nb12ab",
    "obrien" or "O’Brien" for "O'Brien"); a phone number matches however it was written down ("07700
    900123", "+44 7700900123")."""
    if PHONE_NUMBER.fullmatch(query):
        digits = re.sub(r"\D", "", query).lstrip("0").removeprefix("44")
        return people.annotate(phone_digits=digits_only("phone")).filter(
            phone_digits__contains=digits
        )
    people = people.annotate(
        postcode_unspaced=without("postcode", " "),
        first_name_plain=without("first_name", *APOSTROPHES),
        last_name_plain=without("last_name", *APOSTROPHES),
    )
    for word in query.split():
        plain = re.sub(f"[{''.join(APOSTROPHES)}]", "", word)
        people = people.filter(
            Q(email__icontains=word)
            | Q(postcode_unspaced__icontains=word)
            | Q(first_name_plain__icontains=plain)
            | Q(last_name_plain__icontains=plain)
        )
    return people


APOSTROPHES = ("'", "’", "‘", "`")


def without(field: str, *marks: str) -> Replace:
    """The field with `marks` taken out: a name with no apostrophes matches "O'Brien",
    "O’Brien" and "obrien" alike; a postcode with no space matches "nb12ab"."""
    expression: F | Replace = F(field)
    for mark in marks:
        expression = Replace(expression, Value(mark), Value(""))
    return expression


def digits_only(field: str) -> Replace:
    """The field without the spaces, dashes, brackets and plus signs of a phone number."""
    return without(field, " ", "-", "(", ")", "+")


def with_contact_summary(people: PersonQuerySet, membership: Membership) -> PersonQuerySet:
    """Each person's open cases (those the role sees) and when they last wrote or rang.
    Subqueries, so only the page of people shown is counted."""
    open_cases = (
        Case.objects.filter(person=OuterRef("pk"))
        .open()
        .visible_to(membership)
        .order_by()
        .values("person")
        .annotate(total=Count("pk"))
        .values("total")
    )
    last_voice = (
        Voice.objects.filter(person=OuterRef("pk")).visible_to(membership).order_by("-received_at")
    )
    return people.annotate(
        open_cases=Coalesce(Subquery(open_cases), 0),
        last_in_touch=Subquery(last_voice.values("received_at")[:1]),
    )


@staff_required()
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    visible = Person.objects.not_erased().visible_to(request.membership)
    person = get_for_office(visible, request, pk=person_id)
    audit(request, AuditAction.VIEW, person, "Opened the person's record")
    cases = person.cases.visible_to(request.membership).order_by("-opened_at")
    consents = person.consents.all()[:20]
    duplicates = []
    if request.membership.can_edit:
        found = person.possible_duplicates().not_erased().visible_to(request.membership)
        duplicates = list(with_contact_summary(found, request.membership)[:5])
    merges = undoable_merges(person, timezone.now()) if request.membership.can_edit else []
    context = {
        "person": person,
        "cases": cases,
        "consents": consents,
        "duplicates": duplicates,
        "merges": merges,
        "undo_days": UNDO_DAYS,
    }
    return render(request, "core/person.html", context)


@require_POST
@staff_required()
def merge_person(request: HttpRequest, person_id: int) -> HttpResponse:
    """Fold a duplicate record of this person into this one."""
    require_edit(request)
    visible = Person.objects.not_erased().visible_to(request.membership)
    person = get_for_office(visible, request, pk=person_id)
    duplicate_id = record_id(request.POST.get("duplicate")) or 0
    duplicate = visible.filter(office=request.office, pk=duplicate_id)
    duplicate = duplicate.exclude(pk=person.pk).first()
    if duplicate is None:
        messages.error(request, "Nothing was merged: that record is not one you can merge.")
        return redirect("person", person.pk)
    summary = f"Merged in the record of {duplicate} (no. {duplicate.pk})"
    case_ids = list(duplicate.cases.values_list("pk", flat=True))
    forget_old_merges(request.office, timezone.now())
    merge_records(person, duplicate, request.user)
    for case_id in case_ids:  # their search text now holds this record's name
        index_case(case_id)
    audit(request, AuditAction.CHANGE, person, summary)
    messages.success(
        request,
        f"{summary}: one record now holds everything. "
        f"If that was a mistake, you can undo it here for {UNDO_DAYS} days.",
    )
    return redirect("person", person.pk)


@require_POST
@staff_required()
def undo_person_merge(request: HttpRequest, person_id: int, merge_id: int) -> HttpResponse:
    """Put back a record merged into this one, with what it held."""
    require_edit(request)
    visible = Person.objects.not_erased().visible_to(request.membership)
    person = get_for_office(visible, request, pk=person_id)
    merge = next((m for m in undoable_merges(person, timezone.now()) if m.pk == merge_id), None)
    if merge is None:
        messages.error(request, f"That merge can no longer be undone (after {UNDO_DAYS} days).")
        return redirect("person", person.pk)
    name, number = merge.duplicate_name, merge.duplicate_pk
    undone = undo_merge(merge)
    for case_id in undone.moved_back.get("cases.Case", []):
        index_case(case_id)
    audit(request, AuditAction.CHANGE, person, f"Undid the merge of {name} (no. {number})")
    audit(request, AuditAction.CREATE, undone.restored, "Record put back by undoing a merge")
    messages.success(request, undo_message(undone))
    return redirect("person", person.pk)


def undo_message(undone: Undone) -> str:
    message = f"The merge is undone: {undone.restored} has a record of their own again."
    if undone.kept_as_now:
        labels = [Person._meta.get_field(name).verbose_name for name in undone.kept_as_now]
        message += f" Changed here since the merge, so kept as it is: {', '.join(labels)}."
    return message


@staff_required()
def person_edit(request: HttpRequest, person_id: int | None = None) -> HttpResponse:
    """Add a person, or change their record; the audit names the fields changed, not values."""
    require_edit(request)
    person = None
    if person_id is not None:
        person = get_for_office(Person.objects.not_erased(), request, pk=person_id)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.office = request.office
        saved.save()
        if person is None:
            audit(request, AuditAction.CREATE, saved, "Added the person")
        elif form.changed_data:
            audit(request, AuditAction.CHANGE, saved, "Changed " + changed_fields(form))
        return redirect("person", saved.pk)
    if person is not None:  # the form shows the whole record
        audit(request, AuditAction.VIEW, person, "Opened the record to change it")
    return render(request, "core/person_form.html", {"form": form, "person": person})


@staff_required(Role.LEADER, Role.MANAGER)
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET, request.office)
    found = filtered_entries(request.office, form)
    page = Paginator(found.entries, 100).get_page(request.GET.get("page"))
    describe_records(page)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": page, "form": form, "person": found.person, "query": query.urlencode()}
    return render(request, "core/audit.html", context)


@require_POST
@staff_required()
def switch_office(request: HttpRequest) -> HttpResponse:
    """Staff who work for more than one office choose which one they are working in."""
    office_id = request.POST.get("office", "")
    if Membership.objects.filter(user=request.user, office_id=office_id).exists():
        request.session["office_id"] = int(office_id)
    return redirect("home")
