"""The public contact form: no login, accessible, with consent, a honeypot and a rate limit.

Rate limiting counts posts per network address in the database (so it holds across
server workers); the address itself is only kept as a salted hash, for a day at most.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from email.message import EmailMessage

import phonenumbers
from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from compassion.core.access import client_ip
from compassion.core.models import Consent, ConsentPurpose, Office, Person
from compassion.voices import analysis
from compassion.voices.intake import add_contact_details, quarantine, receive
from compassion.voices.models import Channel, ContactAttempt
from compassion.voices.parsing import IncomingMessage, clean_line

MAX_POSTS = 5
WINDOW = timedelta(minutes=10)


class ContactForm(forms.Form):
    name = forms.CharField(
        label="Your name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Tell us your name."},
    )
    email = forms.EmailField(
        label="Your email address",
        required=False,
        help_text="We will reply to this address. No email? Give a phone number and we will "
        "call you.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    email.optional_note = "needed if you give no phone number"
    phone = forms.CharField(
        label="Phone number",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    phone.optional_note = "needed if you give no email address"
    postcode = forms.CharField(
        label="Your postcode",
        max_length=10,
        help_text="So that we know you live in the area we serve.",
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
        error_messages={"required": "Tell us your postcode."},
    )
    subject = forms.CharField(
        label="What it is about, in a few words",
        max_length=200,
        error_messages={"required": "Say in a few words what it is about."},
    )
    message = forms.CharField(
        label="Your message",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Tell us what has happened and what would help. Include any reference numbers.",
        error_messages={"required": "Tell us what has happened."},
    )
    consent = forms.BooleanField(
        label=(
            "I agree that the office may keep these details to deal with my message, and may "
            "contact organisations on my behalf about it."
        ),
        error_messages={"required": "We can only take up your message with your agreement."},
    )
    # A field people never see; automated spam fills it in.
    website = forms.CharField(label="Leave this empty", required=False)

    def clean_name(self) -> str:
        return clean_line(self.cleaned_data["name"]).strip()

    def clean_subject(self) -> str:
        return clean_line(self.cleaned_data["subject"]).strip()

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not is_possible_phone(phone):
            raise forms.ValidationError(
                "That does not look like a phone number we can call. Check the digits, "
                "for example 07700 900123."
            )
        return phone

    def clean(self) -> dict[str, str]:
        data = super().clean()
        no_way_to_answer = not data.get("email") and not data.get("phone")
        if no_way_to_answer and "email" not in self.errors and "phone" not in self.errors:
            self.add_error(
                "email", "Give us an email address or a phone number, so that we can answer you."
            )
        return data


def is_possible_phone(text: str) -> bool:
    """A UK number, or an international one written with its +country code."""
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_possible_number(number)


def client_key(request: HttpRequest) -> str:
    address = client_ip(request) or ""
    return hashlib.sha256(f"{settings.SECRET_KEY}:contact:{address}".encode()).hexdigest()


def too_many_posts(office: Office, key: str) -> bool:
    now = timezone.now()
    ContactAttempt.objects.filter(at__lt=now - timedelta(days=1)).delete()
    recent = ContactAttempt.objects.filter(office=office, client_key=key, at__gte=now - WINDOW)
    return recent.count() >= MAX_POSTS


def contact(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = get_object_or_404(Office, slug=office_slug)
    form = ContactForm(request.POST or None)
    if request.method == "POST":
        key = client_key(request)
        if too_many_posts(office, key):
            return render(request, "voices/contact_limited.html", {"office": office}, status=429)
        ContactAttempt.objects.create(office=office, client_key=key)
        if form.is_valid():
            take_in(office, form.cleaned_data)
            thanks_page = redirect("voices:contact_thanks", office.slug)
            if not form.cleaned_data["email"]:
                thanks_page["Location"] += "?by=phone"
            return thanks_page
    return render(request, "voices/contact.html", {"form": form, "office": office})


def take_in(office: Office, data: dict[str, str]) -> None:
    if data["website"]:
        quarantine(
            office,
            form_as_email(office, data),
            "web form",
            "Probably automated spam: a hidden field that people never see was filled in.",
        )
        return
    incoming = IncomingMessage(
        sender_name=" ".join(data["name"].split()),
        sender_email=data["email"].strip().lower(),
        subject=data["subject"].strip(),
        body=data["message"].strip(),
        postcode=" ".join(data["postcode"].upper().split()),
        # The current minute: the same form sent twice (a double click) is taken once.
        sent_at=timezone.now().replace(second=0, microsecond=0),
        notes=["Consent to casework given on the web form.", *how_to_answer(data)],
    )
    before = timezone.now()
    voice = receive(
        office, incoming, channel=Channel.WEB_FORM, source="web form", fill_in_known_person=False
    )
    if voice is None:
        return
    analysis.analyse([voice])
    person = voice.person
    if person is None:
        return
    if person.created_at >= before:
        add_contact_details(person, data["phone"].strip())
        Consent.objects.create(
            person=person, purpose=ConsentPurpose.CASEWORK, given=True, source="web form"
        )
    else:
        voice.notes += "\n" + record_left_unchanged(person, data)
        voice.save(update_fields=["notes"])


def record_left_unchanged(person: Person, data: dict[str, str]) -> str:
    """Why a known person's record did not take the form's details. Anyone can type a name,
    postcode or email address here: someone who means harm could otherwise put their own
    phone number on another person's record, or consent that person withdrew."""
    given = "; ".join(
        f"{field} {data[field].strip()}" for field in ("email", "phone", "postcode") if data[field]
    )
    return (
        f"The form did not change {person.full_name or 'this person'}'s record, as anyone can "
        f"type a name or email address on it: check with them before adding what it gives "
        f"({given}) or recording their consent."
    )


def how_to_answer(data: dict[str, str]) -> list[str]:
    """A note for staff when the only way to answer is a phone call."""
    if data["email"]:
        return []
    return [f"No email address given: call them on {data['phone'].strip()} to answer."]


def form_as_email(office: Office, data: dict[str, str]) -> bytes:
    """The form as an email, so that a quarantined post can be read again like any other."""
    message = EmailMessage()
    message["From"] = f"{data['name']} <{data['email']}>"
    message["To"] = office.email or "office"
    message["Subject"] = data["subject"]
    message.set_content(f"{data['message']}\n\n{data['name']}\n{data['postcode']}\n{data['phone']}")
    return message.as_bytes()


def thanks(request: HttpRequest, office_slug: str) -> HttpResponse:
    office = get_object_or_404(Office, slug=office_slug)
    context = {"office": office, "by_phone": request.GET.get("by") == "phone"}
    return render(request, "voices/contact_thanks.html", context)
