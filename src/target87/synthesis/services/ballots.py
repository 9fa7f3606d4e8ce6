"""One action prepares a prioritisation ballot from the merged recommendations, through the priorities services."""

from __future__ import annotations

from django.utils.translation import ngettext

from target87.consultations.models import Consultation
from target87.core.errors import ServiceError
from target87.core.permissions import require
from target87.priorities import services as priorities
from target87.priorities.models import Ballot

from .. import selectors


def ballot_prepare(
    *,
    actor,
    consultation: Consultation,
    title: str,
    method: str,
    dots: int | None = None,
    include_unmerged: bool = False,
) -> Ballot:
    """A ballot being prepared, whose items are the merged recommendations in force (and, with
    ``include_unmerged``, every other recommendation still standing). The method is any of the ballots'."""
    require(actor, "synthesis.prepare_ballot", consultation)
    recommendations = selectors.standing_recommendations(consultation=consultation, merged_only=not include_unmerged)
    if len(recommendations) < 2:
        raise ServiceError(
            ngettext(
                "A ballot needs at least two recommendations, and %(count)d merged recommendation stands: accept "
                "more suggested merges, or include the recommendations that were not merged.",
                "A ballot needs at least two recommendations, and %(count)d merged recommendations stand: accept "
                "more suggested merges, or include the recommendations that were not merged.",
                len(recommendations),
            )
            % {"count": len(recommendations)}
        )
    return priorities.ballot_create(
        actor=actor,
        consultation=consultation,
        title=title,
        method=method,
        dots=dots,
        recommendations=recommendations,
    )
