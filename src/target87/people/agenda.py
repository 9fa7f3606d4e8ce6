"""What other apps add to a participant's agenda: their group and room in a breakout, a link to contribute…

An app registers a function ``(participation, sessions) -> {session_id: [AgendaNote, …]}`` with
:func:`agenda_note_source`; the agenda page shows the notes under each session. An app may also register, with
:func:`agenda_sessions_source`, a function ``(participation, sessions) -> {session_id, …}`` naming the sessions that
are not the participant's (the parallel breakouts of a slot where they sit in another group): the agenda and its
calendar leave them out. People depends on no such app: they register themselves (in their ``AppConfig.ready``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class AgendaNote:
    text: str
    url: str = ""


NoteSource = Callable[..., dict[int, list[AgendaNote]]]
_SOURCES: list[NoteSource] = []
HiddenSource = Callable[..., set[int]]
_HIDDEN: list[HiddenSource] = []


def agenda_note_source(func: NoteSource) -> NoteSource:
    if func not in _SOURCES:
        _SOURCES.append(func)
    return func


def agenda_notes(*, participation, sessions: Iterable) -> dict[int, list[AgendaNote]]:
    sessions = list(sessions)
    notes: dict[int, list[AgendaNote]] = {}
    for source in _SOURCES:
        for session_id, items in source(participation=participation, sessions=sessions).items():
            notes.setdefault(session_id, []).extend(items)
    return notes


def agenda_sessions_source(func: HiddenSource) -> HiddenSource:
    if func not in _HIDDEN:
        _HIDDEN.append(func)
    return func


def personal_sessions(*, participation, sessions: Iterable) -> list:
    """The sessions that are the participant's: all but those an app says are not (another group's breakout)."""
    sessions = list(sessions)
    hidden: set[int] = set()
    for source in _HIDDEN:
        hidden |= source(participation=participation, sessions=sessions)
    return [s for s in sessions if s.pk not in hidden]


def now_and_next(sessions: Iterable, now) -> tuple[list, object | None]:
    """The sessions running at ``now`` and the first one after them (sessions in time order)."""
    running = [s for s in sessions if s.start <= now < s.end]
    upcoming = next((s for s in sessions if s.start >= now), None)
    return running, upcoming
