"""Ballots, votes, results and consensus across stakeholder groups."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrioritiesConfig(AppConfig):
    name = "target87.priorities"
    label = "priorities"
    verbose_name = _("Priorities")
