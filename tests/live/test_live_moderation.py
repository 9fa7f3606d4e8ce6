"""The moderator's queue: approve, hide, pin, answer, contributions; two moderators at once; the clock."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from factories import KeyQuestionFactory, UserFactory
from target87.core.errors import ServiceError
from target87.deliberation.models import Contribution
from target87.live import services
from target87.live.models import Question, SessionLive


@pytest.fixture
def question(lunch_talk, delegate):
    return services.question_ask(
        participant=delegate, session=lunch_talk, text="Are child labour figures comparable?", language="es"
    )


def test_two_moderators_on_one_question_one_wins_the_other_is_told(question, convener, facilitator):
    services.question_approve(actor=convener, question=question, version=0)
    stale = Question.objects.get(pk=question.pk)
    stale.version = 0  # what the second moderator's page showed
    with pytest.raises(ServiceError) as told:
        services.question_hide(actor=facilitator, question=stale, version=0, reason="Duplicate")
    assert told.value.messages == [
        "Another moderator changed this question a moment ago (it is now: Approved). Your change was not made: "
        "look at the question again."
    ]
    assert Question.objects.get(pk=question.pk).status == "approved"


def test_hiding_needs_a_reason(question, convener):
    with pytest.raises(ServiceError) as refused:
        services.question_hide(actor=convener, question=question, version=0, reason="  ")
    assert refused.value.message_dict == {"reason": ["Say why the question is hidden: its author reads it."]}
    assert Question.objects.get(pk=question.pk).status == "pending"


def test_pinning_approves_and_answering_unpins(question, convener, lunch_talk):
    services.question_pin(actor=convener, question=question, version=0)
    assert SessionLive.objects.get(pk=lunch_talk.pk).pinned_id == question.pk
    assert Question.objects.get(pk=question.pk).status == "approved"
    services.question_answer(actor=convener, question=question, version=1, note="Yes, since the 2016 estimates.")
    question.refresh_from_db()
    assert (question.answered, question.answer_note) == (True, "Yes, since the 2016 estimates.")
    assert SessionLive.objects.get(pk=lunch_talk.pk).pinned_id is None


def test_a_participant_account_may_not_moderate(question):
    with pytest.raises(PermissionDenied):
        services.question_approve(actor=UserFactory(), question=question, version=0)


def test_an_answered_question_becomes_a_contribution_with_a_link_back(question, convener, consultation):
    key_question = KeyQuestionFactory(consultation=consultation)
    services.question_approve(actor=convener, question=question, version=0)
    services.question_answer(actor=convener, question=question, version=1, note="They are, with care.")
    contribution = services.question_contribute(
        actor=convener, question=question, version=2, key_question=key_question, kind="challenge"
    )
    question.refresh_from_db()
    assert question.contribution == contribution
    assert contribution.key_question == key_question and contribution.author == question.author
    assert contribution.public_author() == ""
    assert "Are child labour figures comparable?" in contribution.text
    assert "Answer: They are, with care." in contribution.text
    with pytest.raises(ServiceError):
        services.question_contribute(
            actor=convener, question=question, version=3, key_question=key_question, kind="challenge"
        )
    assert Contribution.objects.count() == 1


def test_a_contribution_needs_a_key_question_of_the_consultation(question, convener):
    services.question_approve(actor=convener, question=question, version=0)
    with pytest.raises(ServiceError):
        services.question_contribute(actor=convener, question=question, version=1, key_question=None, kind="challenge")
    assert Question.objects.get(pk=question.pk).contribution is None and Contribution.objects.count() == 0


def test_the_clock_keeps_the_time_really_used(lunch_talk, facilitator):
    start = timezone.now()
    at = lambda minutes: start + dt.timedelta(minutes=minutes)  # noqa: E731
    services.clock_act(actor=facilitator, session=lunch_talk, action="start", now=at(0))
    services.clock_act(actor=facilitator, session=lunch_talk, action="pause", now=at(10))
    services.clock_act(actor=facilitator, session=lunch_talk, action="resume", now=at(25))
    state = services.clock_act(actor=facilitator, session=lunch_talk, action="end", now=at(32))
    assert state.used_seconds == 17 * 60
    assert state.left(at(40)) == lunch_talk.duration_minutes * 60 - 17 * 60


def test_the_clock_refuses_what_its_state_does_not_allow(lunch_talk, facilitator):
    with pytest.raises(ServiceError) as refused:
        services.clock_act(actor=facilitator, session=lunch_talk, action="pause")
    assert refused.value.messages == ["The clock is not started: it cannot be paused now."]


def test_allotted_minutes_come_from_the_session_or_the_moderator(lunch_talk, convener):
    lunch_talk.deliberation_minutes = 20
    lunch_talk.save()
    state = services.session_live_update(actor=convener, session=lunch_talk, questions_open=True, premoderated=True)
    assert state.allotted == 20
    state = services.session_live_update(
        actor=convener, session=lunch_talk, questions_open=True, premoderated=True, allotted_minutes="35"
    )
    assert state.allotted == 35
    with pytest.raises(ServiceError) as refused:
        services.session_live_update(
            actor=convener, session=lunch_talk, questions_open=True, premoderated=True, allotted_minutes="soon"
        )
    assert refused.value.message_dict == {
        "allotted_minutes": ["Give the minutes as a whole number from 1 to 1440, or leave it empty."]
    }
