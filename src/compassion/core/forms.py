from collections.abc import Iterator, Mapping
from typing import Any
from unicodedata import normalize

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.forms.renderers import TemplatesSetting

from compassion.core.models import Person, SpecialCategory, Vulnerability


def posted_text(data: Mapping[str, object], name: str) -> str:
    """The text posted as `name`, trimmed and without NUL characters, for a post read
    without a Django form (whose fields refuse them): PostgreSQL cannot store a NUL, and
    some programs paste one in."""
    return str(data.get(name, "")).replace("\x00", "").strip()


def name_empty_choice(field: forms.Field, words: str) -> None:
    """Plain words, such as "No one yet", for a list's empty choice instead of Django's
    "---------"."""
    if isinstance(field, forms.ModelChoiceField):
        field.empty_label = words
    else:
        field.choices = [("", words), *(choice for choice in field.choices if choice[0] != "")]


class FormRenderer(TemplatesSetting):
    """Every form Django lays out itself looks like the hand-laid ones: a label with no
    trailing colon, "(optional)" where a field may be left empty (or the field's
    `optional_note`, such as "needed if you commit to help"), hints and errors in the house
    style, and a tick box before its label (templates/forms/field.html)."""

    field_template_name = "forms/field.html"


class PersonForm(forms.ModelForm):
    vulnerabilities = forms.MultipleChoiceField(
        choices=Vulnerability.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    special_categories = forms.MultipleChoiceField(
        choices=SpecialCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Special-category data held",
        help_text="Only what the casework needs. This information is specially protected.",
    )

    class Meta:
        model = Person
        fields = [
            "title",
            "first_name",
            "last_name",
            "email",
            "phone",
            "address_line1",
            "address_line2",
            "town",
            "postcode",
            "ward",
            "age_band",
            "preferred_language",
            "vulnerabilities",
            "special_categories",
            "notes",
        ]
        labels = {"address_line1": "Address line 1", "address_line2": "Address line 2"}

    def clean_postcode(self) -> str:
        return " ".join(self.cleaned_data["postcode"].upper().split())

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if not any(cleaned.get(f) for f in ("first_name", "last_name", "email", "phone")):
            raise forms.ValidationError("Give at least a name, an email address or a phone number.")
        return cleaned


def changed_fields(form: forms.BaseForm) -> str:
    """The fields changed, as the form labels them: 'last name, phone', not 'last_name'."""
    return ", ".join(str(form[name].label).lower() for name in form.changed_data)


class LoginForm(auth_forms.AuthenticationForm):
    """A username logs in whatever its capitals ("Priya" as priya): no two logins differ
    only in capitals (the staff page and `compassion office create` refuse it), and the
    lockout then counts every attempt under the one username."""

    def clean(self) -> dict[str, Any]:
        typed = self.cleaned_data.get("username")
        if typed:
            found = get_user_model().objects.filter(username__iexact=typed)
            usernames = list(found.values_list("username", flat=True)[:2])
            if len(usernames) == 1:
                self.cleaned_data["username"] = usernames[0]
        return super().clean()


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Also for staff who have not chosen a password yet (their first link lapsed, or never
    reached them): Django's own form leaves out every login without a usable password, so
    "Forgotten your password?" sent them nothing while saying a link was on its way."""

    def get_users(self, email: str) -> Iterator[Any]:
        users = get_user_model()._default_manager.filter(email__iexact=email, is_active=True)
        return (user for user in users if same_address(user.email, email))


def same_address(one: str, other: str) -> bool:
    """As Django's form compares them: a look-alike letter does not stand in for another."""
    return normalize("NFKC", one).casefold() == normalize("NFKC", other).casefold()
