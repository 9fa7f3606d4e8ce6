"""Reading synthesis: traceability both ways, coverage per key question, suggestions and merges.

:func:`recommendation_sources` and :func:`contribution_destinations` are the two directions of traceability,
for these pages and for the outcome report: from a recommendation to every contribution it comes from (with
the breakout group, the stakeholder group spoken for and the author's own group), and from a contribution to
every recommendation it feeds and the merges that carried it there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from target87.consultations.models import KeyQuestion, Session
from target87.deliberation.models import Contribution, Recommendation
from target87.people.enums import group_label

from .enums import MergeStatus, SuggestionStatus
from .models import Merge, MergedRecommendation, Suggestion, SuggestionMember, SuggestionRun, SupportingQuote


@dataclass
class Source:
    """A contribution a recommendation comes from."""

    contribution: Contribution
    breakout: Session | None
    stakeholder_group: str  #: the group the contribution speaks for (its label), "" when not known
    author_group: str  #: the stakeholder group of its author's organisation (its label), "" when not known
    author: str  #: the author's name as public pages show it ("" when anonymous or not known)
    via: list[Recommendation] = field(default_factory=list)  #: the merged-in recommendations that held it
    quotes: list[SupportingQuote] = field(default_factory=list)


@dataclass
class Destination:
    """A recommendation a contribution feeds."""

    recommendation: Recommendation
    merged_into: Recommendation | None  #: the merged recommendation it now stands in (a merge in force)
    merge: Merge | None  #: the merge that made this recommendation, when it is a merged one


@dataclass
class QuestionCoverage:
    key_question: KeyQuestion
    total: int
    uncovered: list[Contribution]

    @property
    def covered(self) -> int:
        return self.total - len(self.uncovered)


def _group(value: str) -> str:
    return group_label(value) if value else ""


def merge_of(recommendation: Recommendation) -> Merge | None:
    """The merge in force that made this recommendation, or None."""
    return (
        Merge.objects.filter(recommendation=recommendation, status=MergeStatus.ACTIVE)
        .prefetch_related(
            Prefetch(
                "folded",
                queryset=MergedRecommendation.objects.filter(active=True).select_related("recommendation"),
            )
        )
        .first()
    )


def folded_into(recommendation: Recommendation) -> Recommendation | None:
    """The merged recommendation this one was merged into (a merge in force), or None."""
    row = (
        MergedRecommendation.objects.filter(recommendation=recommendation, active=True)
        .select_related("merge__recommendation")
        .first()
    )
    return row.merge.recommendation if row else None


def standing_for(*, consultation) -> dict[int, int]:
    """Recommendation id → the merged recommendation that stands for it now (merges in force; a merge of merges
    stands for them all), for every recommendation folded into another."""
    pairs = dict(
        MergedRecommendation.objects.filter(
            active=True, merge__consultation=consultation, merge__recommendation__isnull=False
        ).values_list("recommendation_id", "merge__recommendation_id")
    )

    def top(pk: int) -> int:
        seen = {pk}
        while pk in pairs and pairs[pk] not in seen:
            pk = pairs[pk]
            seen.add(pk)
        return pk

    return {pk: top(pk) for pk in pairs}


def recommendation_sources(recommendation: Recommendation) -> list[Source]:
    """Every contribution the recommendation comes from, in key-question and capture order."""
    merge = merge_of(recommendation)
    folded = [row.recommendation for row in merge.folded.all()] if merge else []
    held: dict[int, list[Recommendation]] = {}
    for rec in folded:
        for pk in rec.contributions.values_list("pk", flat=True):
            held.setdefault(pk, []).append(rec)
    quotes: dict[int, list[SupportingQuote]] = {}
    for quote in SupportingQuote.objects.filter(recommendation=recommendation):
        quotes.setdefault(quote.contribution_id, []).append(quote)
    rows = recommendation.contributions.select_related(
        "session", "key_question", "author__person__organisation"
    ).order_by("key_question__position", "created_at", "id")
    return [
        Source(
            contribution=c,
            breakout=c.session,
            stakeholder_group=_group(c.stakeholder_group),
            author_group=_group(c.author.person.stakeholder_group) if c.author_id else "",
            author=c.public_author(),
            via=held.get(c.pk, []),
            quotes=quotes.get(c.pk, []),
        )
        for c in rows
    ]


def contribution_destinations(contribution: Contribution) -> list[Destination]:
    """Every recommendation the contribution feeds, each with where it was merged and how it was made."""
    recs = list(contribution.recommendations.select_related("key_question").order_by("number"))
    folded = {
        row.recommendation_id: row.merge.recommendation
        for row in MergedRecommendation.objects.filter(recommendation__in=recs, active=True).select_related(
            "merge__recommendation"
        )
    }
    merges = {
        m.recommendation_id: m
        for m in Merge.objects.filter(recommendation__in=recs, status=MergeStatus.ACTIVE).prefetch_related(
            Prefetch(
                "folded",
                queryset=MergedRecommendation.objects.filter(active=True).select_related("recommendation"),
            )
        )
    }
    return [Destination(recommendation=r, merged_into=folded.get(r.pk), merge=merges.get(r.pk)) for r in recs]


def coverage(*, consultation) -> list[QuestionCoverage]:
    """Per key question: how many contributions there are, and those no recommendation covers yet."""
    rows = (
        Contribution.objects.filter(consultation=consultation)
        .select_related("session")
        .prefetch_related("recommendations")
        .order_by("created_at", "id")
    )
    by_question: dict[int, list[Contribution]] = {}
    for c in rows:
        by_question.setdefault(c.key_question_id, []).append(c)
    return [
        QuestionCoverage(
            key_question=q,
            total=len(by_question.get(q.pk, [])),
            uncovered=[c for c in by_question.get(q.pk, []) if not c.recommendations.all()],
        )
        for q in consultation.key_questions.order_by("position")
    ]


def standing(rows):
    """Leave out of a queryset of recommendations those merged into another: the merge stands for them."""
    return rows.exclude(pk__in=MergedRecommendation.objects.filter(active=True).values("recommendation_id"))


def standing_recommendations(*, consultation, merged_only: bool = False) -> list[Recommendation]:
    """The recommendations not merged into another; with ``merged_only``, only those made by a merge."""
    rows = standing(Recommendation.objects.filter(consultation=consultation))
    if merged_only:
        rows = rows.filter(synthesis_merges__status=MergeStatus.ACTIVE)
    return list(rows.select_related("key_question").distinct().order_by("number"))


def latest_run(*, consultation) -> SuggestionRun | None:
    return SuggestionRun.objects.filter(consultation=consultation).select_related("key_question").first()


def _members():
    return Prefetch(
        "members",
        queryset=SuggestionMember.objects.select_related(
            "contribution__session", "recommendation__session", "contribution__key_question"
        ),
    )


def suggestion_list(*, consultation, status: str = SuggestionStatus.PENDING) -> QuerySet[Suggestion]:
    return (
        Suggestion.objects.filter(consultation=consultation, status=status)
        .select_related("key_question", "run")
        .prefetch_related(_members())
        .order_by("key_question__position", "id")
    )


def suggestion_get(*, consultation, pk) -> Suggestion:
    """A suggestion of this consultation (404 for another consultation's)."""
    found = (
        Suggestion.objects.filter(consultation=consultation, pk=pk)
        .select_related("key_question", "run", "consultation")
        .prefetch_related(_members(), "merges")
        .first()
    )
    if found is None:
        raise Http404
    return found


def merge_list(*, consultation) -> QuerySet[Merge]:
    return (
        Merge.objects.filter(consultation=consultation)
        .select_related("recommendation", "suggestion", "created_by", "undone_by")
        .prefetch_related(Prefetch("folded", queryset=MergedRecommendation.objects.select_related("recommendation")))
        .order_by("-created_at", "-id")
    )


def merge_get(*, consultation, pk) -> Merge:
    found = Merge.objects.filter(consultation=consultation, pk=pk).select_related("suggestion", "recommendation")
    merge = found.first()
    if merge is None:
        raise Http404
    return merge


def contribution_get(*, consultation, pk) -> Contribution:
    found = (
        Contribution.objects.filter(consultation=consultation, pk=pk)
        .select_related("session", "key_question", "author__person__organisation")
        .first()
    )
    if found is None:
        raise Http404
    return found
