"""Asking a question and upvoting one: what participants do from their phone.

An upvote is the path a room full of phones takes at once, so it is one statement: the upvote is stored only if
the question is of the participant's consultation and still takes votes (pending or approved), and a second
upvote of the same participant stores nothing (the database's constraint). The statement is prepared once per
connection on PostgreSQL (:class:`target87.priorities.machinery.Statement`), and the participant is judged on
their pass and what this process knows of the consultation (:mod:`target87.people.participants`), so an upvote
costs no query to know who votes. Only when nothing was stored is the question read: a question merged into
another passes the vote on to it, a hidden one refuses it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from target87.consultations.models import SessionSpeaker
from target87.core import audit
from target87.core.errors import ServiceError
from target87.people.participants import participant_require
from target87.people.refusals import Reason, Refusal
from target87.priorities.machinery import Statement

from ..enums import VOTABLE, QuestionLanguage, QuestionStatus
from ..models import QUESTION_LENGTH, Question, Upvote
from ..state import closed_reason, fingerprint, live_state

#: how many questions a participant may ask within :data:`RATE_WINDOW` seconds
RATE_LIMIT = 3
RATE_WINDOW = 60


def _clean(text: str, language: str, speaker_id, session, errors: dict) -> tuple[str, SessionSpeaker | None]:
    text = " ".join((text or "").split())
    if not text:
        errors["text"] = [_("Your question is empty: write it, then send it.")]
    elif len(text) > QUESTION_LENGTH:
        errors["text"] = [
            _("Keep your question to %(limit)d characters (it has %(count)d): shorten it and send it again.")
            % {"limit": QUESTION_LENGTH, "count": len(text)}
        ]
    if language not in QuestionLanguage.values:
        errors["language"] = [_("Choose the language of your question: English, French or Spanish.")]
    speaker = None
    if speaker_id not in (None, ""):
        wanted = str(speaker_id).strip()
        if wanted.isascii() and wanted.isdecimal() and len(wanted) < 10:  # an id, before the database sees it
            speaker = SessionSpeaker.objects.filter(session=session, pk=int(wanted)).first()
        if speaker is None:
            errors["speaker"] = [_("Choose one of this session's speakers, or the whole panel.")]
    return text, speaker


def _rate_limited(author_id: int, now: dt.datetime) -> str | None:
    since = now - dt.timedelta(seconds=RATE_WINDOW)
    recent = list(
        Question.objects.filter(author_id=author_id, created_at__gt=since)
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )
    if len(recent) < RATE_LIMIT:
        return None
    wait = max(1, int((recent[-RATE_LIMIT] - since).total_seconds()) + 1)
    return _(
        "You have asked %(count)d questions in the last minute: wait %(seconds)d seconds before asking another."
    ) % {"count": len(recent), "seconds": wait}


def _duplicate_message(found: Question, author_id: int) -> str:
    if found.author_id == author_id:
        return _("You have already asked this question in this session.")
    return _("This question has already been asked in this session: upvote it instead.")


def question_ask(
    *, participant, session, text: str, language: str, anonymous: bool = False, speaker=None, now=None
) -> Question:
    """A participant asks a question in a session (to the panel, or to one of its speakers: ``speaker`` is a
    session speaker's id). Pending until a moderator approves it, unless the session is not pre-moderated."""
    participant = participant_require(participant, "ask", session.consultation_id)
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    text, addressed = _clean(text, language, speaker, session, errors)
    if errors:
        raise ServiceError(errors)
    state = live_state(session)
    refusal = closed_reason(session, state) or _rate_limited(participant.pk, now)
    if refusal:
        raise ServiceError(refusal)
    folded = fingerprint(text)
    found = (
        Question.objects.filter(session=session, fingerprint=folded)
        .exclude(status=QuestionStatus.HIDDEN)
        .order_by("id")
        .first()
    )
    if found is not None:
        raise ServiceError({"text": [_duplicate_message(found, participant.pk)]})
    try:
        with transaction.atomic():
            question = Question.objects.create(
                consultation_id=session.consultation_id,
                session=session,
                author_id=participant.pk,
                text=text,
                fingerprint=folded,
                language=language,
                anonymous=bool(anonymous),
                speaker=addressed,
                status=QuestionStatus.PENDING if state.premoderated else QuestionStatus.APPROVED,
                created_at=now,
            )
            audit.record(
                actor=f"participation {participant.pk}",
                action="live.question_ask",
                obj=question,
                consultation=session.consultation,
            )
    except IntegrityError:  # the same question sent twice at once by the same phone
        raise ServiceError({"text": [_("You have already asked this question in this session.")]}) from None
    return question


# --- upvotes -------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class UpvoteOutcome:
    question_id: int  # the question that holds the vote (the one merged into, if the vote was passed on)
    votes: int
    mine: bool
    moved: bool = False


@functools.cache
def _upvote_statement(vendor: str) -> Statement:
    qn = connection.ops.quote_name
    lock = " FOR KEY SHARE" if vendor == "postgresql" else ""  # a merge (FOR UPDATE) waits, or is waited for
    up, question = qn(Upvote._meta.db_table), qn(Question._meta.db_table)
    return Statement(
        f"INSERT INTO {up} (question_id, participation_id, created_at) SELECT q.id, %s, %s FROM {question} q "
        f"WHERE q.id = %s AND q.consultation_id = %s AND q.status IN (%s, %s){lock} "
        "ON CONFLICT (question_id, participation_id) DO NOTHING RETURNING 1",
        ["bigint", "timestamp with time zone", "bigint", "bigint", "varchar", "varchar"],
    )


@functools.cache
def _withdraw_statement() -> Statement:
    qn = connection.ops.quote_name
    up, question = qn(Upvote._meta.db_table), qn(Question._meta.db_table)
    return Statement(
        f"DELETE FROM {up} WHERE question_id = %s AND participation_id = %s AND question_id IN "
        f"(SELECT q.id FROM {question} q WHERE q.id = %s AND q.consultation_id = %s AND q.status IN (%s, %s)) "
        "RETURNING 1",
        ["bigint", "bigint", "bigint", "bigint", "varchar", "varchar"],
    )


def _withdraw(question_id: int, participant) -> bool:
    """Withdraw the participant's upvote of a votable question in one statement; False if there was none there
    (not given, or the question was merged or hidden since: the caller looks further)."""
    params = [question_id, participant.pk, question_id, participant.consultation_id, *VOTABLE]
    with connection.cursor() as cursor:
        _withdraw_statement().run(cursor, params)
        return cursor.fetchone() is not None


@functools.cache
def _count_statement() -> Statement:
    return Statement(
        f"SELECT count(*) FROM {connection.ops.quote_name(Upvote._meta.db_table)} WHERE question_id = %s", ["bigint"]
    )


def _store(question_id: int, participant, now) -> bool:
    params = [
        participant.pk,
        connection.ops.adapt_datetimefield_value(now),
        question_id,
        participant.consultation_id,
        *VOTABLE,
    ]
    with connection.cursor() as cursor:
        _upvote_statement(connection.vendor).run(cursor, params)
        return cursor.fetchone() is not None


def _count(question_id: int) -> int:
    with connection.cursor() as cursor:
        _count_statement().run(cursor, [question_id])
        return cursor.fetchone()[0]


def _survivor(question_id: int, participant) -> Question:
    """The question that takes a vote meant for ``question_id``: itself, or the one it was merged into; else a
    refusal saying why."""
    question = Question.objects.filter(pk=question_id).first()
    if question is None:
        raise ServiceError(_("This question no longer exists."))
    if question.consultation_id != participant.consultation_id:
        raise Refusal(Reason.OTHER_CONSULTATION, consultation=question.consultation_id)
    seen = set()
    while question.status == QuestionStatus.MERGED and question.merged_into_id and question.pk not in seen:
        seen.add(question.pk)
        question = Question.objects.get(pk=question.merged_into_id)
    if question.status == QuestionStatus.HIDDEN:
        raise ServiceError(_("The moderator has hidden this question: your vote was not recorded."))
    return question


def upvote(*, participant, question_id, withdraw: bool = False, now=None) -> UpvoteOutcome:
    """A participant upvotes a question (once: upvoting again changes nothing), or withdraws their upvote. A vote
    on a question merged into another goes to that one; on a hidden question it is refused."""
    participant = participant_require(participant, "vote", getattr(participant, "consultation_id", None))
    try:
        question_id = int(question_id)
    except (TypeError, ValueError):
        raise ServiceError(_("This question no longer exists.")) from None
    now = now or timezone.now()
    if withdraw:
        if _withdraw(question_id, participant):  # the usual case, in one statement
            return UpvoteOutcome(question_id, _count(question_id), False)
        target = _survivor(question_id, participant)
        Upvote.objects.filter(question=target, participation_id=participant.pk).delete()
        return UpvoteOutcome(target.pk, _count(target.pk), False, target.pk != question_id)
    if _store(question_id, participant, now):
        return UpvoteOutcome(question_id, _count(question_id), True)
    target = _survivor(question_id, participant)
    if target.pk != question_id:
        _store(target.pk, participant, now)
    elif not Upvote.objects.filter(question_id=target.pk, participation_id=participant.pk).exists():
        _store(target.pk, participant, now)  # it took votes again meanwhile (a race with a merge undone)
    return UpvoteOutcome(target.pk, _count(target.pk), True, target.pk != question_id)
