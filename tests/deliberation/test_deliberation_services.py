"""Contributions, recommendations and their versions, comments and amendments."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied

from factories import ConsultationFactory, KeyQuestionFactory, SessionFactory
from factories_deliberation import ContributionFactory, facilitator_of, participant
from target87.core.errors import ServiceError
from target87.deliberation import services
from target87.deliberation.models import Contribution, Feedback, Recommendation


@pytest.fixture
def question(consultation):
    return KeyQuestionFactory(consultation=consultation, position=1)


@pytest.fixture
def breakout(consultation):
    return SessionFactory(consultation=consultation, kind="breakout", title="Breakout A")


def test_a_participant_contributes_from_their_phone_in_their_group(consultation, question, breakout):
    p = participant(consultation, "survivor_led")
    made = services.contribution_create(
        consultation=consultation,
        participation=p,
        key_question=question,
        session=breakout,
        kind="challenge",
        text="  Survivors are not consulted on referral systems. ",
        thematic_area="human_trafficking",
        countries=["tha", "Cambodia"],
        anonymous=True,
    )
    assert (made.text, made.stakeholder_group, made.countries, made.author, made.session) == (
        "Survivors are not consulted on referral systems.",
        "survivor_led",
        ["KHM", "THA"],
        p,
        breakout,
    )
    assert made.public_author() == ""


def test_a_contribution_sent_twice_from_a_phone_is_stored_once(consultation, question):
    p = participant(consultation)
    key = str(uuid.uuid4())
    fields = dict(
        consultation=consultation,
        participation=p,
        key_question=question,
        kind="proposal",
        text="Pool funding across ministries.",
        client_key=key,
    )
    first = services.contribution_create(**fields)
    again = services.contribution_create(**fields)
    assert again.pk == first.pk
    assert Contribution.objects.count() == 1


def test_bad_contribution_says_what_is_wrong_per_field_and_stores_nothing(consultation, question):
    other_question = KeyQuestionFactory(consultation=ConsultationFactory(), position=1)
    plenary = SessionFactory(consultation=consultation, kind="plenary")
    with pytest.raises(ServiceError) as refused:
        services.contribution_create(
            consultation=consultation,
            participation=participant(consultation),
            key_question=other_question,
            session=plenary,
            kind="rumour",
            text="   ",
            thematic_area="fishing",
            countries=["Atlantis"],
        )
    assert refused.value.message_dict == {
        "key_question": ["Choose one of the consultation's key questions."],
        "session": ["Choose one of the consultation's breakout groups."],
        "text": ["This cannot be empty."],
        "kind": ["Choose a kind: good practice, challenge, proposal or evidence."],
        "thematic_area": ["Choose a thematic area from the list."],
        "countries": ["Unknown countries: Atlantis. Use ISO 3166 codes such as KHM, LAO."],
    }
    assert Contribution.objects.count() == 0


def test_a_key_question_of_another_consultation_is_refused_and_nothing_is_stored(consultation, question):
    elsewhere = KeyQuestionFactory(consultation=ConsultationFactory(), position=1)
    with pytest.raises(ServiceError) as refused:
        services.contribution_create(
            consultation=consultation,
            participation=participant(consultation),
            key_question=elsewhere,
            kind="proposal",
            text="Pool funding across ministries.",
        )
    assert refused.value.message_dict == {"key_question": ["Choose one of the consultation's key questions."]}
    with pytest.raises(ServiceError) as without:
        services.contribution_create(
            consultation=consultation,
            participation=participant(consultation),
            key_question=None,
            kind="proposal",
            text="Pool funding across ministries.",
        )
    assert without.value.message_dict == {"key_question": ["Choose one of the consultation's key questions."]}
    assert Contribution.objects.count() == 0


def test_a_breakout_group_of_another_consultation_is_refused(consultation, question):
    elsewhere = SessionFactory(consultation=ConsultationFactory(), kind="breakout")
    with pytest.raises(ServiceError) as refused:
        services.contribution_create(
            consultation=consultation,
            participation=participant(consultation),
            key_question=question,
            session=elsewhere,
            kind="proposal",
            text="Pool funding across ministries.",
        )
    assert refused.value.message_dict == {"session": ["Choose one of the consultation's breakout groups."]}
    assert Contribution.objects.count() == 0


def test_a_rapporteur_captures_for_a_stakeholder_group_but_a_stranger_cannot(consultation, question):
    rapporteur = facilitator_of(consultation, role="rapporteur")
    made = services.contribution_create(
        consultation=consultation,
        actor=rapporteur,
        key_question=question,
        kind="evidence",
        text="Inspections found 40 cases.",
        stakeholder_group="workers",
    )
    assert (made.captured_by, made.stakeholder_group, made.author) == (rapporteur, "workers", None)
    other = facilitator_of(ConsultationFactory())
    with pytest.raises(PermissionDenied):
        services.contribution_create(
            consultation=consultation, actor=other, key_question=question, kind="evidence", text="x"
        )


def test_a_participant_of_another_consultation_cannot_contribute(consultation, question):
    with pytest.raises(PermissionDenied) as refused:
        services.contribution_create(
            consultation=consultation,
            participation=participant(ConsultationFactory()),
            key_question=question,
            kind="proposal",
            text="x",
        )
    assert str(refused.value) == "Your access link is for another consultation."


def _draft(consultation, question, actor, **extra):
    fields = dict(
        key_question=question,
        title="National action plans with budgets",
        text="Adopt national action plans on forced labour with dedicated budgets.",
        level="national",
        timeframe="medium",
        actors=["governments", "social_partners"],
        thematic_area="forced_labour",
    )
    fields.update(extra)
    return services.recommendation_create(actor=actor, consultation=consultation, **fields)


def test_every_edit_of_a_recommendation_is_kept_as_a_version(consultation, question):
    facilitator = facilitator_of(consultation)
    source = ContributionFactory(consultation=consultation, key_question=question)
    rec = _draft(consultation, question, facilitator, contributions=[source])
    assert (rec.number, rec.code, rec.version, list(rec.contributions.all())) == (1, "R1", 1, [source])
    rec = services.recommendation_update(
        actor=facilitator, recommendation=rec, title="Costed national action plans", note="Title sharpened"
    )
    rec = services.recommendation_update(actor=facilitator, recommendation=rec, title="Costed national action plans")
    assert rec.version == 2
    assert list(rec.versions.values_list("number", "title", "note")) == [
        (2, "Costed national action plans", "Title sharpened"),
        (1, "National action plans with budgets", "First draft"),
    ]
    assert _draft(consultation, question, facilitator).number == 2


def test_recommendation_fields_are_checked(consultation, question):
    with pytest.raises(ServiceError) as refused:
        _draft(consultation, question, facilitator_of(consultation), level="global", timeframe="soon", actors=[])
    assert refused.value.message_dict == {
        "actors": ["Name at least one actor the recommendation addresses."],
        "level": ["Choose regional or national."],
        "timeframe": ["Choose a timeframe from the list."],
    }
    assert Recommendation.objects.count() == 0


def test_a_recommendation_refuses_a_question_group_and_sources_of_another_consultation(consultation, question):
    facilitator = facilitator_of(consultation)
    other = ConsultationFactory()
    elsewhere = KeyQuestionFactory(consultation=other, position=1)
    with pytest.raises(ServiceError) as refused:
        _draft(
            consultation,
            elsewhere,
            facilitator,
            session=SessionFactory(consultation=other, kind="breakout"),
            contributions=[ContributionFactory(consultation=other, key_question=elsewhere)],
        )
    assert refused.value.message_dict == {
        "key_question": ["Choose one of the consultation's key questions."],
        "session": ["Choose one of the consultation's breakout groups."],
        "contributions": ["Choose contributions made in this consultation."],
    }
    assert Recommendation.objects.count() == 0


def test_an_edit_with_a_question_or_sources_of_another_consultation_is_refused_and_no_version_kept(
    consultation, question
):
    facilitator = facilitator_of(consultation)
    source = ContributionFactory(consultation=consultation, key_question=question)
    rec = _draft(consultation, question, facilitator, contributions=[source])
    elsewhere = ContributionFactory(consultation=ConsultationFactory())
    with pytest.raises(ServiceError) as refused:
        services.recommendation_update(
            actor=facilitator,
            recommendation=rec,
            key_question=elsewhere.key_question,
            contributions=[source, elsewhere],
        )
    assert refused.value.message_dict == {
        "key_question": ["Choose one of the consultation's key questions."],
        "contributions": ["Choose contributions made in this consultation."],
    }
    rec.refresh_from_db()
    assert (rec.version, rec.key_question, list(rec.contributions.all())) == (1, question, [source])


def test_sources_of_a_recommendation_are_replaced_and_counted_once(consultation, question, breakout):
    facilitator = facilitator_of(consultation)
    first, second = (ContributionFactory(consultation=consultation, key_question=question) for _ in range(2))
    rec = _draft(consultation, question, facilitator, contributions=[first, first])
    assert list(rec.contributions.all()) == [first]
    rec = services.recommendation_update(
        actor=facilitator, recommendation=rec, session=breakout, contributions=[first, second]
    )
    assert (rec.version, rec.session, list(rec.contributions.all())) == (2, breakout, [first, second])
    assert rec.versions.first().details["contributions"] == [first.pk, second.pk]


def test_a_participant_proposes_an_amendment_and_the_facilitator_accepts_it(consultation, question):
    facilitator = facilitator_of(consultation)
    rec = _draft(consultation, question, facilitator)
    p = participant(consultation, "workers")
    comment = services.feedback_create(participation=p, recommendation=rec, kind="comment", text="Name the unions.")
    amendment = services.feedback_create(
        participation=p,
        recommendation=rec,
        kind="amendment",
        text="Social partners must be part of it.",
        proposed_text="Adopt, with the social partners, national action plans with dedicated budgets.",
    )
    with pytest.raises(ServiceError) as refused:
        services.amendment_decide(actor=facilitator, feedback=comment, accept=True)
    assert refused.value.messages == ["Only amendments are accepted or declined; a comment stays as it is."]
    services.amendment_decide(actor=facilitator, feedback=amendment, accept=True)
    rec.refresh_from_db()
    assert (rec.text, rec.version) == (
        "Adopt, with the social partners, national action plans with dedicated budgets.",
        2,
    )
    assert rec.versions.first().note == f"Amendment proposed by {p.person.name} accepted"
    assert Feedback.objects.get(pk=amendment.pk).status == "accepted"
    with pytest.raises(ServiceError) as again:
        services.amendment_decide(actor=facilitator, feedback=amendment, accept=False)
    assert again.value.messages == ["This amendment has already been accepted."]


def test_a_participant_cannot_accept_amendments(consultation, question):
    facilitator = facilitator_of(consultation)
    rec = _draft(consultation, question, facilitator)
    p = participant(consultation)
    amendment = services.feedback_create(
        participation=p, recommendation=rec, kind="amendment", text="Why", proposed_text="Another text."
    )
    with pytest.raises(PermissionDenied):
        services.amendment_decide(actor=None, feedback=amendment, accept=True)
    with pytest.raises(ServiceError) as refused:
        services.feedback_create(participation=p, recommendation=rec, kind="amendment", text="Why", proposed_text="")
    assert refused.value.message_dict == {"proposed_text": ["This cannot be empty."]}
