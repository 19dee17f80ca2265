from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils.text import slugify

from compassion.commonground.models import STATEMENT_MAX_LENGTH, Conversation, normalise

MAX_SEED_STATEMENTS = 200
MAX_UPLOAD_MB = 50
MAX_INVITATIONS = 2000


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class ConversationForm(forms.ModelForm):
    class Meta:
        model = Conversation
        fields = [
            "title",
            "question",
            "description",
            "slug",
            "moderation",
            "participants_can_add",
            "who_can_vote",
            "opens_at",
            "closes_at",
            "session_cap",
            "report_published",
        ]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "moderation": forms.RadioSelect,
            "who_can_vote": forms.RadioSelect,
            "opens_at": DateTimeInput(),
            "closes_at": DateTimeInput(),
        }

    def __init__(self, *args: object, office: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.office = office
        slug = self.fields["slug"]
        slug.required = False
        slug.label = "Web address"
        slug.help_text = "The public web address's last part; made from the title if left empty."

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or slugify(self.cleaned_data.get("title", ""))[:80]
        if not slug:
            raise forms.ValidationError("Give the conversation a web address (letters and dashes).")
        taken = Conversation.objects.filter(office=self.office, slug=slug)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                "Another conversation of this office already uses that web address."
            )
        return slug

    def clean(self) -> dict:
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", "The closing time must come after the opening time.")
        return data


class NewConversationForm(ConversationForm):
    seed_statements = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        label="Seed statements",
        help_text=(
            "One statement per line, to start the conversation. Short, one idea each, "
            f"at most {STATEMENT_MAX_LENGTH} characters."
        ),
    )

    def clean_seed_statements(self) -> list[str]:
        lines = [
            " ".join(line.split()) for line in self.cleaned_data["seed_statements"].splitlines()
        ]
        lines = first_wordings(line for line in lines if line)
        too_long = [line for line in lines if len(line) > STATEMENT_MAX_LENGTH]
        if too_long:
            raise forms.ValidationError(
                f"{len(too_long)} statement(s) are longer than {STATEMENT_MAX_LENGTH} characters, "
                f"for example: “{too_long[0][:60]}…”. Shorten or split them."
            )
        if len(lines) > MAX_SEED_STATEMENTS:
            raise forms.ValidationError(f"At most {MAX_SEED_STATEMENTS} seed statements at once.")
        return lines


def first_wordings(texts: Iterable[str]) -> list[str]:
    """Each statement once, as first written: a repeat that differs only in case or end
    punctuation is dropped, as "Add a statement" refuses it."""
    kept: dict[str, str] = {}
    for text in texts:
        kept.setdefault(normalise(text), text)
    return list(kept.values())


class StatementForm(forms.Form):
    """A statement written by a participant (or added by staff)."""

    text = forms.CharField(
        label="Your statement",
        max_length=STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": STATEMENT_MAX_LENGTH}),
        help_text=(
            "One idea that others can agree or disagree with, in your own words. "
            "Please do not include names or personal details."
        ),
    )

    def clean_text(self) -> str:
        text = " ".join(self.cleaned_data["text"].split())
        if len(text) < 10:
            raise forms.ValidationError("Please write a full sentence (at least 10 characters).")
        return text


class EmailForm(forms.Form):
    email = forms.EmailField(label="Your email address", max_length=254)
    postcode = forms.CharField(label="Your postcode", max_length=10, required=False)

    def __init__(self, *args: object, needs_postcode: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if needs_postcode:
            self.fields["postcode"].required = True
        else:
            del self.fields["postcode"]


class PolisImportForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="A short name staff will recognise.")
    question = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The question the conversation asked.",
    )
    source = forms.CharField(
        max_length=300,
        required=False,
        label="Source and licence",
        help_text="e.g. Pol.is open data, CC BY 4.0, The Computational Democracy Project.",
    )
    comments = forms.FileField(label="comments.csv")
    votes = forms.FileField(label="votes.csv", required=False)
    participants_votes = forms.FileField(label="participants-votes.csv", required=False)

    def clean(self) -> dict:
        data = super().clean()
        for name in ("comments", "votes", "participants_votes"):
            upload = data.get(name)
            if upload and upload.size > MAX_UPLOAD_MB * 1024 * 1024:
                self.add_error(name, f"That file is larger than {MAX_UPLOAD_MB} MB.")
        if not data.get("votes") and not data.get("participants_votes"):
            raise forms.ValidationError(
                "Add votes.csv or participants-votes.csv: without votes there is nothing to show."
            )
        return data


class InvitationForm(forms.Form):
    count = forms.IntegerField(
        label="How many links",
        min_value=1,
        max_value=MAX_INVITATIONS,
        initial=50,
        help_text=f"Each link lets one person take part. At most {MAX_INVITATIONS} at a time.",
    )
