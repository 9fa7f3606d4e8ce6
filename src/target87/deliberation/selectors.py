"""Reading contributions and recommendations."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from .models import Contribution, Feedback, Recommendation


def contribution_list(*, consultation, key_question=None, kind: str = "") -> QuerySet[Contribution]:
    rows = Contribution.objects.filter(consultation=consultation).select_related(
        "key_question", "session", "author__person"
    )
    if key_question:
        rows = rows.filter(key_question__position=key_question)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("key_question__position", "created_at", "id")


def contribution_list_public(*, consultation, key_question=None, kind: str = "") -> QuerySet[Contribution]:
    """What the public sees: with the consultation holding contributions until reviewed (safeguarding: some come
    from survivors), only those a facilitator has read."""
    rows = contribution_list(consultation=consultation, key_question=key_question, kind=kind)
    if consultation.hold_contributions:
        rows = rows.filter(reviewed_at__isnull=False)
    return rows


def contributions_of(*, participation) -> QuerySet[Contribution]:
    return Contribution.objects.filter(author=participation).select_related("key_question").order_by("-created_at")


def recommendation_list(*, consultation) -> QuerySet[Recommendation]:
    return (
        Recommendation.objects.filter(consultation=consultation)
        .select_related("key_question", "session")
        .annotate(
            comments=Count("feedback", distinct=True),
            open_amendments=Count(
                "feedback", filter=Q(feedback__kind="amendment", feedback__status="open"), distinct=True
            ),
        )
        .order_by("number")
    )


def recommendation_address(*, pk) -> tuple[str, int]:
    """Where a recommendation known by its id lives: its consultation's slug and its number there (404 if none)."""
    found = Recommendation.objects.filter(pk=pk).values_list("consultation__slug", "number").first()
    if found is None:
        raise Http404
    return found


def recommendation_get(*, consultation, number) -> Recommendation:
    rec = (
        Recommendation.objects.filter(consultation=consultation, number=number)
        .select_related("key_question", "session", "consultation")
        .prefetch_related(
            "versions__edited_by",
            "contributions__key_question",
            Prefetch("feedback", queryset=Feedback.objects.select_related("author__person")),
        )
        .first()
    )
    if rec is None:
        raise Http404
    return rec


def waiting_counts(*, consultation) -> dict[str, int]:
    """What waits for the organisers: amendments not yet accepted or declined and, when the consultation holds
    contributions until reviewed, the contributions not yet reviewed."""
    return {
        "open_amendments": Feedback.objects.filter(
            recommendation__consultation=consultation, kind="amendment", status="open"
        ).count(),
        "contributions_to_review": Contribution.objects.filter(
            consultation=consultation, reviewed_at__isnull=True
        ).count()
        if consultation.hold_contributions
        else 0,
    }
