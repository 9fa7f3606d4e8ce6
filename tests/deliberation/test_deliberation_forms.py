"""The contribution and recommendation forms turn what was sent into the consultation's objects."""

import pytest

from factories import ConsultationFactory, KeyQuestionFactory, SessionFactory
from factories_deliberation import ContributionFactory
from target87.deliberation.forms import ContributionForm, RecommendationForm


@pytest.fixture
def question(consultation):
    return KeyQuestionFactory(consultation=consultation, position=1, short_title="Policy")


@pytest.fixture
def breakout(consultation):
    return SessionFactory(consultation=consultation, kind="breakout", title="Breakout A")


def _options(form, name: str) -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in form.fields[name].choices]


def test_contribution_form_offers_the_consultation_s_questions_and_breakout_groups(consultation, question, breakout):
    KeyQuestionFactory(consultation=ConsultationFactory(), position=1, short_title="Elsewhere")
    SessionFactory(consultation=consultation, kind="plenary", title="Opening")
    form = ContributionForm(consultation=consultation)
    assert _options(form, "key_question") == [(str(question.pk), "Q1. Policy")]
    assert _options(form, "session") == [("", "— not in a breakout group —"), (str(breakout.pk), "Breakout A")]


def test_contribution_form_cleans_ids_into_objects(consultation, question, breakout):
    form = ContributionForm(
        {"text": "Pool funding.", "kind": "proposal", "key_question": str(question.pk), "session": str(breakout.pk)},
        consultation=consultation,
    )
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["key_question"], form.cleaned_data["session"]) == (question, breakout)
    without_group = ContributionForm(
        {"text": "Pool funding.", "kind": "proposal", "key_question": str(question.pk), "session": ""},
        consultation=consultation,
    )
    assert without_group.is_valid(), without_group.errors
    assert without_group.cleaned_data["session"] is None


def test_contribution_form_refuses_a_question_or_group_not_offered(consultation, question):
    elsewhere = KeyQuestionFactory(consultation=ConsultationFactory(), position=1)
    plenary = SessionFactory(consultation=consultation, kind="plenary")
    form = ContributionForm(
        {"text": "Pool funding.", "kind": "proposal", "key_question": str(elsewhere.pk), "session": str(plenary.pk)},
        consultation=consultation,
    )
    assert not form.is_valid()
    assert sorted(form.errors) == ["key_question", "session"]


def test_recommendation_form_cleans_its_sources_into_the_consultation_s_contributions(consultation, question, breakout):
    source = ContributionFactory(consultation=consultation, key_question=question, text="Pool funding.")
    fields = {
        "title": "Pooled budgets",
        "text": "Pool the budgets.",
        "key_question": str(question.pk),
        "session": str(breakout.pk),
        "actors": ["governments"],
        "level": "national",
        "timeframe": "medium",
        "contributions": [str(source.pk)],
    }
    form = RecommendationForm(fields, consultation=consultation)
    assert _options(form, "contributions") == [(str(source.pk), "Q1 · Proposal · Pool funding.")]
    assert form.is_valid(), form.errors
    assert (
        form.cleaned_data["key_question"],
        form.cleaned_data["session"],
        list(form.cleaned_data["contributions"]),
    ) == (
        question,
        breakout,
        [source],
    )
    elsewhere = ContributionFactory(consultation=ConsultationFactory())
    refused = RecommendationForm({**fields, "contributions": [str(elsewhere.pk)]}, consultation=consultation)
    assert not refused.is_valid()
    assert list(refused.errors) == ["contributions"]
