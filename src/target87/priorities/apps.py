"""Ballots, votes, results and consensus across stakeholder groups."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrioritiesConfig(AppConfig):
    name = "target87.priorities"
    label = "priorities"
    verbose_name = _("Priorities")

    def ready(self) -> None:
        from target87.people.agenda import agenda_note_source

        from . import exporters  # noqa: F401  (registers the ballots' exporters)
        from .agenda import ballot_notes

        agenda_note_source(ballot_notes)
