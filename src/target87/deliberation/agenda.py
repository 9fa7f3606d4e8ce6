"""What deliberation adds to a participant's agenda: under each breakout group, a link to contribute."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from target87.consultations.enums import SessionKind
from target87.people.agenda import AgendaNote


def contribute_notes(*, participation, sessions) -> dict[int, list[AgendaNote]]:
    url = reverse("deliberation:contribute", kwargs={"slug": participation.consultation.slug})
    return {
        s.pk: [AgendaNote(_("Contribute from this group"), f"{url}?session={s.pk}")]
        for s in sessions
        if s.kind == SessionKind.BREAKOUT
    }
