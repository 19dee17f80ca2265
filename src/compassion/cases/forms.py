"""Forms of the casework pages. Every choice of a user or agency is limited to the office."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from compassion.cases.models import (
    OPEN_STATUSES,
    Action,
    Agency,
    CaseworkPolicy,
    Obstacle,
    Outcome,
    ReplyTemplate,
    Status,
    TemplateKind,
    unfinished_parts,
)
from compassion.core.forms import name_empty_choice
from compassion.core.models import Office, Role
from compassion.core.themes import Theme


def office_staff(office: Office) -> forms.ModelChoiceField:
    users = (
        get_user_model()
        .objects.filter(
            memberships__office=office,
            memberships__role__in=[Role.CASEWORKER, Role.MANAGER, Role.LEADER],
        )
        .order_by("first_name", "username")
    )
    field = forms.ModelChoiceField(users, required=False, empty_label="Nobody yet")
    field.label_from_instance = lambda user: user.get_full_name() or user.username
    return field


class FilterForm(forms.Form):
    """The case list's search and filters; anything unexpected is simply ignored."""

    q = forms.CharField(required=False, label="Search cases and messages")
    theme = forms.ChoiceField(
        required=False, choices=[("", "Any theme"), *Theme.choices], label="Theme"
    )
    status = forms.ChoiceField(
        required=False,
        choices=[("open", "Open"), ("", "Any status"), *Status.choices],
        label="Status",
    )
    worker = forms.CharField(required=False, label="Caseworker")
    ward = forms.CharField(required=False, label="Ward or area")
    opened_from = forms.DateField(
        required=False,
        label="Opened from",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    opened_to = forms.DateField(
        required=False,
        label="Opened to",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    urgent = forms.BooleanField(required=False, label="Urgent only")
    unacknowledged = forms.BooleanField(required=False, label="Not yet acknowledged")
    late = forms.BooleanField(required=False, label="Not acknowledged in time")
    due = forms.BooleanField(required=False, label="Due from me")
    order = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Urgent first, then newest"),
            ("oldest", "Oldest first"),
            ("newest", "Newest first"),
        ],
        label="Order",
    )


class AssignForm(forms.Form):
    def __init__(self, office: Office, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"] = office_staff(office)
        self.fields["assigned_to"].label = "Caseworker"


class StatusForm(forms.Form):
    """Moves a case between its working states, or reopens it. A case is resolved or
    closed only with its outcome, through the CloseForm."""

    status = forms.ChoiceField(
        choices=[(status.value, status.label) for status in OPEN_STATUSES],
        label="Move the case to",
        help_text="Acknowledged: they have heard from us, by phone say.",
        error_messages={
            "invalid_choice": "To resolve or close the case, record its outcome under Outcome."
        },
    )


class HeardForm(forms.Form):
    heard = forms.CharField(
        required=False,
        label="What matters most to them, in their own words",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["description", "owner", "due_on", "is_follow_up"]
        labels = {
            "description": "What will be done",
            "due_on": "Due on",
            "is_follow_up": "This is a follow-up with the person",
        }
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, office: Office, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = office_staff(office)
        self.fields["owner"].label = "Who"

    def clean_due_on(self) -> date:
        """A new action is due today or later: a date already past is a slip of the year."""
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError(
                f"{due_on:%-d %B %Y} has passed: choose today or a later day."
            )
        return due_on


class ObstacleForm(forms.ModelForm):
    class Meta:
        model = Obstacle
        fields = ["kind", "agency", "description"]
        labels = {"kind": "What blocked it", "agency": "Agency", "description": "In brief"}

    def __init__(self, office: Office, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(office=office)
        self.fields["agency"].required = False
        name_empty_choice(self.fields["kind"], "Choose what blocked it")
        name_empty_choice(self.fields["agency"], "No agency")


class CloseForm(forms.Form):
    """The outcome and the help given. When the person has had no acknowledgement and no
    reply, closing also needs a tick to say that is deliberate."""

    outcome = forms.ChoiceField(
        choices=Outcome.choices,
        label="Outcome",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome."},
    )
    help_given = forms.CharField(
        label="The help given",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": "Say what help was given."},
    )

    def __init__(self, *args: object, unanswered: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if unanswered:
            self.fields["confirm_unanswered"] = forms.BooleanField(
                label="Close it without writing to them: I confirm they need no reply from us",
                error_messages={
                    "required": "They have had no acknowledgement or reply from us. Write to "
                    "them first, or tick the box to confirm the case closes without one."
                },
            )


class FinishedLetterForm(forms.Form):
    """A letter may not go out with {{ fields }} or [guidance] still in it."""

    def clean(self) -> dict[str, object]:
        data = super().clean()
        left = unfinished_parts(f"{data.get('subject', '')}\n{data.get('body', '')}")
        if left:
            raise forms.ValidationError(
                "Finish the letter first: replace "
                + ", ".join(dict.fromkeys(left))
                + "."
                + (HEARD_HINT if "{{ heard }}" in left else "")
            )
        return data


HEARD_HINT = (
    " {{ heard }} is what matters most to them, in their own words: type it in its place, or"
    ' record it under "Heard" on the case page and start the letter again.'
)


class ReplyForm(FinishedLetterForm):
    template = forms.IntegerField(required=False, widget=forms.HiddenInput)
    subject = forms.CharField(max_length=300, label="Subject")
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 14}), label="Your reply")

    def clean_subject(self) -> str:
        """One line: an email cannot carry a subject with a line break in it."""
        return " ".join(self.cleaned_data["subject"].split())


class ReferralForm(FinishedLetterForm):
    agency = forms.ModelChoiceField(
        Agency.objects.none(),
        label="Agency",
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "That agency is not in the office's directory."},
    )
    template = forms.IntegerField(required=False, widget=forms.HiddenInput)
    subject = forms.CharField(max_length=300, label="Subject")
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 16}), label="Letter")

    def __init__(self, office: Office, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(office=office)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label="What the agency said", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["kind", "name", "team", "hotline", "email", "address", "notes"]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        name_empty_choice(self.fields["kind"], "Choose a kind")


class TemplateForm(forms.ModelForm):
    class Meta:
        model = ReplyTemplate
        fields = ["kind", "name", "theme", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = TemplateKind.choices
        name_empty_choice(self.fields["theme"], "Any theme")


def person_name(user: AbstractBaseUser | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


class PolicyForm(forms.ModelForm):
    class Meta:
        model = CaseworkPolicy
        fields = [
            "anonymise_after_years",
            "capacity",
            "distressing_load",
            "chase_after_days",
            "chase_urgent_after_days",
            "ask_satisfaction",
        ]
        labels = {
            "anonymise_after_years": "Anonymise closed cases after (years)",
            "capacity": "Open cases a caseworker can carry",
            "distressing_load": "Distress load that counts as distressing (0 to 1)",
            "chase_after_days": "Chase agencies after (working days)",
            "chase_urgent_after_days": "Chase agencies about an urgent case after (working days)",
            "ask_satisfaction": "Ask people “Did we help?” after closing their case",
        }

    def clean_distressing_load(self) -> float:
        value = self.cleaned_data["distressing_load"]
        if not 0 < value <= 1:
            raise forms.ValidationError("Give a number above 0 and up to 1, such as 0.5.")
        return value
