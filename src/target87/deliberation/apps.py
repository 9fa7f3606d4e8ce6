"""Contributions and recommendations."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliberationConfig(AppConfig):
    name = "target87.deliberation"
    label = "deliberation"
    verbose_name = _("Deliberation")

    def ready(self) -> None:
        from target87.people.agenda import agenda_note_source, agenda_sessions_source

        from .agenda import contribute_notes, other_breakouts

        agenda_note_source(contribute_notes)
        agenda_sessions_source(other_breakouts)
