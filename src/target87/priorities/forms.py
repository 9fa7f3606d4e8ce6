"""The convener's forms for ballots and their items. Votes, and the statements participants propose, are read
straight from the POST by the views (one field per item)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from target87.consultations.enums import SessionKind
from target87.consultations.models import Session
from target87.deliberation.models import Recommendation

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
    session = forms.ModelChoiceField(
        label=_("Voted in the session"), queryset=Session.objects.none(), required=False, empty_label="—"
    )
    recommendations = forms.ModelMultipleChoiceField(
        label=_("Recommendations on the ballot"),
        queryset=Recommendation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    statements = forms.CharField(
        label=_("Statements (agree / disagree only), one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    takes_proposals = forms.BooleanField(
        label=_("Participants may propose statements (agree / disagree only)"),
        required=False,
        help_text=_("While the ballot is open; you review each statement before it is put to the vote."),
    )

    results_hidden = forms.BooleanField(
        label=_("Hide results until the ballot closes"),
        required=False,
        help_text=_("Until you close it, the plenary screen and the results page show only how many have voted."),
    )

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        session = self.fields["session"]
        session.queryset = consultation.sessions.filter(kind=SessionKind.PLENARY).order_by("start")
        session.label_from_instance = lambda s: s.tr("title")
        recommendations = self.fields["recommendations"]
        recommendations.queryset = consultation.recommendations.order_by("number")
        recommendations.label_from_instance = lambda r: f"{r.code}. {r.title}"

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("results_hidden", None)  # set once the ballot exists (see manage_views.manage_ballots)
        data["statements"] = [line for line in (data["statements"] or "").splitlines() if line.strip()]
        return data


class ItemForm(forms.Form):
    """An item of a ballot being prepared: a recommendation's label and text, or a statement."""

    label = forms.CharField(label=_("Label"), max_length=200, required=False)
    text = forms.CharField(label=_("Text"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, item, ballot, **kwargs):
        self.item = item
        kwargs.setdefault("initial", {"label": item.label, "text": item.text})
        kwargs.setdefault("prefix", f"item-{item.pk}")
        super().__init__(*args, **kwargs)
        if item.recommendation_id is None and ballot.method == Method.CONSENSUS:
            del self.fields["label"]
            self.fields["text"].label = _("Statement")


class ItemAddForm(forms.Form):
    """A new item at the end of a ballot being prepared: a recommendation, or (agree / disagree) a statement."""

    recommendation = forms.ModelChoiceField(
        label=_("Recommendation"), queryset=Recommendation.objects.none(), required=False, empty_label="—"
    )
    text = forms.CharField(
        label=_("Statement"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, ballot, taken=(), **kwargs):
        kwargs.setdefault("prefix", "add")
        super().__init__(*args, **kwargs)
        recommendation = self.fields["recommendation"]
        recommendation.queryset = ballot.consultation.recommendations.exclude(pk__in=list(taken)).order_by("number")
        recommendation.label_from_instance = lambda r: f"{r.code}. {r.title}"
        if ballot.method != Method.CONSENSUS:
            del self.fields["text"]
        else:
            self.fields["recommendation"].label = _("Recommendation (or write a statement below)")
