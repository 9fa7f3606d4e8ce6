"""Breakout slots and mixed participants for the breakout tests, built through the models."""

from __future__ import annotations

import itertools

from factories import (
    KeyQuestionFactory,
    OrganisationFactory,
    ParticipationFactory,
    PersonFactory,
    RoomFactory,
    SessionFactory,
    at,
)

STAKEHOLDERS = ["government", "workers", "employers", "civil_society", "survivor_led", "un_international"]
COUNTRIES = ["THA", "KHM", "LAO", "VNM"]
GENDERS = ["woman", "man"]


def breakout_slot(
    consultation,
    *,
    rooms: int = 2,
    capacity: int = 10,
    questions: bool | list = True,
    start: str = "11:00",
    end: str = "12:30",
    day: int = 1,
    rooms_from: list | None = None,
):
    """``rooms`` parallel breakout sessions (day 1, 11:00–12:30), each in its own room, each on its own key
    question. A later slot passes the earlier one's ``rooms_from`` (its sessions' rooms) and ``questions``
    (a list of key questions, one per session) to meet in the same rooms on the same questions."""
    sessions = []
    for k in range(rooms):
        if rooms_from:
            room = rooms_from[k].room
        else:
            room = RoomFactory(
                consultation=consultation, name=f"Meeting Room {'ABCDEFGH'[k]}", capacity=capacity, position=k
            )
        session = SessionFactory(
            consultation=consultation,
            kind="breakout",
            title=f"Breakout {'ABCDEFGH'[k]}" + (f" at {start}" if start != "11:00" or day != 1 else ""),
            start=at(day, start),
            end=at(day, end),
            room=room,
        )
        if isinstance(questions, list):
            session.key_questions.set([questions[k]])
        elif questions:
            session.key_questions.set([KeyQuestionFactory(consultation=consultation, position=k + 1)])
        sessions.append(session)
    return sessions


def participants(consultation, count: int, *, role: str = "participant", start: int = 0, **person):
    """``count`` approved participations cycling through stakeholder groups, countries and genders."""
    made = []
    cycle = itertools.islice(
        zip(itertools.cycle(STAKEHOLDERS), itertools.cycle(COUNTRIES), itertools.cycle(GENDERS), strict=False),
        start,
        start + count,
    )
    for i, (group, country, gender) in enumerate(cycle, start=start):
        organisation = OrganisationFactory(stakeholder_group=group, country=country)
        fields = {"name": f"Person {i:03d}", "country": country, "gender": gender, "languages": ["en"], **person}
        made.append(
            ParticipationFactory(
                consultation=consultation,
                person=PersonFactory(organisation=organisation, **fields),
                role=role,
                topic_preferences=["q1", "q2"] if i % 2 else ["q2", "q1"],
            )
        )
    return made
