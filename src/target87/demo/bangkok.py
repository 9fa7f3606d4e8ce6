"""The Bangkok sub-regional consultation on SDG target 8.7, 14–15 September 2016, as a demonstration.

Its data are in ``bangkok.json`` beside this module. The consultation, its key questions (in the words of the
consultation's concept note), rooms and programme follow the public description of the event. The participants
are fictional: their names are invented, their e-mails are at example.org, and each biography says so. The
programme names its speakers by their part (``chair``, ``panel1``, ``facilitatorA1`` …); ``speakers`` gives each
part to a participant.

The consultation, its key questions, rooms and sessions are made through the consultations services, as the
demo convener would make them in the back office: the timetable rules hold and the audit log records who made
what. Loading is idempotent: every object is found by its natural key and only made when missing, so running
the loader twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from target87.consultations import services as consultations
from target87.consultations.models import Consultation, KeyQuestion, Room
from target87.people.models import Participation, Person
from target87.people.services import organisation_get_or_create

DATA = json.loads(Path(__file__).with_name("bangkok.json").read_text(encoding="utf-8"))

SLUG = DATA["consultation"]["slug"]
CONVENER_USERNAME = DATA["convener"]["username"]
CONVENER_PASSWORD = DATA["convener"]["password"]
RAPPORTEUR_USERNAME = DATA["rapporteur"]["username"]
RAPPORTEUR_PASSWORD = DATA["rapporteur"]["password"]
FICTIONAL = DATA["biography"]

#: further parts of the demonstration, each a module with ``load(*, consultation, stdout)`` that is idempotent
#: like this one: breakout groups, contributions and recommendations, ballots and results
DEMO_PARTS = [
    "target87.demo.breakouts",
    "target87.demo.deliberation",
    "target87.demo.priorities",
    "target87.demo.synthesis",
    "target87.demo.reports",
    "target87.demo.commitments",
    "target87.demo.followup",  # after the actions it reports on
    "target87.demo.live",
    "target87.demo.indicators",
]


def _convener():
    """The demo convener's account (staff, so they may create the consultation) and their person."""
    data = DATA["convener"]
    user = get_user_model().objects.filter(username=data["username"]).first()
    if user is None:
        user = get_user_model().objects.create_user(
            username=data["username"],
            password=data["password"],
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            is_staff=True,
        )
    organisation = organisation_get_or_create(
        name=data["organisation"], stakeholder_group=data["stakeholder_group"], country=data["organisation_country"]
    )
    Person.objects.get_or_create(
        user=user,
        defaults=dict(
            name=data["name"],
            email=data["email"],
            country=data["country"],
            biography=FICTIONAL,
            organisation=organisation,
        ),
    )
    return user


def _consultation(convener, say) -> Consultation:
    consultation = Consultation.objects.filter(slug=SLUG).first()
    if consultation is not None:
        say(f"Found the consultation {SLUG}.\n")
        return consultation
    data = DATA["consultation"]
    consultation = consultations.consultation_create(
        actor=convener,
        **{
            **data,
            "start_date": dt.date.fromisoformat(data["start_date"]),
            "end_date": dt.date.fromisoformat(data["end_date"]),
        },
    )
    say(f"Created the consultation {SLUG}.\n")
    return consultation


def _key_questions(convener, consultation) -> dict[int, KeyQuestion]:
    questions = {q.position: q for q in consultation.key_questions.all()}
    for row in DATA["key_questions"]:
        if row["position"] not in questions:
            questions[row["position"]] = consultations.key_question_save(
                actor=convener, consultation=consultation, **row
            )
    return questions


def _rooms(convener, consultation) -> dict[str, Room]:
    rooms = {room.name: room for room in consultation.rooms.all()}
    for row in DATA["rooms"]:
        if row["name"] not in rooms:
            rooms[row["name"]] = consultations.room_save(actor=convener, consultation=consultation, **row)
    return rooms


def _people(consultation) -> dict[str, Person]:
    """The fictional participants, each with their organisation and their part in the consultation, by key."""
    persons = {}
    for row in DATA["people"]:
        organisation = organisation_get_or_create(
            name=row["organisation"], stakeholder_group=row["stakeholder_group"], country=row["organisation_country"]
        )
        persons[row["key"]], _created = Person.objects.get_or_create(
            email=row["email"],
            defaults=dict(
                name=row["name"],
                organisation=organisation,
                country=row["country"],
                gender=row["gender"],
                languages=row["languages"],
                biography=FICTIONAL,
            ),
        )
        Participation.objects.get_or_create(
            consultation=consultation,
            person=persons[row["key"]],
            defaults=dict(
                role=row["role"],
                status=row["status"],
                topic_preferences=row["topic_preferences"],
                dietary_needs=row["dietary_needs"],
            ),
        )
    return persons


def _rapporteur(persons) -> None:
    """The account of the consultation's rapporteur, who merges the groups' recommendations and writes the outcome
    report (a participant of the demonstration with the role ``rapporteur``)."""
    data = DATA["rapporteur"]
    person = persons[data["person"]]
    if person.user_id is None and not get_user_model().objects.filter(username=data["username"]).exists():
        first, _space, last = person.name.partition(" ")
        person.user = get_user_model().objects.create_user(
            username=data["username"], password=data["password"], email=person.email, first_name=first, last_name=last
        )
        person.save(update_fields=["user"])


def rapporteur_user():
    """The demo rapporteur's account: the one of the participant who holds that part (None when there is none)."""
    key = DATA["rapporteur"]["person"]
    email = next(row["email"] for row in DATA["people"] if row["key"] == key)
    person = Person.objects.filter(email=email).select_related("user").first()
    return person.user if person is not None else None


def _programme(convener, consultation, questions, rooms, persons) -> None:
    """Every session of the programme, made as the convener makes one: refused if it breaks a timetable rule."""
    speakers = {part: persons[key] for part, key in DATA["speakers"].items()}
    for item in DATA["programme"]:
        day = consultation.start_date + dt.timedelta(days=item["day"] - 1)
        consultations.session_save(
            actor=convener,
            consultation=consultation,
            kind=item["kind"],
            title=item["title"],
            focus=item["focus"],
            start=dt.datetime.combine(day, dt.time.fromisoformat(item["start"]), tzinfo=consultation.tz),
            end=dt.datetime.combine(day, dt.time.fromisoformat(item["end"]), tzinfo=consultation.tz),
            room=rooms[item["room"]],
            deliberation_minutes=item["deliberation_minutes"],
            thematic_areas=item["thematic_areas"],
            key_questions=[questions[n] for n in item["key_questions"]],
            speakers=[(speakers[part], role) for role, part in item["speakers"]],
        )


@transaction.atomic
def load(stdout=None) -> Consultation:
    say = stdout.write if stdout else lambda *_: None
    convener = _convener()
    consultation = _consultation(convener, say)
    questions = _key_questions(convener, consultation)
    rooms = _rooms(convener, consultation)
    persons = _people(consultation)
    _rapporteur(persons)
    if not consultation.sessions.exists():
        _programme(convener, consultation, questions, rooms, persons)
        say(f"Created {len(DATA['programme'])} sessions.\n")
    for part in DEMO_PARTS:
        if importlib.util.find_spec(part) is not None:
            importlib.import_module(part).load(consultation=consultation, stdout=stdout)
    say(
        f"{consultation.participations.count()} participants, {consultation.sessions.count()} sessions, "
        f"{consultation.rooms.count()} rooms.\n"
    )
    return consultation
