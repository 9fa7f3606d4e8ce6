"""What deliberation adds to a participant's agenda: under their own breakout group, its facilitator and a link to
contribute from it; the parallel breakouts of a published slot where they sit in another group are left out."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from target87.consultations.enums import SessionKind
from target87.people.agenda import AgendaNote

from .groups import groups_of, published_slots


def contribute_notes(*, participation, sessions) -> dict[int, list[AgendaNote]]:
    url = reverse("deliberation:contribute", kwargs={"slug": participation.consultation.slug})
    own = {g.session.pk: g for g in groups_of(participation)}
    notes: dict[int, list[AgendaNote]] = {}
    for s in sessions:
        if s.kind != SessionKind.BREAKOUT:
            continue
        group = own.get(s.pk)
        if group is not None and group.group.facilitator_id and group.group.facilitator_id != participation.pk:
            name = group.group.facilitator.person.name
            notes.setdefault(s.pk, []).append(AgendaNote(_("Facilitator: %(name)s") % {"name": name}))
        notes.setdefault(s.pk, []).append(AgendaNote(_("Contribute from this group"), f"{url}?session={s.pk}"))
    return notes


def other_breakouts(*, participation, sessions) -> set[int]:
    """The breakout sessions of published slots that are not the participant's group's."""
    own = {g.session.pk for g in groups_of(participation)}
    hidden: set[int] = set()
    for slot in published_slots(consultation_id=participation.consultation_id):
        if slot & own:
            hidden |= slot - own
    return hidden
