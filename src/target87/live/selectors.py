"""Reading live sessions: the questions of a session (for the room, the moderator and the speaker), what the
projector shows, the time planned and used, what is on in every room now, and where a participant should be."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from target87.consultations.enums import SessionKind
from target87.consultations.models import Session, SessionSpeaker

from .enums import ClockState, QuestionStatus
from .models import Question, SessionLive, Upvote
from .state import live_state

SORTS = ("votes", "time")
#: questions on the projector besides the one pinned
SCREEN_TOP = 5


def questions(session, *, statuses=(QuestionStatus.APPROVED,), sort: str = "votes") -> QuerySet[Question]:
    """The session's questions of these statuses with their votes, by votes (then the oldest first) or by time
    (the newest first)."""
    rows = (
        Question.objects.filter(session=session, status__in=statuses)
        .select_related("author__person__organisation", "speaker__person")
        .annotate(votes=Count("upvotes"))
    )
    if sort == "time":
        return rows.order_by("-created_at", "-id")
    return rows.order_by("-votes", "created_at", "id")


def room_questions(session, *, participant_id: int | None, sort: str = "votes") -> list[Question]:
    """What the room reads: the approved questions, and the participant's own still waiting or hidden."""
    rows = questions(session, sort=sort, statuses=list(QuestionStatus.values))
    visible = Q(status=QuestionStatus.APPROVED)
    if participant_id:
        visible |= Q(author_id=participant_id) & ~Q(status=QuestionStatus.MERGED)
    return list(rows.filter(visible))


def my_upvotes(session, participant_id: int | None) -> set[int]:
    if not participant_id:
        return set()
    return set(
        Upvote.objects.filter(question__session=session, participation_id=participant_id).values_list(
            "question_id", flat=True
        )
    )


def queue(session) -> dict[str, list[Question]]:
    """The moderator's queue: waiting, approved (unanswered), answered, hidden, merged."""
    rows = list(questions(session, statuses=list(QuestionStatus.values)).prefetch_related("merged__author__person"))
    return {
        "pending": [q for q in rows if q.status == QuestionStatus.PENDING],
        "approved": [q for q in rows if q.status == QuestionStatus.APPROVED and not q.answered],
        "answered": [q for q in rows if q.status == QuestionStatus.APPROVED and q.answered],
        "hidden": [q for q in rows if q.status == QuestionStatus.HIDDEN],
        "merged": [q for q in rows if q.status == QuestionStatus.MERGED],
    }


@dataclasses.dataclass
class Screen:
    session: Session
    state: SessionLive
    pinned: Question | None
    top: list[Question]
    waiting: int
    left: int


def screen(session, *, now=None, speaker_id: int | None = None) -> Screen:
    """What the projector (or a speaker's tablet, for the questions to one speaker) shows: the pinned question and
    the top approved questions not yet answered."""
    now = now or timezone.now()
    state = live_state(session)
    rows = questions(session).filter(answered_at__isnull=True)
    if speaker_id:
        rows = rows.filter(Q(speaker_id=speaker_id) | Q(speaker__isnull=True))
    pinned = None
    if state.pinned_id:
        pinned = questions(session).filter(pk=state.pinned_id).first()
        rows = rows.exclude(pk=state.pinned_id)
    waiting = Question.objects.filter(session=session, status=QuestionStatus.PENDING).count()
    return Screen(session, state, pinned, list(rows[:SCREEN_TOP]), waiting, state.left(now))


def speakers(session) -> list[SessionSpeaker]:
    return list(SessionSpeaker.objects.filter(session=session).select_related("person").order_by("position", "id"))


def live_sessions(consultation) -> list[Session]:
    """The consultation's sessions with their live state (the kinds that have a clock: all but breaks)."""
    return list(
        Session.objects.filter(consultation=consultation)
        .exclude(kind=SessionKind.BREAK)
        .select_related("room", "live")
        .annotate(question_count=Count("live_questions"))
        .order_by("start", "room__position", "title")
    )


def session_clock_row(session, now=None) -> dict:
    """The time planned and used of one session's deliberation, in minutes."""
    state = live_state(session)
    used = state.used(now)
    return {
        "session": session,
        "state": state,
        "planned": state.allotted,
        "used": round(used / 60, 1),
        "over": used > state.allotted * 60,
    }


# --- now ----------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class RoomNow:
    room_name: str
    session: Session | None
    state: SessionLive | None
    left: int | None
    next: Session | None


def now_in_rooms(consultation, *, now: dt.datetime | None = None) -> list[RoomNow]:
    """What is on in every room now (by the programme, or because its clock still runs), with the time left of
    its deliberation, and what comes next there."""
    now = now or timezone.now()
    sessions = list(
        Session.objects.filter(consultation=consultation)
        .exclude(kind=SessionKind.BREAK)
        .select_related("room", "live")
        .order_by("start", "room__position", "title")
    )
    rooms: dict[object, RoomNow] = {}
    for session in sessions:
        key = session.room_id or f"session-{session.pk}"
        name = session.room.name if session.room else ""
        state = live_state(session)
        on = session.start <= now < session.end or state.clock in (ClockState.RUNNING, ClockState.PAUSED)
        entry = rooms.get(key)
        if on and (entry is None or entry.session is None):
            if entry is None:
                entry = rooms[key] = RoomNow(name, None, None, None, None)
            entry.session, entry.state, entry.left = session, state, state.left(now)
        elif session.start >= now:
            if entry is None:
                entry = rooms[key] = RoomNow(name, None, None, None, None)
            if entry.next is None:
                entry.next = session
    ordered = sorted(
        rooms.values(),
        key=lambda r: (
            r.session is None,
            (r.session or r.next).start,
            (r.session or r.next).room.position if (r.session or r.next).room else 0,
        ),
    )
    return ordered


@dataclasses.dataclass
class WhereNow:
    session: Session
    room_name: str
    group_number: int | None = None


def where_now(participation, *, now: dt.datetime | None = None) -> WhereNow | None:
    """Where the participant should be now: their breakout group's room when breakout groups meet, else the
    session on now (the plenary, a panel, a lunch talk); None when nothing is on."""
    from target87.breakouts.selectors import published_groups_of  # breakouts reads people; kept out of import time

    now = now or timezone.now()
    on = list(
        Session.objects.filter(consultation_id=participation.consultation_id, start__lte=now, end__gt=now)
        .exclude(kind=SessionKind.BREAK)
        .select_related("room")
        .order_by("start", "room__position")
    )
    if not on:
        return None
    if any(s.kind == SessionKind.BREAKOUT for s in on):
        ids = {s.pk for s in on}
        for allocation, group in published_groups_of(participation=participation):
            session = group.session or allocation.session
            if session.pk in ids or allocation.session_id in ids:
                room = group.room or session.room
                return WhereNow(session, room.name if room else "", group.number)
    plenary = [s for s in on if s.kind != SessionKind.BREAKOUT]
    session = (plenary or on)[0]
    return WhereNow(session, session.room.name if session.room else "")


def questions_for_api(consultation) -> QuerySet[Question]:
    return (
        Question.objects.filter(consultation=consultation)
        .exclude(status__in=[QuestionStatus.HIDDEN, QuestionStatus.MERGED])
        .annotate(votes=Count("upvotes"))
        .order_by("session_id", "created_at", "id")
    )


def questions_for_export(consultation) -> QuerySet[Question]:
    return (
        Question.objects.filter(consultation=consultation)
        .select_related("session", "author__person__organisation", "speaker__person", "merged_into")
        .annotate(votes=Count("upvotes"))
        .order_by("session__start", "session_id", "created_at", "id")
    )
