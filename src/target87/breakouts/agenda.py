"""The participant's agenda shows their group and room under the breakout session (once published)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from target87.people.agenda import AgendaNote, agenda_note_source

from .enums import LEAD_ROLES
from .selectors import published_groups_of


@agenda_note_source
def breakout_group_notes(*, participation, sessions) -> dict[int, list[AgendaNote]]:
    shown = {s.pk for s in sessions}
    notes: dict[int, list[AgendaNote]] = {}
    for allocation, group in published_groups_of(participation=participation):
        session_id = group.session_id or allocation.session_id
        if session_id not in shown:
            continue
        if group.room_id:
            text = _("Your group: %(number)d — %(room)s") % {"number": group.number, "room": group.room.name}
        else:
            text = _("Your group: %(number)d") % {"number": group.number}
        notes.setdefault(session_id, []).append(AgendaNote(text))
        if participation.role in LEAD_ROLES or group.facilitator_id == participation.pk:
            url = reverse(
                "breakouts:groups", kwargs={"slug": participation.consultation.slug, "pk": allocation.session_id}
            )
            notes[session_id].append(AgendaNote(_("The list of your group (printable, CSV)"), url))
    return notes
