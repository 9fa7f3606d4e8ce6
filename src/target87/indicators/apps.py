"""Indicator catalogue, observations and estimates from survey microdata."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "target87.indicators"
    label = "indicators"
    verbose_name = _("Indicators")
