"""The moderator's queue: approve, hide with a reason, merge duplicates, pin the question being answered, mark it
answered with a note, and, after the session, turn it into a contribution to a key question.

Every change names the question's ``version`` as the moderator saw it. The change claims the question by counting
its version up only if it is still that one (one conditional ``UPDATE``, atomic on every database): of two
moderators acting on one question at once, one wins and the other is told what the question is now.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from target87.core import audit
from target87.core.errors import ServiceError
from target87.core.permissions import require
from target87.deliberation import services as deliberation

from ..enums import QuestionStatus
from ..models import NOTE_LENGTH, REASON_LENGTH, Question, SessionLive, Upvote
from ..state import live_state

#: the namespace of the keys that make a question one contribution however often it is sent
CONTRIBUTION_KEYS = uuid.UUID("5d0c7b7e-8a87-4c55-9b1e-6a0f87a1c0de")


def _version(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ServiceError(_("The form was altered; reload the page and try again.")) from None


def describe(question: Question) -> str:
    """What a question is now, in a few words for a moderator."""
    words = [str(question.get_status_display())]
    if question.answered:
        words.append(_("answered"))
    if SessionLive.objects.filter(pinned=question).exists():
        words.append(_("pinned"))
    return ", ".join(words)


def _claim(actor, question: Question, version, **changes) -> Question:
    """Inside a transaction: count the question's version up, with ``changes``, if it is still ``version``;
    else tell the moderator that someone else was quicker."""
    claimed = Question.objects.filter(pk=question.pk, version=_version(version)).update(
        version=F("version") + 1, moderated_by=actor, **changes
    )
    if not claimed:
        current = Question.objects.get(pk=question.pk)
        raise ServiceError(
            _(
                "Another moderator changed this question a moment ago (it is now: %(state)s). Your change was not "
                "made: look at the question again."
            )
            % {"state": describe(current)}
        )
    question.refresh_from_db()
    return question


def _check(actor, question: Question, *statuses) -> None:
    require(actor, "live.moderate", question.consultation)
    if statuses and question.status not in statuses:
        raise ServiceError(
            _("This question is %(state)s: it cannot be changed this way.") % {"state": describe(question)}
        )


def _record(actor, action: str, question: Question, **changes) -> None:
    audit.record(
        actor=actor, action=f"live.{action}", obj=question, consultation=question.consultation, changes=changes
    )


def _pin(session, question: Question | None) -> None:
    state = live_state(session)
    if state.pk is None or state._state.adding:
        state.save()
    SessionLive.objects.filter(pk=state.pk).update(pinned=question, version=F("version") + 1)
    state.pinned = question


def _unpin_if_pinned(question: Question) -> None:
    SessionLive.objects.filter(pinned=question).update(pinned=None, version=F("version") + 1)


@transaction.atomic
def question_approve(*, actor, question: Question, version) -> Question:
    _check(actor, question, QuestionStatus.PENDING)
    question = _claim(actor, question, version, status=QuestionStatus.APPROVED)
    _record(actor, "question_approve", question)
    return question


@transaction.atomic
def question_hide(*, actor, question: Question, version, reason: str) -> Question:
    _check(actor, question, QuestionStatus.PENDING, QuestionStatus.APPROVED)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ServiceError({"reason": [_("Say why the question is hidden: its author reads it.")]})
    if len(reason) > REASON_LENGTH:
        raise ServiceError({"reason": [_("Keep the reason under %(limit)d characters.") % {"limit": REASON_LENGTH}]})
    question = _claim(actor, question, version, status=QuestionStatus.HIDDEN, hidden_reason=reason)
    _unpin_if_pinned(question)
    _record(actor, "question_hide", question, reason=reason)
    return question


@transaction.atomic
def question_pin(*, actor, question: Question, version) -> Question:
    """Pin the question being answered now (approving it if it was waiting): the projector shows it first."""
    _check(actor, question, QuestionStatus.PENDING, QuestionStatus.APPROVED)
    question = _claim(actor, question, version, status=QuestionStatus.APPROVED)
    _pin(question.session, question)
    _record(actor, "question_pin", question)
    return question


@transaction.atomic
def question_unpin(*, actor, question: Question, version) -> Question:
    _check(actor, question)
    question = _claim(actor, question, version)
    _unpin_if_pinned(question)
    _record(actor, "question_unpin", question)
    return question


@transaction.atomic
def question_answer(*, actor, question: Question, version, note: str = "") -> Question:
    """Mark the question answered, with a short note of the answer (it is unpinned)."""
    _check(actor, question, QuestionStatus.PENDING, QuestionStatus.APPROVED)
    note = (note or "").strip()
    if len(note) > NOTE_LENGTH:
        raise ServiceError(
            {
                "note": [
                    _("Keep the answer note under %(limit)d characters (it has %(count)d).")
                    % {"limit": NOTE_LENGTH, "count": len(note)}
                ]
            }
        )
    question = _claim(
        actor, question, version, status=QuestionStatus.APPROVED, answered_at=timezone.now(), answer_note=note
    )
    _unpin_if_pinned(question)
    _record(actor, "question_answer", question, note=note)
    return question


@transaction.atomic
def question_merge(*, actor, question: Question, version, into) -> Question:
    """Merge a duplicate into another question of the session: its upvotes go to that one (a participant who
    upvoted both counts once) and its author is kept (the duplicate stays, marked merged, with its author)."""
    _check(actor, question, QuestionStatus.PENDING, QuestionStatus.APPROVED)
    target = None
    if str(into).strip().isdecimal():
        target = Question.objects.filter(pk=int(into), session_id=question.session_id).first()
    if target is None or target.pk == question.pk:
        raise ServiceError({"into": [_("Choose another question of this session to merge this one into.")]})
    # both rows locked (in a fixed order): an upvote of either waits for the merge, then finds where it goes
    list(Question.objects.select_for_update().filter(pk__in=[question.pk, target.pk]).order_by("pk"))
    target.refresh_from_db()
    if target.status not in (QuestionStatus.PENDING, QuestionStatus.APPROVED):
        raise ServiceError(
            {"into": [_("That question is %(state)s: choose a question still open.") % {"state": describe(target)}]}
        )
    question = _claim(actor, question, version, status=QuestionStatus.MERGED, merged_into=target)
    both = Upvote.objects.filter(question=target).values("participation_id")
    Upvote.objects.filter(question=question).exclude(participation_id__in=both).update(question=target)
    Upvote.objects.filter(question=question).delete()
    Question.objects.filter(merged_into=question).update(merged_into=target)
    if SessionLive.objects.filter(pinned=question).exists():
        _pin(question.session, target)
    Question.objects.filter(pk=target.pk).update(version=F("version") + 1)
    _record(actor, "question_merge", question, into=target.pk)
    return question


def question_contribute(*, actor, question: Question, version, key_question, kind: str):
    """Turn a question and its answer note into a contribution to a key question (through deliberation's service,
    which checks the key question and the kind); the question keeps the link to it. The contribution keeps its
    author for the conveners but does not name them on public pages (a question named in the room was named
    there only)."""
    require(actor, "deliberation.capture", question.consultation)
    _check(actor, question, QuestionStatus.APPROVED)
    if question.contribution_id:
        raise ServiceError(_("This question is already a contribution."))
    text = _("Question asked in “%(session)s”: %(question)s") % {
        "session": question.session.title,
        "question": question.text,
    }
    if question.answer_note:
        text += "\n" + _("Answer: %(note)s") % {"note": question.answer_note}
    with transaction.atomic():
        contribution = deliberation.contribution_create(
            consultation=question.consultation,
            key_question=key_question,
            kind=kind,
            text=text,
            actor=actor,
            author=question.author,
            anonymous=True,  # named in the room is not named in the outcome: deliberation's rule for contributions
            client_key=uuid.uuid5(CONTRIBUTION_KEYS, f"question-{question.pk}"),
        )
        question = _claim(actor, question, version, contribution=contribution)
        _record(actor, "question_contribute", question, contribution=contribution.pk)
    return contribution
