"""Indicator catalogue, observations and estimates from survey microdata."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "target87.indicators"
    label = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        # registrations: the permission rules and the background job kind (in services)
        from . import rules, services  # noqa: F401
