"""What a ballot shows while it is open: its results, or nothing until it closes."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from target87.core import audit
from target87.core.errors import ServiceError
from target87.core.permissions import require

from ..enums import BallotStatus
from ..models import Ballot


@transaction.atomic
def ballot_results_hidden_set(*, actor, ballot: Ballot, hidden: bool) -> Ballot:
    """Hide the ballot's results from the plenary screen and the results page until it closes, or show them.

    A closed ballot's results are always shown, so the choice can no longer change once it is closed."""
    require(actor, "priorities.manage_ballot", ballot.consultation)
    ballot = Ballot.objects.select_for_update().select_related("consultation").get(pk=ballot.pk)
    hidden = bool(hidden)
    if ballot.status == BallotStatus.CLOSED:
        raise ServiceError(_("This ballot is closed: its results are shown to everyone."))
    if ballot.results_hidden != hidden:
        ballot.results_hidden = hidden
        ballot.save(update_fields=["results_hidden"])
        audit.record(
            actor=actor,
            action="ballot.results_hidden",
            obj=ballot,
            consultation=ballot.consultation,
            changes={"results_hidden": hidden},
        )
    return ballot
