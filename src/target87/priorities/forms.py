"""The convener's ballot form. Votes are read straight from the POST by the views (one field per item)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from target87.consultations.enums import SessionKind

from .enums import Method


class BallotForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    question = forms.CharField(
        label=_("What participants are asked"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    dots = forms.IntegerField(
        label=_("Dots per participant (dots method)"), required=False, min_value=1, max_value=100, initial=10
    )
    session = forms.ChoiceField(label=_("Voted in the session"), required=False)
    recommendations = forms.TypedMultipleChoiceField(
        label=_("Recommendations on the ballot"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    statements = forms.CharField(
        label=_("Statements (agree / disagree only), one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].choices = [("", "—")] + [
            (s.pk, s.tr("title")) for s in consultation.sessions.filter(kind=SessionKind.PLENARY).order_by("start")
        ]
        self.fields["recommendations"].choices = [
            (r.pk, f"{r.code}. {r.title}") for r in consultation.recommendations.order_by("number")
        ]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["statements"] = [line for line in (data["statements"] or "").splitlines() if line.strip()]
        return data
