"""Forms of the follow-through. They only shape the input; the services check it and say what is wrong."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from target87.consultations.enums import ThematicArea
from target87.core import countries
from target87.indicators.models import Series
from target87.people.models import Organisation

from .enums import ActionStatus, MoneyKind, SourceType


class DateInput(forms.DateInput):
    input_type = "date"


def _country_choices():
    return [("", "—"), *countries.choices()]


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    country = forms.ChoiceField(label=_("Country"), required=False, choices=_country_choices)
    region = forms.CharField(label=_("Region"), required=False, max_length=120, help_text=_("When not one country"))
    recommendations = forms.ModelMultipleChoiceField(label=_("Recommendations it answers"), queryset=None)
    thematic_areas = forms.MultipleChoiceField(
        label=_("Thematic areas"), required=False, choices=ThematicArea.choices, widget=forms.CheckboxSelectMultiple
    )
    lead = forms.ModelMultipleChoiceField(label=_("Lead organisations"), required=False, queryset=None)
    partner = forms.ModelMultipleChoiceField(label=_("Partner organisations"), required=False, queryset=None)
    funder = forms.ModelMultipleChoiceField(label=_("Funders"), required=False, queryset=None)
    start_date = forms.DateField(label=_("Start"), required=False, widget=DateInput)
    due_date = forms.DateField(label=_("Due"), required=False, widget=DateInput)
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100, initial=0)
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators it aims to move"), required=False, queryset=Series.objects.all()
    )
    note = forms.CharField(label=_("What changed, and why"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendations"].queryset = consultation.recommendations.order_by("number")
        for name in ("lead", "partner", "funder"):
            self.fields[name].queryset = Organisation.objects.order_by("name")

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        partners = []
        for role in ("lead", "partner", "funder"):
            partners += [(organisation, role) for organisation in data.pop(role)]
        data["partners"] = partners
        data["recommendations"] = list(data["recommendations"])
        data["indicators"] = list(data["indicators"])
        return data

    @staticmethod
    def initial_for(action) -> dict:
        parts = list(action.partners.all())
        return {
            "title": action.title,
            "description": action.description,
            "country": action.country,
            "region": action.region,
            "recommendations": list(action.recommendations.all()),
            "thematic_areas": action.thematic_areas,
            "lead": [p.organisation for p in parts if p.role == "lead"],
            "partner": [p.organisation for p in parts if p.role == "partner"],
            "funder": [p.organisation for p in parts if p.role == "funder"],
            "start_date": action.start_date,
            "due_date": action.due_date,
            "status": action.status,
            "progress": action.progress,
            "indicators": list(action.indicators.all()),
        }


class ProgressForm(forms.Form):
    """The focal point's quick update: where the action stands, with a note and a piece of evidence."""

    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    due_date = forms.DateField(label=_("Due"), required=False, widget=DateInput)
    note = forms.CharField(label=_("What happened"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence_url = forms.CharField(label=_("Evidence: a link"), required=False, max_length=500)
    evidence_label = forms.CharField(label=_("What the evidence is"), required=False, max_length=200)
    evidence_file = forms.FileField(label=_("Evidence: a file"), required=False)

    def evidence(self) -> list[dict]:
        data = self.cleaned_data
        label = data.get("evidence_label", "")
        items = []
        if data.get("evidence_url"):
            items.append({"url": data["evidence_url"], "label": label})
        if data.get("evidence_file"):
            items.append({"file": data["evidence_file"], "label": label})
        return items


class MoneyForm(forms.Form):
    year = forms.IntegerField(label=_("Year"))
    kind = forms.ChoiceField(label=_("Committed or spent"), choices=MoneyKind.choices)
    amount = forms.CharField(label=_("Amount"), max_length=30)
    currency = forms.CharField(label=_("Currency (ISO 4217)"), max_length=10, initial="USD")
    source_type = forms.ChoiceField(label=_("Source"), choices=SourceType.choices)


class FocalPointForm(forms.Form):
    username = forms.CharField(label=_("User name of the account"), max_length=150)
    country = forms.ChoiceField(label=_("Country"), required=False, choices=_country_choices)
    organisation = forms.ModelChoiceField(
        label=_("Or organisation"), required=False, queryset=Organisation.objects.order_by("name")
    )

    def clean_username(self):
        user = get_user_model().objects.filter(username=self.cleaned_data["username"]).first()
        if user is None:
            raise forms.ValidationError(_("No account has this user name."))
        return user


class GoodPracticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    country = forms.ChoiceField(label=_("Country"), required=False, choices=_country_choices)
    thematic_area = forms.ChoiceField(
        label=_("Thematic area"), required=False, choices=[("", "—"), *ThematicArea.choices]
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Actors"), required=False, queryset=Organisation.objects.order_by("name")
    )
    evidence = forms.CharField(label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    contributions = forms.ModelMultipleChoiceField(
        label=_("Contributions that cited it"), required=False, queryset=None
    )

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contributions"].queryset = consultation.contributions.filter(kind="good_practice")


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("One action a row, in the layout of the export"))


class RateForm(forms.Form):
    currency = forms.CharField(label=_("Currency (ISO 4217)"), max_length=10)
    valid_from = forms.DateField(label=_("From"), widget=DateInput)
    per_usd = forms.CharField(label=_("Units for one US dollar"), max_length=30)
    source = forms.CharField(label=_("Source"), required=False, max_length=200)
