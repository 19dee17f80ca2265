from __future__ import annotations

from django import forms
from django.contrib.auth.models import User
from django.utils import timezone

from compassion.core.forms import name_empty_choice
from compassion.core.models import Office
from compassion.insights.models import Action


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["title", "evidence", "theme", "owner", "due"]
        widgets = {"due": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        labels = {"evidence": "Evidence behind it", "owner": "Who owns it", "due": "Due by"}

    def __init__(self, *args: object, office: Office, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(memberships__office=office).order_by(
            "first_name"
        )
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["due"].required = True
        name_empty_choice(self.fields["theme"], "No theme")
        name_empty_choice(self.fields["owner"], "No one yet")


class AreaUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file of areas and deciles",
        help_text="Two columns with a header row: area (a ward name or a postcode district "
        "such as NB1) and decile (1 for the most deprived tenth, 10 for the least).",
    )
    source = forms.CharField(
        label="Where the deciles come from",
        max_length=200,
        required=False,
        help_text="For example: English Indices of Deprivation 2019.",
    )


LONGEST_PERIOD_DAYS = 30 * 366  # thirty years: a chart of one point a month stays readable


class QuotesForm(forms.Form):
    theme = forms.ChoiceField(label="Theme")
    start = forms.DateField(
        label="From", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label="To", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        from compassion.core.themes import Theme

        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = Theme.choices

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError("The start date must come before the end date.")
        if start and start > timezone.localdate():
            raise forms.ValidationError(
                "The period starts after today, so nothing has been heard in it yet."
            )
        if start and end and (min(end, timezone.localdate()) - start).days > LONGEST_PERIOD_DAYS:
            raise forms.ValidationError("Choose a period of thirty years or less.")
        return data
