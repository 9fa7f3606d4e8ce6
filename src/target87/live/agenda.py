"""What live adds to a participant's agenda: under each session that takes questions, the link to ask and upvote."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from target87.people.agenda import AgendaNote

from .enums import ASKING_KINDS
from .models import SessionLive


def question_notes(*, participation, sessions) -> dict[int, list[AgendaNote]]:
    states = {s.pk: s for s in SessionLive.objects.filter(session__in=[session.pk for session in sessions])}
    notes: dict[int, list[AgendaNote]] = {}
    for session in sessions:
        state = states.get(session.pk)
        takes = state.questions_open if state is not None else session.kind in ASKING_KINDS
        if takes:
            url = reverse("live:session", kwargs={"pk": session.pk})
            notes[session.pk] = [AgendaNote(_("Questions: ask and upvote"), url)]
    return notes
