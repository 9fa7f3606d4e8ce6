"""A consultation with recommendations, organisations, focal points of two countries, representatives of two
organisations and one action in each country, for the follow-through tests."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from factories import ConsultationFactory, OrganisationFactory, UserFactory
from factories_deliberation import RecommendationFactory
from target87.commitments import services
from target87.commitments.models import FocalPoint


def focal(consultation, **where):
    user = UserFactory()
    kind = "country" if "country" in where else "organisation"
    FocalPoint.objects.create(consultation=consultation, user=user, kind=kind, **where)
    return user


@pytest.fixture
def world(consultation, convener):
    r1, r2, r3 = (RecommendationFactory(consultation=consultation, number=n) for n in (1, 2, 3))
    elsewhere = RecommendationFactory(consultation=ConsultationFactory(), number=1)
    ministry = OrganisationFactory(name="Ministry of Labour of Thailand", stakeholder_group="government", country="THA")
    union = OrganisationFactory(name="Thai Trade Union Congress", stakeholder_group="workers", country="THA")
    ngo = OrganisationFactory(name="Children First Cambodia", stakeholder_group="civil_society", country="KHM")
    donor = OrganisationFactory(name="Donor Agency", stakeholder_group="development_partner", country="")
    w = SimpleNamespace(
        consultation=consultation,
        convener=convener,
        r1=r1,
        r2=r2,
        r3=r3,
        elsewhere=elsewhere,
        ministry=ministry,
        union=union,
        ngo=ngo,
        donor=donor,
        focal_tha=focal(consultation, country="THA"),
        focal_khm=focal(consultation, country="KHM"),
        rep_ministry=focal(consultation, organisation=ministry),
        rep_ngo=focal(consultation, organisation=ngo),
        stranger=UserFactory(),
    )
    w.tha = services.action_create(
        actor=convener,
        consultation=consultation,
        title="Inspectors trained on fishing vessels",
        country="THA",
        recommendations=[r1],
        thematic_areas=["forced_labour"],
        partners=[(ministry, "lead"), (union, "partner"), (donor, "funder")],
        start_date=dt.date(2017, 1, 1),
        due_date=dt.date(2030, 12, 31),
        status="in_progress",
        progress=20,
    )
    w.khm = services.action_create(
        actor=convener,
        consultation=consultation,
        title="Child-labour-free zones",
        country="KHM",
        recommendations=[r2],
        thematic_areas=["child_labour"],
        partners=[(ngo, "lead"), (donor, "funder")],
        start_date=dt.date(2017, 1, 1),
        due_date=dt.date(2020, 12, 31),
        status="delayed",
        progress=40,
    )
    return w
