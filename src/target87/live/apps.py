"""Live sessions: audience questions to panels and lunch talks, and the clock of each session."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "target87.live"
    label = "live"
    verbose_name = _("Live sessions")

    def ready(self) -> None:
        from target87.people.agenda import agenda_note_source

        from .agenda import question_notes

        agenda_note_source(question_notes)
