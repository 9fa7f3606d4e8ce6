"""Breakout groups and who sits in which."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BreakoutsConfig(AppConfig):
    name = "target87.breakouts"
    label = "breakouts"
    verbose_name = _("Breakout groups")

    def ready(self) -> None:
        # registrations: the permission rules, the job kind (in services) and the agenda note source
        from . import agenda, rules, services  # noqa: F401
