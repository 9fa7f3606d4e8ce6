"""Real objects for the deliberation and priorities tests, built through the services where it matters."""

from __future__ import annotations

import factory

from factories import KeyQuestionFactory, OrganisationFactory, ParticipationFactory, PersonFactory, UserFactory
from target87.deliberation.models import Contribution, Recommendation
from target87.priorities import services as priorities
from target87.priorities.models import Ballot


def participant(consultation, group: str = "government", **kwargs):
    """An approved participant of the consultation whose organisation is of the stakeholder group."""
    person = PersonFactory(organisation=OrganisationFactory(stakeholder_group=group))
    return ParticipationFactory(consultation=consultation, person=person, **kwargs)


def facilitator_of(consultation, role: str = "facilitator"):
    user = UserFactory()
    ParticipationFactory(consultation=consultation, person=PersonFactory(user=user), role=role)
    return user


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    consultation = factory.SubFactory("factories.ConsultationFactory")
    key_question = factory.SubFactory(KeyQuestionFactory, consultation=factory.SelfAttribute("..consultation"))
    kind = "proposal"
    text = factory.Sequence(lambda n: f"Contribution {n}")
    stakeholder_group = "workers"


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    consultation = factory.SubFactory("factories.ConsultationFactory")
    number = factory.Sequence(lambda n: n + 1)
    key_question = factory.SubFactory(KeyQuestionFactory, consultation=factory.SelfAttribute("..consultation"))
    title = factory.Sequence(lambda n: f"Recommendation {n}")
    text = "Do something about it."
    actors = ["governments"]
    level = "national"
    timeframe = "medium"


def ballot(consultation, convener, method: str, *, items: int = 4, open_: bool = True, **kwargs) -> Ballot:
    """A ballot of the method on ``items`` new recommendations (statements for agree/disagree), opened."""
    if method == "consensus":
        made = priorities.ballot_create(
            actor=convener,
            consultation=consultation,
            title=f"{method} ballot",
            method=method,
            statements=[f"Statement {i}" for i in range(1, items + 1)],
            **kwargs,
        )
    else:
        recs = [RecommendationFactory(consultation=consultation) for _ in range(items)]
        made = priorities.ballot_create(
            actor=convener,
            consultation=consultation,
            title=f"{method} ballot",
            method=method,
            recommendations=recs,
            **kwargs,
        )
    if open_:
        made = priorities.ballot_open(actor=convener, ballot=made)
    return made
