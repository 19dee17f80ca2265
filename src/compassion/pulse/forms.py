from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from compassion.core.models import Office
from compassion.pulse.models import (
    CheckIn,
    EntryKind,
    LearningEntry,
    Obstacle,
    ObstacleStatus,
    PulseSettings,
    Visibility,
)

# ISO format: a type="date" input shows nothing for a British-formatted value.
DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
SHORT_TEXT = forms.Textarea(attrs={"rows": 3})


def office_staff(office: Office):
    return (
        get_user_model()
        .objects.filter(memberships__office=office)
        .order_by("first_name", "username")
        .distinct()
    )


def mailbox(email: str) -> str:
    """The mailbox an address reaches: "Alice+HR@Example.org" reaches alice@example.org."""
    local, _, domain = email.lower().rpartition("@")
    return f"{local.split('+')[0]}@{domain}"


def not_after_today(day: date | None, message: str) -> date | None:
    """A date of something that has happened: never in the future."""
    if day and day > timezone.localdate():
        raise forms.ValidationError(message)
    return day


def not_before_today(day: date | None, message: str) -> date | None:
    """A date something is due by: never already past, which would make it overdue at once."""
    if day and day < timezone.localdate():
        raise forms.ValidationError(message)
    return day


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class ScheduleForm(forms.Form):
    first_opens_on = forms.DateField(label="First pulse opens on", widget=DATE)
    days_open = forms.IntegerField(
        label="Days each pulse stays open", min_value=1, max_value=28, initial=7
    )
    months = forms.IntegerField(
        label="How many monthly pulses to schedule",
        min_value=1,
        max_value=12,
        initial=1,
        help_text="One a month keeps the load light; up to 12 at once.",
    )

    def clean_first_opens_on(self):
        day = self.cleaned_data["first_opens_on"]
        if day < timezone.localdate():
            raise forms.ValidationError("The first pulse cannot open in the past.")
        if day > timezone.localdate() + timedelta(days=366):
            raise forms.ValidationError("Schedule no more than a year ahead.")
        return day


class ObstacleForm(forms.ModelForm):
    anonymous = forms.BooleanField(
        required=False,
        label="Raise this anonymously",
        help_text="Your name is not stored, and only the day is kept, not the time.",
    )

    class Meta:
        model = Obstacle
        fields = ["title", "detail"]
        widgets = {"detail": SHORT_TEXT}
        labels = {"title": "What is in the way?", "detail": "More detail"}


class RespondForm(forms.ModelForm):
    class Meta:
        model = Obstacle
        fields = ["status", "response", "action", "action_owner", "action_due", "we_did"]
        labels = {
            "response": "Your reply to the team",
            "action": "The action you commit to",
            "action_owner": "Who owns the action",
            "action_due": "By when",
            "we_did": "What changed (shown on “You said, we did” once done)",
        }
        widgets = {"action_due": DATE, "response": SHORT_TEXT, "we_did": SHORT_TEXT}

    def __init__(self, *args, office: Office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_owner"] = StaffChoiceField(
            queryset=office_staff(office),
            required=False,
            empty_label="No one yet",
            label="Who owns the action",
        )

    def clean_action_due(self):
        """Never a day already past, which would make the promise overdue at once; but a
        date given before, which has since passed, stands (the action may now be done)."""
        day = self.cleaned_data["action_due"]
        if day == self.instance.action_due:  # the form has not yet written to its instance
            return day
        return not_before_today(day, "Choose a date from today on.")

    def clean(self):
        data = super().clean()
        status = data.get("status")
        if status == ObstacleStatus.COMMITTED and not (
            data.get("action") and data.get("action_due")
        ):
            raise forms.ValidationError("To commit to an action, say what it is and by when.")
        if status == ObstacleStatus.DONE and not data.get("we_did"):
            raise forms.ValidationError("Say what changed, so the team can see it.")
        if status == ObstacleStatus.NOT_NOW and not data.get("response"):
            raise forms.ValidationError("Give the team the reason in your reply.")
        return data


class ActOnResultForm(forms.Form):
    title = forms.CharField(max_length=200, label="What will you do about it?")
    action_due = forms.DateField(label="By when", widget=DATE)
    from_result = forms.CharField(max_length=300, widget=forms.HiddenInput)
    from_scale = forms.CharField(max_length=40, widget=forms.HiddenInput)

    def clean_action_due(self):
        return not_before_today(self.cleaned_data["action_due"], "Choose a date from today on.")


class CheckInForm(forms.ModelForm):
    class Meta:
        model = CheckIn
        fields = ["staff", "held_on", "attending", "understanding", "empathizing"]
        widgets = {
            "held_on": DATE,
            "attending": SHORT_TEXT,
            "understanding": SHORT_TEXT,
            "empathizing": SHORT_TEXT,
        }

    def clean_held_on(self):
        return not_after_today(
            self.cleaned_data["held_on"], "Record a check-in once it has been held."
        )

    def __init__(self, *args, office: Office, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"] = StaffChoiceField(
            queryset=office_staff(office).exclude(pk=user.pk),
            label="With",
            empty_label="Choose a colleague",
        )


class CommitmentForm(forms.Form):
    text = forms.CharField(max_length=300, label="Help I committed to (Helping)", required=False)
    due_on = forms.DateField(label="By when", widget=DATE, required=False)
    due_on.optional_note = "needed if you commit to help"

    def clean_due_on(self):
        return not_before_today(self.cleaned_data["due_on"], "Choose a date from today on.")

    def clean(self):
        data = super().clean()
        if data.get("text") and not data.get("due_on") and "due_on" not in self.errors:
            self.add_error("due_on", "Give the commitment a date.")
        return data


class LearningForm(forms.ModelForm):
    class Meta:
        model = LearningEntry
        fields = [
            "kind",
            "title",
            "happened_on",
            "what_happened",
            "what_we_learned",
            "what_we_change",
            "change_owner",
            "leaders_own",
            "visibility",
        ]
        labels = {
            "kind": "What kind of entry",
            "what_happened": "What happened (facts, not blame)",
            "what_we_learned": "What we learned",
            "what_we_change": "What we change",
            "change_owner": "Who owns the change",
            "leaders_own": "This was the leader's own mistake",
            "visibility": "Who can read it",
        }
        widgets = {
            "happened_on": DATE,
            "what_we_learned": SHORT_TEXT,
            "what_we_change": SHORT_TEXT,
        }

    def clean_happened_on(self):
        return not_after_today(
            self.cleaned_data["happened_on"], "Record what happened once it has happened."
        )

    def __init__(self, *args, office: Office, is_leader: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change_owner"] = StaffChoiceField(
            queryset=office_staff(office),
            required=False,
            empty_label="No one yet",
            label="Who owns the change",
        )
        if not is_leader:
            # Only the leader owns a mistake as hers; no one else labels it so for her.
            del self.fields["leaders_own"]
        self.fields["kind"].choices = EntryKind.choices
        self.fields["visibility"].choices = Visibility.choices


class SettingsForm(forms.ModelForm):
    class Meta:
        model = PulseSettings
        fields = ["min_respondents", "reviewer_name", "reviewer_email"]
        labels = {
            "min_respondents": "Fewest respondents for any result (k)",
            "reviewer_name": "Trusted reviewer's name (e.g. your HR partner)",
            "reviewer_email": "Trusted reviewer's email",
        }

    def clean_reviewer_email(self):
        email = self.cleaned_data["reviewer_email"]
        staff = office_staff(self.instance.office).values_list("email", flat=True)
        if email and mailbox(email) in {mailbox(address) for address in staff if address}:
            raise forms.ValidationError(
                "The trusted reviewer sees what the leader does not, so it must be someone "
                "outside the office, such as your HR partner."
            )
        return email

    def clean_min_respondents(self):
        value = self.cleaned_data["min_respondents"]
        if value < 3:
            raise forms.ValidationError("k can never be below 3.")
        floor = settings.PULSE_MIN_RESPONDENTS
        if value < floor:
            raise forms.ValidationError(
                f"This installation shows no result for fewer than {floor} people, so k "
                f"cannot be below {floor}."
            )
        return value
