"""Synthesis: merging what the breakout groups said into recommendations, with every source kept."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SynthesisConfig(AppConfig):
    name = "target87.synthesis"
    label = "synthesis"
    verbose_name = _("Synthesis")

    def ready(self) -> None:
        # registrations: the permission rules and the job kind (in services)
        from . import rules, services  # noqa: F401
