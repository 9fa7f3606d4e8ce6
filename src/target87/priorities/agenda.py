"""What priorities adds to a participant's agenda: under a session, its ballots (vote, or read the results)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from target87.people.agenda import AgendaNote

from .enums import BallotStatus
from .models import Ballot


def ballot_notes(*, participation, sessions) -> dict[int, list[AgendaNote]]:
    notes: dict[int, list[AgendaNote]] = {}
    ballots = Ballot.objects.filter(session__in=[s.pk for s in sessions]).exclude(status=BallotStatus.DRAFT)
    for ballot in ballots.order_by("created_at"):
        if ballot.status == BallotStatus.OPEN:
            note = AgendaNote(
                _("Vote: %(title)s") % {"title": ballot.title}, reverse("priorities:vote", kwargs={"pk": ballot.pk})
            )
        else:
            note = AgendaNote(
                _("Results: %(title)s") % {"title": ballot.title},
                reverse("priorities:results", kwargs={"pk": ballot.pk}),
            )
        notes.setdefault(ballot.session_id, []).append(note)
    return notes
