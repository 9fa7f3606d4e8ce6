"""Forms for contributions, recommendations and feedback. They only shape input: services validate."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from target87.consultations.enums import SessionKind, ThematicArea
from target87.core import countries
from target87.people.enums import StakeholderGroup

from .enums import Actor, ContributionKind, FeedbackKind, Level, Timeframe


def _question_choices(consultation):
    return [(q.pk, f"Q{q.position}. {q.tr('short_title')}") for q in consultation.key_questions.all()]


def _breakout_choices(consultation):
    return [("", _("— not in a breakout group —"))] + [
        (s.pk, s.tr("title"))
        for s in consultation.sessions.filter(kind=SessionKind.BREAKOUT).order_by("start", "title")
    ]


def _country_choices(consultation):
    return sorted(((code, countries.name(code)) for code in consultation.countries), key=lambda c: c[1])


class ContributionForm(forms.Form):
    text = forms.CharField(label=_("Your contribution"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000)
    kind = forms.ChoiceField(label=_("Kind"), choices=ContributionKind.choices, widget=forms.RadioSelect)
    key_question = forms.TypedChoiceField(label=_("Key question"), coerce=int)
    session = forms.ChoiceField(label=_("Breakout group"), required=False)
    thematic_area = forms.ChoiceField(
        label=_("Thematic area"), required=False, choices=[("", _("— any —")), *list(ThematicArea.choices)]
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries concerned"), required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )
    anonymous = forms.BooleanField(label=_("Do not show my name on public pages"), required=False)
    client_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, consultation, capture: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_question"].choices = _question_choices(consultation)
        self.fields["session"].choices = _breakout_choices(consultation)
        self.fields["countries"].choices = _country_choices(consultation)
        if not self.is_bound:
            self.initial.setdefault("client_key", str(uuid.uuid4()))
        if capture:
            del self.fields["anonymous"]
            self.fields["text"].label = _("Contribution")
            self.fields["stakeholder_group"] = forms.ChoiceField(
                label=_("Stakeholder group it comes from"),
                required=False,
                choices=[("", _("— not said —")), *list(StakeholderGroup.choices)],
            )


class RecommendationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 5}))
    key_question = forms.TypedChoiceField(label=_("Key question"), coerce=int)
    session = forms.ChoiceField(label=_("Drafted in"), required=False)
    thematic_area = forms.ChoiceField(
        label=_("Thematic area"), required=False, choices=[("", _("— any —")), *list(ThematicArea.choices)]
    )
    actors = forms.MultipleChoiceField(
        label=_("Actors addressed"), choices=Actor.choices, widget=forms.CheckboxSelectMultiple
    )
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    timeframe = forms.ChoiceField(label=_("Timeframe"), choices=Timeframe.choices)
    contributions = forms.TypedMultipleChoiceField(
        label=_("Comes from the contributions"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    note = forms.CharField(label=_("What changed (kept with the version)"), required=False, max_length=300)

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_question"].choices = _question_choices(consultation)
        self.fields["session"].choices = _breakout_choices(consultation)
        self.fields["contributions"].choices = [
            (c.pk, f"Q{c.key_question.position} · {c.get_kind_display()} · {c.text[:90]}")
            for c in consultation.contributions.select_related("key_question")
        ]


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("I want to"),
        widget=forms.RadioSelect,
        initial=FeedbackKind.COMMENT,
        choices=[(FeedbackKind.COMMENT, _("comment")), (FeedbackKind.AMENDMENT, _("propose a new text"))],
    )
    text = forms.CharField(
        label=_("Comment, or why the text should change"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    proposed_text = forms.CharField(
        label=_("Proposed text (for an amendment)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
