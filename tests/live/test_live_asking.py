"""Asking a question from a phone: what is stored, and the clear message when nothing is."""

import datetime as dt

import pytest
from django.utils import timezone

from factories import PersonFactory, SessionFactory
from factories_deliberation import participant
from target87.consultations.models import SessionSpeaker
from target87.core.errors import ServiceError
from target87.live import services
from target87.live.models import Question
from target87.people.refusals import Refusal


def _ask(who, session, text="How do household surveys count hazardous work?", **kwargs):
    return services.question_ask(
        participant=who, session=session, text=text, language=kwargs.pop("language", "fr"), **kwargs
    )


def test_a_question_is_stored_in_its_language_waiting_for_the_moderator(lunch_talk, delegate):
    question = _ask(delegate, lunch_talk, anonymous=True)
    assert (question.language, question.status, question.anonymous, question.author) == (
        "fr",
        "pending",
        True,
        delegate,
    )


def test_without_premoderation_a_question_is_shown_at_once(lunch_talk, delegate, convener):
    services.session_live_update(actor=convener, session=lunch_talk, questions_open=True, premoderated=False)
    assert _ask(delegate, lunch_talk).status == "approved"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "Your question is empty: write it, then send it."),
        ("x" * 281, "Keep your question to 280 characters (it has 281): shorten it and send it again."),
    ],
)
def test_an_empty_or_too_long_question_is_refused_and_nothing_stored(lunch_talk, delegate, text, message):
    with pytest.raises(ServiceError) as refused:
        _ask(delegate, lunch_talk, text=text)
    assert refused.value.message_dict == {"text": [message]}
    assert Question.objects.count() == 0


def test_the_same_question_asked_again_is_refused_with_a_pointer_to_upvote(lunch_talk, delegate, other):
    _ask(delegate, lunch_talk, text="What about fisheries?")
    with pytest.raises(ServiceError) as refused:
        _ask(other, lunch_talk, text="what about   FISHERIES")
    assert refused.value.message_dict == {
        "text": ["This question has already been asked in this session: upvote it instead."]
    }
    with pytest.raises(ServiceError) as again:
        _ask(delegate, lunch_talk, text="What about fisheries?!")
    assert again.value.message_dict == {"text": ["You have already asked this question in this session."]}
    assert Question.objects.count() == 1


def test_a_fourth_question_within_a_minute_waits_with_a_message(lunch_talk, delegate):
    now = timezone.now()
    for n in range(3):
        _ask(delegate, lunch_talk, text=f"Question number {n}", now=now + dt.timedelta(seconds=n))
    with pytest.raises(ServiceError) as refused:
        _ask(delegate, lunch_talk, text="One more", now=now + dt.timedelta(seconds=20))
    assert refused.value.messages == [
        "You have asked 3 questions in the last minute: wait 41 seconds before asking another."
    ]
    assert _ask(delegate, lunch_talk, text="One more", now=now + dt.timedelta(seconds=61)).text == "One more"


def test_an_observer_may_not_ask(lunch_talk, consultation):
    observer = participant(consultation, role="observer")
    with pytest.raises(Refusal):
        _ask(observer, lunch_talk)
    assert Question.objects.count() == 0


def test_a_closed_session_says_why(lunch_talk, delegate, convener):
    services.session_live_update(actor=convener, session=lunch_talk, questions_open=False, premoderated=True)
    with pytest.raises(ServiceError) as refused:
        _ask(delegate, lunch_talk)
    assert refused.value.messages == ["The moderator has closed the questions of this session."]


def test_an_ended_session_takes_no_more_questions(lunch_talk, delegate, convener):
    services.clock_act(actor=convener, session=lunch_talk, action="start")
    services.clock_act(actor=convener, session=lunch_talk, action="end")
    with pytest.raises(ServiceError) as refused:
        _ask(delegate, lunch_talk)
    assert refused.value.messages == ["This session has ended: it takes no more questions."]


def test_a_breakout_takes_questions_only_when_its_facilitator_opens_them(consultation, delegate, facilitator):
    breakout = SessionFactory(consultation=consultation, kind="breakout")
    with pytest.raises(ServiceError) as refused:
        _ask(delegate, breakout)
    assert refused.value.messages == ["This breakout group takes questions only when its facilitator opens them."]
    services.session_live_update(actor=facilitator, session=breakout, questions_open=True, premoderated=True)
    assert _ask(delegate, breakout).session == breakout


def test_a_break_cannot_be_opened_to_questions(consultation, convener):
    coffee = SessionFactory(consultation=consultation, kind="break", title="Coffee")
    with pytest.raises(ServiceError) as refused:
        services.session_live_update(actor=convener, session=coffee, questions_open=True, premoderated=True)
    assert refused.value.message_dict == {"questions_open": ["A session of this kind (Break) takes no questions."]}


def test_a_question_goes_to_a_speaker_of_the_session_only(lunch_talk, consultation, delegate):
    speaker = SessionSpeaker.objects.create(session=lunch_talk, person=PersonFactory(name="Ana Speaker"))
    elsewhere = SessionSpeaker.objects.create(session=SessionFactory(consultation=consultation), person=PersonFactory())
    assert _ask(delegate, lunch_talk, speaker=str(speaker.pk)).speaker == speaker
    with pytest.raises(ServiceError) as refused:
        _ask(delegate, lunch_talk, text="Another one", speaker=str(elsewhere.pk))
    assert refused.value.message_dict == {"speaker": ["Choose one of this session's speakers, or the whole panel."]}
    for wanted in ("abc", "١٢", "9" * 30):  # not an id: refused with the same words, never a server error
        with pytest.raises(ServiceError) as refused:
            _ask(delegate, lunch_talk, text=f"Question for {wanted}", speaker=wanted)
        assert refused.value.message_dict == {"speaker": ["Choose one of this session's speakers, or the whole panel."]}


def test_a_language_outside_the_three_is_refused(lunch_talk, delegate):
    with pytest.raises(ServiceError) as refused:
        _ask(delegate, lunch_talk, language="de")
    assert refused.value.message_dict == {
        "language": ["Choose the language of your question: English, French or Spanish."]
    }
