"""Contributions and recommendations for the synthesis tests, made through deliberation's services."""

from __future__ import annotations

from factories_deliberation import participant
from target87.deliberation import services as deliberation
from target87.deliberation.models import Recommendation
from target87.synthesis import services
from target87.synthesis.models import SuggestionRun
from target87.synthesis.services.suggestions import Item, suggestion_store

#: three ways of saying one thing and two others, in three languages
SAME = [
    "Make workers' and employers' organisations full members of the national steering committees on 8.7.",
    "Workers' and employers' organisations should be full members of national steering committees on 8.7.",
    "Faire des organisations de travailleurs et d'employeurs des membres à part entière des comités nationaux.",
]
OTHER = [
    "Add the child labour module to household surveys every three to five years.",
    "Prohibit recruitment fees charged to workers and enforce the employer-pays principle.",
]


class Texts:
    """Makes contributions and recommendations of a consultation, as its convener and participants would."""

    def __init__(self, consultation, convener, questions, breakouts):
        self.consultation, self.convener, self.questions, self.breakouts = consultation, convener, questions, breakouts
        self.author = participant(consultation, "workers")

    def contribution(self, text, *, question=0, group=0, stakeholder_group="", author=None):
        return deliberation.contribution_create(
            consultation=self.consultation,
            actor=self.convener,
            key_question=self.questions[question],
            session=self.breakouts[group],
            kind="proposal",
            text=text,
            author=author,
            stakeholder_group=stakeholder_group,
        )

    def recommendation(self, title, text, *, sources=(), question=0, actors=("governments",), level="national"):
        return deliberation.recommendation_create(
            actor=self.convener,
            consultation=self.consultation,
            key_question=self.questions[question],
            title=title,
            text=text,
            actors=list(actors),
            level=level,
            timeframe="medium",
            contributions=list(sources),
        )


def suggest(consultation, objects):
    """A suggestion of exactly these contributions and recommendations (without asking the engine)."""
    run = SuggestionRun.objects.create(consultation=consultation, method_asked="tfidf", method="tfidf")
    items = [Item("r" if isinstance(o, Recommendation) else "c", o, o.key_question_id) for o in objects]
    return suggestion_store(run=run, items=items)


def accept(actor, suggestion, **fields):
    values = dict(title="Social partners on steering committees", text="Make them full members.", level="national")
    values.update(fields)
    return services.suggestion_accept(
        actor=actor, suggestion=suggestion, actors=["governments", "social_partners"], timeframe="medium", **values
    )
