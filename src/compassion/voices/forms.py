"""Forms of the inbox: a note of a call, letter or visit; intake settings; the public form."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from compassion.cases.models import Case
from compassion.core.models import Office
from compassion.voices.intake import add_contact_details, receive
from compassion.voices.models import Channel, IntakeSettings, Voice
from compassion.voices.parsing import IncomingMessage

NOTE_CHANNELS = [
    (Channel.PHONE, "Phone call"),
    (Channel.LETTER, "Letter"),
    (Channel.SURGERY, "Surgery visit"),
]


class RecordedContactForm(forms.Form):
    """What staff write down when someone rings, writes a letter or comes to a surgery."""

    channel = forms.ChoiceField(label="How they got in touch", choices=NOTE_CHANNELS)
    body = forms.CharField(
        label="What they told you",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Their own words where you can: what happened, what matters most to them.",
    )
    received_on = forms.DateField(
        label="Date",
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_received_on(self) -> Any:
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future.")
        return day

    def received_at(self) -> datetime:
        """Noon on a past day; today, the current minute, so that the same note sent twice
        in a minute (a double click) is recognised as one."""
        day = self.cleaned_data["received_on"]
        if day == timezone.localdate():
            return timezone.now().replace(second=0, microsecond=0)
        return timezone.make_aware(datetime.combine(day, time(12, 0)))

    def record(
        self, request: HttpRequest, incoming: IncomingMessage, case: Case | None = None
    ) -> Voice | None:
        """Store what was told like any message, as recorded by this member of staff."""
        user = request.user
        return receive(
            request.office,
            incoming,
            channel=self.cleaned_data["channel"],
            source=f"Recorded by {user.get_full_name() or user.get_username()}",
            user=user,
            case=case,
        )


class NoteForm(RecordedContactForm):
    """A call, letter or visit from anyone: it finds or opens their case like an email."""

    name = forms.CharField(label="Their name", max_length=200)
    email = forms.EmailField(label="Email address", required=False)
    phone = forms.CharField(
        label="Phone number",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    street = forms.CharField(label="House number and street", max_length=200, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    subject = forms.CharField(label="What it is about, in a few words", max_length=300)
    field_order = [
        "channel",
        "name",
        "email",
        "phone",
        "street",
        "postcode",
        "subject",
        "body",
        "received_on",
    ]

    def save(self, request: HttpRequest) -> Voice | None:
        """The note, and the phone number and street given, on the message for all to see and
        on the person's record where it has none yet."""
        data = self.cleaned_data
        phone, street = " ".join(data["phone"].split()), " ".join(data["street"].split())
        given = [
            f"Phone given: {phone}." if phone else "",
            f"Address given: {street}." if street else "",
        ]
        incoming = IncomingMessage(
            sender_name=data["name"].strip(),
            sender_email=data["email"].strip().lower(),
            subject=data["subject"].strip(),
            body=data["body"].strip(),
            postcode=data["postcode"].strip().upper(),
            sent_at=self.received_at(),
            notes=[" ".join(filter(None, given))] if any(given) else [],
        )
        voice = self.record(request, incoming)
        if voice is not None and voice.person is not None:
            add_contact_details(voice.person, phone, street, incoming.postcode)
        return voice


class CaseNoteForm(RecordedContactForm):
    """A call, letter or visit about a case that is already open, recorded on that case."""

    def save(self, request: HttpRequest, case: Case) -> Voice | None:
        data = self.cleaned_data
        person = case.person
        incoming = IncomingMessage(
            sender_name=person.full_name if person else "",
            sender_email=person.email if person else "",
            subject=dict(NOTE_CHANNELS)[data["channel"]],  # the case's subject would be read again
            body=data["body"].strip(),
            sent_at=self.received_at(),
        )
        return self.record(request, incoming, case)


# A postcode district ("NB1", "SW1A") or sector ("NB2 3"), as the area is given.
POSTCODE_PART = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?( [0-9])?$")


class OfficeSettingsForm(forms.ModelForm):
    """The office's name and address as letters and public pages give them, and its promise
    on time and place: the working days to acknowledge and to reply in, whose bank holidays
    do not count, and the postcodes of its area (a message from outside it is offered the
    "outside our area" reply)."""

    class Meta:
        model = Office
        fields = [
            "name",
            "leader_title",
            "email",
            "acknowledge_within_days",
            "reply_within_days",
            "holiday_region",
            "area_name",
            "area_postcodes",
        ]
        labels = {
            "name": "Name of the office",
            "leader_title": "The leader's title",
            "email": "The office's email address",
            "acknowledge_within_days": "Working days to acknowledge a new message",
            "reply_within_days": "Working days to reply in full",
            "holiday_region": "Bank holidays of",
            "area_name": "Name of the area",
            "area_postcodes": "Postcodes of the area",
        }
        help_texts = {
            "name": "As every page, letter and email names it, e.g. Office of Amira Hussain MP.",
            "leader_title": "Under the leader's name in letters, e.g. MP for Northby.",
            "email": "Where people can write to the office, as letters and public pages give it.",
            "acknowledge_within_days": (
                "Told to people on the public form. A change counts for messages that arrive "
                "from now on."
            ),
            "reply_within_days": "A change counts for messages that arrive from now on.",
            "holiday_region": "These days do not count as working days.",
            "area_name": "As letters and public pages name it, e.g. Northby and Eastfield.",
            "area_postcodes": (
                "One district (NB1) or sector (NB2 3) a line. A message from a postcode "
                "outside them is offered the “outside our area” reply; with none given, "
                "no message is."
            ),
        }
        widgets = {"area_postcodes": forms.Textarea(attrs={"rows": 4})}

    def clean_acknowledge_within_days(self) -> int:
        return at_least_one_day(self.cleaned_data["acknowledge_within_days"])

    def clean_reply_within_days(self) -> int:
        return at_least_one_day(self.cleaned_data["reply_within_days"])

    def clean_area_postcodes(self) -> str:
        typed = [line.strip() for line in self.cleaned_data["area_postcodes"].splitlines()]
        for line in typed:
            if line and not POSTCODE_PART.match(" ".join(line.upper().split())):
                raise forms.ValidationError(
                    f"“{line}” is not a postcode district (NB1) or sector (NB2 3): give one a line."
                )
        return "\n".join(" ".join(line.upper().split()) for line in typed if line)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        acknowledge, reply = (
            cleaned.get("acknowledge_within_days"),
            cleaned.get("reply_within_days"),
        )
        if acknowledge and reply and reply < acknowledge:
            self.add_error("reply_within_days", "Give at least as many days as to acknowledge.")
        return cleaned


def at_least_one_day(days: int) -> int:
    if not 1 <= days <= 100:
        raise forms.ValidationError("Give a number of working days from 1 to 100.")
    return days


class IntakeSettingsForm(forms.ModelForm):
    class Meta:
        model = IntakeSettings
        fields = [
            "auto_acknowledge",
            "campaign_guard_days",
            "imap_host",
            "imap_port",
            "imap_ssl",
            "imap_user",
            "imap_password_env",
            "imap_mailbox",
        ]
        labels = {
            "auto_acknowledge": "Acknowledge new emails automatically",
            "campaign_guard_days": "Days before a campaign reply may go to the same person again",
            "imap_host": "Mail server (IMAP)",
            "imap_port": "Port",
            "imap_ssl": "Use TLS (port 993)",
            "imap_user": "Mailbox user name",
            "imap_password_env": "Environment variable holding the password",
            "imap_mailbox": "Folder",
        }
        help_texts = {
            "imap_password_env": (
                "The password itself is never stored here: set it on the server in an "
                "environment variable, for example COMPASSION_IMAP_PASSWORD, and name it here."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if settings.MAIL_POLL_MINUTES > 0:
            self.fields["imap_host"].help_text = (
                f"Once the mailbox is set up, the server fetches new mail from it every "
                f"{settings.MAIL_POLL_MINUTES} minutes; “Check mail now” in the inbox fetches "
                "it at once."
            )

    def clean_imap_port(self) -> int:
        port = self.cleaned_data["imap_port"]
        if not 1 <= port <= 65535:
            raise forms.ValidationError("A port is a number from 1 to 65535: 993 for most.")
        return port

    def clean_imap_password_env(self) -> str:
        name = self.cleaned_data["imap_password_env"].strip()
        if name and not name.replace("_", "").isalnum():
            raise forms.ValidationError(
                "Give the name of an environment variable (letters, digits and _), "
                "not the password itself."
            )
        return name
