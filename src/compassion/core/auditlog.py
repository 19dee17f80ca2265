"""The audit log page's filters: whose record, which member of staff, what, and when."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from compassion.cases.models import Case
from compassion.core.access import record_id
from compassion.core.models import AuditAction, AuditEntry, Office, Person
from compassion.core.workdays import start_of


class AuditFilterForm(forms.Form):
    """Anything not understood (a tampered number, a date that is not one) is left out."""

    person = forms.CharField(required=False, widget=forms.HiddenInput)
    staff = forms.ChoiceField(
        required=False,
        label="Who",
        error_messages={"invalid_choice": "that is no one in this office's log."},
    )
    action = forms.ChoiceField(
        required=False,
        label="What",
        choices=[("", "Anything"), *AuditAction.choices],
        error_messages={"invalid_choice": "that is not a kind of entry."},
    )
    date_from = forms.DateField(
        required=False,
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        required=False,
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, data: object, office: Office) -> None:
        super().__init__(data)
        self.fields["staff"].choices = [("", "Anyone"), *staff_in_the_log(office)]

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "it is before From, so no entry could match.")
        return cleaned


def staff_in_the_log(office: Office) -> list[tuple[str, str]]:
    """Everyone with an entry in the office's log, those who have since left included."""
    user_ids = AuditEntry.objects.filter(office=office, user__isnull=False).values("user_id")
    users = get_user_model().objects.filter(pk__in=user_ids).order_by("first_name", "username")
    return [(str(user.pk), user.get_full_name() or user.username) for user in users]


# A record's kind in the office's words, where its model's name is not them.
RECORD_KINDS = {
    "voice": "Message",
    "membership": "Staff member",
    "quarantinedmessage": "Message in quarantine",
    "checkin": "Check-in",
}


def describe_records(entries: Iterable[AuditEntry]) -> None:
    """Give each entry `record`, what it is about in words staff use: 'Case NE-26-00123',
    'Message no. 5000', 'The office' (a search of the people list), not 'case 123'."""
    entries = list(entries)
    case_ids = [entry.object_id for entry in entries if entry.object_type == "case"]
    references = dict(
        Case.objects.filter(pk__in=[pk for pk in case_ids if pk.isdigit()]).values_list(
            "pk", "reference"
        )
    )
    for entry in entries:
        kind = entry.object_type
        if kind == "office":
            entry.record = "The office"
        elif kind == "case" and entry.object_id.isdigit() and int(entry.object_id) in references:
            entry.record = f"Case {references[int(entry.object_id)]}"
        else:
            entry.record = f"{RECORD_KINDS.get(kind, kind.capitalize())} no. {entry.object_id}"


@dataclass
class Filtered:
    entries: QuerySet[AuditEntry]
    person: Person | None  # whose record the log is narrowed to, if anyone's


def filtered_entries(office: Office, form: AuditFilterForm) -> Filtered:
    entries = AuditEntry.objects.filter(office=office).select_related("user", "person")
    form.is_valid()
    data = form.cleaned_data  # the fields that were understood
    person = None
    if person_id := record_id(data.get("person")):
        person = Person.objects.filter(office=office, pk=person_id).first()
        entries = entries.filter(person_id=person_id)
    if staff_id := record_id(data.get("staff")):
        entries = entries.filter(user_id=staff_id)
    if data.get("action"):
        entries = entries.filter(action=data["action"])
    if data.get("date_from"):
        entries = entries.filter(at__gte=start_of(data["date_from"]))
    if data.get("date_to"):
        entries = entries.filter(at__lt=start_of(data["date_to"] + timedelta(days=1)))
    return Filtered(entries, person)
