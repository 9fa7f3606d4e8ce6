"""Real objects for the tests, built through the models (no mocks)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import factory
from django.contrib.auth import get_user_model

from target87.consultations.models import Consultation, KeyQuestion, Room, Session
from target87.people.models import Organisation, Participation, Person

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("a-long-test-password")


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    slug = factory.Sequence(lambda n: f"consultation-{n}")
    title = factory.Sequence(lambda n: f"Consultation {n}")
    convened_by = "ILO"
    city = "Bangkok"
    country = "THA"
    venue = "United Nations Conference Centre"
    start_date = dt.date(2016, 9, 14)
    end_date = dt.date(2016, 9, 15)
    time_zone = "Asia/Bangkok"
    status = "published"
    countries = ["KHM", "THA"]


class KeyQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyQuestion

    consultation = factory.SubFactory(ConsultationFactory)
    position = factory.Sequence(lambda n: n + 1)
    short_title = "Policy"
    text = "What policy measures work?"
    lens = "policy"


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    consultation = factory.SubFactory(ConsultationFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    capacity = 30


def at(day: int, hhmm: str) -> dt.datetime:
    """A moment in Bangkok on day 1 or 2 of the test consultation."""
    return dt.datetime.combine(dt.date(2016, 9, 13 + day), dt.time.fromisoformat(hhmm), tzinfo=BANGKOK)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    consultation = factory.SubFactory(ConsultationFactory)
    kind = "plenary"
    title = factory.Sequence(lambda n: f"Session {n}")
    focus = "A focus"
    start = factory.LazyFunction(lambda: at(1, "09:00"))
    end = factory.LazyFunction(lambda: at(1, "10:00"))
    room = factory.SubFactory(RoomFactory, consultation=factory.SelfAttribute("..consultation"))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    stakeholder_group = "government"
    country = "THA"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    organisation = factory.SubFactory(OrganisationFactory)
    country = "THA"


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    consultation = factory.SubFactory(ConsultationFactory)
    person = factory.SubFactory(PersonFactory)
    role = "participant"
    status = "approved"


def convener_of(consultation: Consultation):
    """A signed-in convener of the consultation: a user, their person, an approved convener role."""
    user = UserFactory()
    ParticipationFactory(consultation=consultation, person=PersonFactory(user=user), role="convener")
    return user
