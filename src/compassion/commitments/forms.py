"""Forms for commitments, scoped to the office of the person filling them in."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from compassion.cases.models import Case
from compassion.commitments.models import (
    NEEDS_EXPLANATION,
    SETTABLE_STATUSES,
    Commitment,
    Likelihood,
    Milestone,
    PublicStatus,
    Rewording,
    Stocktake,
    TrajectoryPoint,
    people_behind,
)
from compassion.core.forms import name_empty_choice
from compassion.core.models import Office
from compassion.lens import find_personal_data
from compassion.voices.models import Campaign

# Personal data the lens finds that never belongs in public text. (Its name finder also
# matches staff and public figures, so names are checked against the people behind the
# commitment instead.)
PRIVATE_KINDS = {
    "EMAIL": "an email address",
    "PHONE": "a phone number",
    "POSTCODE": "a postcode",
    "ADDRESS": "a street address",
    "NI_NUMBER": "a National Insurance number",
    "NHS_NUMBER": "an NHS number",
    "CARD_NUMBER": "a card number",
    "SORT_CODE": "a sort code",
    "ACCOUNT_NUMBER": "an account number",
    "DATE_OF_BIRTH": "a date of birth",
}


def public_text_problem(text: str, names: list[str]) -> str | None:
    """Why `text` must not be published, or None: it shows personal data or names a citizen."""
    found = [PRIVATE_KINDS[s.kind] for s in find_personal_data(text) if s.kind in PRIVATE_KINDS]
    if found:
        return (
            f"This is shown in public but seems to hold {found[0]}. "
            "Take it out: public text never identifies a citizen."
        )
    lowered = " ".join(text.lower().split())
    for name in names:
        if name.lower() in lowered:
            return (
                f"This names {name}, one of the people who asked for this commitment. "
                "Public text never names citizens."
            )
    return None


def full_names(people: Any) -> list[str]:
    pairs = (
        people.exclude(first_name="").exclude(last_name="").values_list("first_name", "last_name")
    )
    return sorted({f"{first} {last}" for first, last in pairs})


class PublicTextMixin:
    """Refuse personal data in the fields that the public tracker shows."""

    public_fields: tuple[str, ...] = ()

    def check_public_text(self, names: list[str]) -> None:
        for name in self.public_fields:
            text = self.cleaned_data.get(name)  # type: ignore[attr-defined]
            problem = public_text_problem(text, names) if text else None
            if problem:
                self.add_error(name, problem)  # type: ignore[attr-defined]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


PLAN_FIELDS = [
    "title",
    "topic",
    "source",
    "source_detail",
    "made_on",
    "owner",
    "deadline",
    "success_measure",
    "metric_label",
    "metric_baseline",
    "metric_target",
    "beneficiaries",
    "parent",
    "campaigns",
    "stocktake_every_days",
    "next_stocktake_on",
    "review_status_changes",
    "is_public",
]


MIN_DAYS_BETWEEN_STOCKTAKES = 7


class PlanForm(PublicTextMixin, forms.ModelForm):
    """Everything about a commitment except its original wording, which never changes."""

    public_fields = ("title", "wording", "source_detail", "success_measure")

    case_references = forms.CharField(
        label="Cases behind it",
        required=False,
        help_text="Case references, separated by commas, e.g. NE-25-00012. Never shown in public.",
    )

    class Meta:
        model = Commitment
        fields = PLAN_FIELDS
        widgets = {
            "made_on": DateInput(),
            "deadline": DateInput(),
            "next_stocktake_on": DateInput(),
            "campaigns": forms.CheckboxSelectMultiple(),
            "success_measure": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "campaigns": "The campaigns of messages that asked for it.",
            "review_status_changes": (
                "The leader or the office manager approves each change of public status "
                "before it shows."
            ),
        }
        labels = {"parent": "Part of a bigger promise"}

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.office = office
        self.fields["owner"].queryset = (
            get_user_model()
            .objects.filter(memberships__office=office)
            .order_by("first_name", "username")
        )
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        parents = Commitment.objects.for_office(office).filter(parent__isnull=True)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        name_empty_choice(self.fields["owner"], "No one yet")
        name_empty_choice(self.fields["parent"], "None: it stands on its own")
        self.fields["campaigns"].queryset = Campaign.objects.filter(office=office)
        if self.instance.pk and not self.is_bound:
            references = self.instance.cases.values_list("reference", flat=True)
            self.initial["case_references"] = ", ".join(references)

    def clean_stocktake_every_days(self) -> int:
        days = self.cleaned_data["stocktake_every_days"]
        if days < MIN_DAYS_BETWEEN_STOCKTAKES:
            raise forms.ValidationError(
                "Hold a stocktake at most once a week: choose 7 days or more."
            )
        return days

    def clean_case_references(self) -> list[Case]:
        wanted = [r.strip() for r in self.cleaned_data["case_references"].split(",") if r.strip()]
        found = {
            c.reference.upper(): c
            for c in Case.objects.filter(office=self.office).filter(
                reference__in=[r.upper() for r in wanted] + wanted
            )
        }
        missing = [r for r in wanted if r.upper() not in found]
        if missing:
            raise forms.ValidationError(
                "No case in this office has the reference %(refs)s.",
                params={"refs": ", ".join(missing)},
            )
        return list({found[r.upper()].pk: found[r.upper()] for r in wanted}.values())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("metric_target") is not None and not data.get("metric_label"):
            self.add_error("metric_label", "Say what is counted, e.g. “homes repaired”.")
        made_on, deadline = data.get("made_on"), data.get("deadline")
        if made_on and made_on > timezone.localdate():
            self.add_error("made_on", "A promise cannot have been made in the future.")
        if made_on and deadline and deadline < made_on:
            self.add_error("deadline", "The deadline is before the date the promise was made.")
        if data.get("parent") and self.instance.pk and self.instance.parts.exists():
            self.add_error("parent", "This promise has parts of its own, so it cannot be a part.")
        people = people_behind(
            self.office, data.get("campaigns") or [], data.get("case_references") or []
        )
        self.check_public_text(full_names(people))
        return data

    def save(self, commit: bool = True) -> Commitment:
        commitment = super().save(commit=commit)
        if commit:
            commitment.cases.set(self.cleaned_data["case_references"])
        return commitment


class CommitmentForm(PlanForm):
    class Meta(PlanForm.Meta):
        fields = ["title", "wording", *PLAN_FIELDS[1:]]
        widgets = {**PlanForm.Meta.widgets, "wording": forms.Textarea(attrs={"rows": 4})}


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on"]
        widgets = {"due_on": DateInput()}
        labels = {"title": "Milestone", "due_on": "Due on"}


class TrajectoryPointForm(forms.ModelForm):
    class Meta:
        model = TrajectoryPoint
        fields = ["on", "planned", "actual"]
        widgets = {"on": DateInput()}
        labels = {"on": "Date", "planned": "Planned value", "actual": "Actual value"}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("planned") is None and data.get("actual") is None:
            raise forms.ValidationError("Give a planned value, an actual value, or both.")
        on = data.get("on")
        if data.get("actual") is not None and on and on > timezone.localdate():
            self.add_error(
                "on",
                "An actual value is what has happened, so its date cannot be after today. "
                "Check the year, or give a planned value for that day.",
            )
        return data


class StocktakeForm(forms.ModelForm):
    class Meta:
        model = Stocktake
        fields = ["held_on", "likelihood", "progress", "reason"]
        widgets = {
            "held_on": DateInput(),
            "likelihood": forms.RadioSelect(),
            "progress": forms.Textarea(attrs={"rows": 4}),
            "reason": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"held_on": "Held on"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["likelihood"].choices = Likelihood.choices  # a judgement, never left blank

    def clean_held_on(self) -> date:
        # The newest stocktake is the one shown in public: a future date would pin it there.
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError("A stocktake cannot be held in the future.")
        return held_on


class StatusChangeForm(PublicTextMixin, forms.Form):
    public_fields = ("editor_note", "explanation")

    to_status = forms.ChoiceField(
        label="New public status",
        choices=[(s.value, s.label) for s in SETTABLE_STATUSES],
        widget=forms.RadioSelect(),
    )
    evidence_url = forms.URLField(
        label="Evidence link",
        max_length=500,
        assume_scheme="https",
        help_text="A public page that shows it: a council decision, a news story, a report.",
    )
    editor_note = forms.CharField(
        label="Editor's note",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What changed and why, in plain words. Shown in public: name no citizen.",
    )
    explanation = forms.CharField(
        label="The leader's explanation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when a promise is broken or a compromise. Shown in public.",
    )

    def __init__(self, *args: Any, commitment: Commitment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commitment = commitment
        if not self.is_bound:
            self.initial.setdefault("explanation", commitment.explanation)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        status = data.get("to_status")
        if status == self.commitment.status:
            self.add_error("to_status", "That is already its status.")
        if status in NEEDS_EXPLANATION and not data.get("explanation", "").strip():
            label = PublicStatus(status).label.lower()
            self.add_error(
                "explanation", f"Say, in the leader's words, why the promise is {label}."
            )
        self.check_public_text(full_names(self.commitment.people_behind()))
        return data


class RewordingForm(PublicTextMixin, forms.ModelForm):
    public_fields = ("wording", "reason")

    def __init__(self, *args: Any, commitment: Commitment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commitment = commitment

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.check_public_text(full_names(self.commitment.people_behind()))
        return data

    class Meta:
        model = Rewording
        fields = ["wording", "reason"]
        widgets = {
            "wording": forms.Textarea(attrs={"rows": 4}),
            "reason": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"wording": "New wording"}


class NoticeForm(forms.Form):
    subject = forms.CharField(max_length=300)
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="{{ first_name }} is replaced with each person's first name.",
    )
