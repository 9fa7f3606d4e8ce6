"""Forms of synthesis. They only shape input: the services validate. Key questions, members and sources are
chosen among the consultation's own and come out of the forms as objects."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from target87.consultations.enums import ThematicArea
from target87.deliberation.enums import Actor, Level, Timeframe
from target87.priorities.enums import Method as BallotMethod

from .enums import Method


class SuggestForm(forms.Form):
    key_question = forms.ModelChoiceField(
        label=_("Key question"), queryset=None, required=False, empty_label=_("All key questions")
    )
    method = forms.ChoiceField(label=_("Compare by"), choices=Method.choices, initial=Method.AUTO)
    threshold = forms.FloatField(
        label=_("Distance threshold"),
        required=False,
        min_value=0.01,
        max_value=2,
        help_text=_("From 0 to 2; lower asks for closer texts. Leave empty for the method's usual threshold."),
    )
    include_covered = forms.BooleanField(
        label=_("Also compare contributions already in a recommendation"), required=False
    )

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["key_question"]
        field.queryset = consultation.key_questions.all()
        field.label_from_instance = lambda q: f"Q{q.position}. {q.tr('short_title')}"


class AcceptForm(forms.Form):
    title = forms.CharField(label=_("Title of the merged recommendation"), max_length=200)
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    actors = forms.MultipleChoiceField(
        label=_("Actors addressed"), choices=Actor.choices, widget=forms.CheckboxSelectMultiple
    )
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    timeframe = forms.ChoiceField(label=_("Timeframe"), choices=Timeframe.choices)
    thematic_area = forms.ChoiceField(
        label=_("Thematic area"), required=False, choices=[("", _("— any —")), *list(ThematicArea.choices)]
    )


class SplitForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=_("Keep these together"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, suggestion, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        field.queryset = suggestion.members.all()
        field.label_from_instance = lambda m: m.text[:160]


class QuoteForm(forms.Form):
    contribution = forms.ModelChoiceField(label=_("From the contribution"), queryset=None, empty_label=None)
    text = forms.CharField(
        label=_("Quote"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_("Copied word for word from the contribution; only spaces and line breaks may differ."),
    )

    def __init__(self, *args, recommendation, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["contribution"]
        field.queryset = recommendation.contributions.all()
        field.label_from_instance = lambda c: c.text[:120]


class BallotForm(forms.Form):
    title = forms.CharField(
        label=_("Ballot title"), max_length=200, initial=_("Priorities among the merged recommendations")
    )
    method = forms.ChoiceField(label=_("Method"), choices=BallotMethod.choices)
    dots = forms.IntegerField(label=_("Dots per participant (dots only)"), required=False, min_value=1, initial=10)
    include_unmerged = forms.BooleanField(label=_("Also the recommendations that were not merged"), required=False)
