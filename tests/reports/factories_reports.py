"""A small consultation with everything the outcome report reads: five key questions, a programme with
speakers whose names are written in Thai, Khmer, Vietnamese, Lao and Chinese, contributions, recommendations
ranked on a closed ballot by several stakeholder groups, and the channels."""

from __future__ import annotations

import datetime as dt

from factories import (
    KeyQuestionFactory,
    OrganisationFactory,
    ParticipationFactory,
    PersonFactory,
    SessionFactory,
    at,
)
from factories_deliberation import ContributionFactory, RecommendationFactory
from target87.consultations.models import SessionSpeaker
from target87.deliberation.models import Feedback
from target87.priorities import services as priorities
from target87.priorities.models import BallotPaper, Vote
from target87.reports import services

QUESTIONS = [
    "Policy measures and good practices",
    "Institutional frameworks and partnerships",
    "Technical systems and tools",
    "Alignment of NGO and donor action",
    "Development finance",
]
SPEAKERS = {
    "tha": "สมชาย ใจดี",
    "khm": "សុខ ចាន់",
    "vnm": "Nguyễn Thị Hương",
    "lao": "ສົມພອນ ແກ້ວມະນີ",
    "chn": "王秀英",
}


def filled(consultation, convener, *, voters_per_group: int = 3):
    """Fill the consultation; returns a dict of what was made."""
    questions = [
        KeyQuestionFactory(consultation=consultation, position=i, short_title=t, text=f"What about {t.lower()}?")
        for i, t in enumerate(QUESTIONS, start=1)
    ]
    session = SessionFactory(consultation=consultation, title="Opening plenary")
    for position, (country, name) in enumerate(SPEAKERS.items()):
        person = PersonFactory(name=name, country=country.upper(), gender="woman")
        ParticipationFactory(consultation=consultation, person=person, role="speaker")
        SessionSpeaker.objects.create(session=session, person=person, role="panellist", position=position)
    breakout = SessionFactory(
        consultation=consultation, kind="breakout", title="Group A", start=at(1, "11:00"), end=at(1, "12:30")
    )
    recs = [
        RecommendationFactory(
            consultation=consultation, key_question=questions[0], title="National action plans", level="national"
        ),
        RecommendationFactory(
            consultation=consultation, key_question=questions[0], title="Labour inspection in farms", level="national"
        ),
        RecommendationFactory(
            consultation=consultation, key_question=questions[2], title="A shared 8.7 dashboard", level="regional"
        ),
    ]
    practice = ContributionFactory(
        consultation=consultation,
        key_question=questions[0],
        kind="good_practice",
        session=breakout,
        text="Viet Nam's child labour survey is repeated every five years.",
        countries=["VNM"],
    )
    ContributionFactory(
        consultation=consultation,
        key_question=questions[0],
        kind="challenge",
        text="Inspectors lack transport in Cambodia.",
        countries=["KHM"],
    )
    recs[0].contributions.add(practice)
    Feedback.objects.create(
        recommendation=recs[1], kind="comment", text="Farms are family businesses: inspection alone will not work."
    )
    ballot = priorities.ballot_create(
        actor=convener, consultation=consultation, title="Which first?", method="approval", recommendations=recs
    )
    ballot = priorities.ballot_open(actor=convener, ballot=ballot)
    items = list(ballot.items.order_by("position"))
    # governments and workers approve R1 and R2; employers approve R3 only
    approvals = {"government": [1, 1, 0], "workers": [1, 1, 0], "employers": [0, 0, 1]}
    now = dt.datetime(2016, 9, 15, 8, 0, tzinfo=dt.UTC)
    for group, values in approvals.items():
        for _ in range(voters_per_group):
            voter = ParticipationFactory(
                consultation=consultation,
                person=PersonFactory(organisation=OrganisationFactory(stakeholder_group=group), gender="man"),
            )
            BallotPaper.objects.create(ballot=ballot, participation=voter, group=group, first_cast_at=now)
            for item, value in zip(items, values, strict=True):
                Vote.objects.create(ballot=ballot, item=item, participation=voter, value=value, cast_at=now)
    ballot = priorities.ballot_close(actor=convener, ballot=ballot)
    consultation.countries = ["KHM", "LAO", "THA", "VNM"]
    consultation.save(update_fields=["countries"])
    services.channels_add_usual(actor=convener, consultation=consultation)
    return {"questions": questions, "recs": recs, "ballot": ballot, "practice": practice}
