"""Forms for contributions, recommendations and feedback. They only shape input: services validate.

Key questions, breakout groups and contributions are chosen among the consultation's own and come out of the
forms as objects.
"""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from target87.consultations.enums import SessionKind, ThematicArea
from target87.consultations.models import KeyQuestion, Session
from target87.core import countries
from target87.people.enums import StakeholderGroup

from .enums import Actor, ContributionKind, FeedbackKind, Level, Timeframe
from .models import Contribution


def _key_question_field(label) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=label, queryset=KeyQuestion.objects.none(), empty_label=None)


def _breakout_field(label) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=Session.objects.none(),
        required=False,
        empty_label=_("— not in a breakout group —"),
    )


def _limit_to(form: forms.Form, consultation) -> None:
    """The key questions and breakout groups to choose from: the consultation's."""
    question = form.fields["key_question"]
    question.queryset = consultation.key_questions.all()
    question.label_from_instance = lambda q: f"Q{q.position}. {q.tr('short_title')}"
    session = form.fields["session"]
    session.queryset = consultation.sessions.filter(kind=SessionKind.BREAKOUT).order_by("start", "title")
    session.label_from_instance = lambda s: s.tr("title")


def _country_choices(consultation):
    return sorted(((code, countries.name(code)) for code in consultation.countries), key=lambda c: c[1])


class ContributionForm(forms.Form):
    text = forms.CharField(label=_("Your contribution"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000)
    kind = forms.ChoiceField(label=_("Kind"), choices=ContributionKind.choices, widget=forms.RadioSelect)
    key_question = _key_question_field(_("Key question"))
    session = _breakout_field(_("Breakout group"))
    thematic_area = forms.ChoiceField(
        label=_("Thematic area"), required=False, choices=[("", _("— any —")), *list(ThematicArea.choices)]
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries concerned"), required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )
    show_name = forms.BooleanField(
        label=_("Show my name with my contribution on public pages"),
        required=False,
        help_text=_("Unless you tick this, your contribution is published without your name."),
    )
    client_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, consultation, capture: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_to(self, consultation)
        self.fields["countries"].choices = _country_choices(consultation)
        if not self.is_bound:
            self.initial.setdefault("client_key", str(uuid.uuid4()))
        if capture:
            del self.fields["show_name"]
            self.fields["text"].label = _("Contribution")
            self.fields["stakeholder_group"] = forms.ChoiceField(
                label=_("Stakeholder group it comes from"),
                required=False,
                choices=[("", _("— not said —")), *list(StakeholderGroup.choices)],
            )


class RecommendationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 5}))
    key_question = _key_question_field(_("Key question"))
    session = _breakout_field(_("Drafted in"))
    thematic_area = forms.ChoiceField(
        label=_("Thematic area"), required=False, choices=[("", _("— any —")), *list(ThematicArea.choices)]
    )
    actors = forms.MultipleChoiceField(
        label=_("Actors addressed"), choices=Actor.choices, widget=forms.CheckboxSelectMultiple
    )
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    timeframe = forms.ChoiceField(label=_("Timeframe"), choices=Timeframe.choices)
    contributions = forms.ModelMultipleChoiceField(
        label=_("Comes from the contributions"),
        queryset=Contribution.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    note = forms.CharField(label=_("What changed (kept with the version)"), required=False, max_length=300)

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_to(self, consultation)
        contributions = self.fields["contributions"]
        contributions.queryset = consultation.contributions.select_related("key_question")
        contributions.label_from_instance = lambda c: (
            f"Q{c.key_question.position} · {c.get_kind_display()} · {c.text[:90]}"
        )


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
