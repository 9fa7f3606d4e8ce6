"""Upvotes: one per participant and question, changeable; merged and hidden questions."""

import pytest

from factories import ConsultationFactory, SessionFactory
from factories_deliberation import participant
from target87.core.errors import ServiceError
from target87.live import services
from target87.live.models import Question, Upvote
from target87.people.refusals import Refusal


def _question(session, author, text="Which survey modules count forced labour?", **kwargs):
    return services.question_ask(participant=author, session=session, text=text, language="en", **kwargs)


def test_an_upvote_counts_once_and_can_be_withdrawn(lunch_talk, delegate, other):
    question = _question(lunch_talk, delegate)
    assert services.upvote(participant=other, question_id=question.pk).votes == 1
    assert services.upvote(participant=other, question_id=question.pk).votes == 1
    assert services.upvote(participant=delegate, question_id=question.pk).votes == 2
    outcome = services.upvote(participant=other, question_id=question.pk, withdraw=True)
    assert (outcome.votes, outcome.mine) == (1, False)
    assert list(Upvote.objects.values_list("participation_id", flat=True)) == [delegate.pk]


def test_an_upvote_on_a_hidden_question_is_refused(lunch_talk, delegate, other, convener):
    question = _question(lunch_talk, delegate)
    services.question_hide(actor=convener, question=question, version=0, reason="Off topic")
    with pytest.raises(ServiceError) as refused:
        services.upvote(participant=other, question_id=question.pk)
    assert refused.value.messages == ["The moderator has hidden this question: your vote was not recorded."]
    assert Upvote.objects.count() == 0


def test_an_upvote_on_a_merged_question_goes_to_the_one_it_was_merged_into(lunch_talk, delegate, other, convener):
    duplicate = _question(lunch_talk, delegate, text="How is forced labour measured?")
    survivor = _question(lunch_talk, other, text="What survey measures forced labour?")
    services.question_merge(actor=convener, question=duplicate, version=0, into=survivor.pk)
    third = participant(lunch_talk.consultation)
    outcome = services.upvote(participant=third, question_id=duplicate.pk)
    assert (outcome.question_id, outcome.votes, outcome.moved) == (survivor.pk, 1, True)


def test_withdrawing_from_a_merged_question_withdraws_from_the_one_it_was_merged_into(
    lunch_talk, delegate, other, convener
):
    duplicate = _question(lunch_talk, delegate, text="How is forced labour measured?")
    survivor = _question(lunch_talk, other, text="What survey measures forced labour?")
    third = participant(lunch_talk.consultation)
    services.upvote(participant=third, question_id=duplicate.pk)
    services.question_merge(actor=convener, question=duplicate, version=0, into=survivor.pk)
    outcome = services.upvote(participant=third, question_id=duplicate.pk, withdraw=True)
    assert (outcome.question_id, outcome.votes, outcome.mine, outcome.moved) == (survivor.pk, 0, False, True)
    assert Upvote.objects.count() == 0


def test_withdrawing_from_a_hidden_question_is_refused_and_keeps_the_upvote(lunch_talk, delegate, other, convener):
    question = _question(lunch_talk, delegate)
    services.upvote(participant=other, question_id=question.pk)
    services.question_hide(actor=convener, question=question, version=0, reason="Off topic")
    with pytest.raises(ServiceError, match="hidden this question"):
        services.upvote(participant=other, question_id=question.pk, withdraw=True)
    assert Upvote.objects.count() == 1


def test_merging_adds_the_votes_without_counting_anyone_twice(lunch_talk, delegate, other, convener):
    duplicate = _question(lunch_talk, delegate, text="How is forced labour measured?")
    survivor = _question(lunch_talk, other, text="What survey measures forced labour?")
    voters = [participant(lunch_talk.consultation) for _ in range(4)]
    for v in voters[:3]:
        services.upvote(participant=v, question_id=duplicate.pk)
    for v in voters[2:]:
        services.upvote(participant=v, question_id=survivor.pk)
    services.question_merge(actor=convener, question=duplicate, version=0, into=survivor.pk)
    assert Upvote.objects.filter(question=survivor).count() == 4  # 3 + 2, one voted both
    assert Upvote.objects.filter(question=duplicate).count() == 0
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into, duplicate.author) == ("merged", survivor, delegate)


def test_an_upvote_from_another_consultation_is_refused(lunch_talk, delegate):
    question = _question(lunch_talk, delegate)
    stranger = participant(ConsultationFactory())
    with pytest.raises(Refusal):
        services.upvote(participant=stranger, question_id=question.pk)
    assert Upvote.objects.count() == 0


def test_an_observer_may_not_upvote(lunch_talk, delegate):
    question = _question(lunch_talk, delegate)
    observer = participant(lunch_talk.consultation, role="observer")
    with pytest.raises(Refusal):
        services.upvote(participant=observer, question_id=question.pk)


def test_an_upvote_on_a_question_that_does_not_exist_says_so(delegate):
    with pytest.raises(ServiceError) as refused:
        services.upvote(participant=delegate, question_id=999_999)
    assert refused.value.messages == ["This question no longer exists."]


def test_a_merge_into_a_question_of_another_session_is_refused(lunch_talk, delegate, convener):
    question = _question(lunch_talk, delegate)
    elsewhere = _question(SessionFactory(consultation=lunch_talk.consultation), delegate, text="Other")
    with pytest.raises(ServiceError) as refused:
        services.question_merge(actor=convener, question=question, version=0, into=elsewhere.pk)
    assert refused.value.message_dict == {"into": ["Choose another question of this session to merge this one into."]}
    assert Question.objects.get(pk=question.pk).status == "pending"
