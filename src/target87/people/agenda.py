"""What other apps add to a participant's agenda: their group and room in a breakout, a link to contribute…

An app registers a function ``(participation, sessions) -> {session_id: [AgendaNote, …]}`` with
:func:`agenda_note_source`; the agenda page shows the notes under each session. People depends on no
such app: they register themselves (in their ``AppConfig.ready``).
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
