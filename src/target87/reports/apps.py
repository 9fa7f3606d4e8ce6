"""The outcome report: its contents, channels, formats and dated editions."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "target87.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # the permissions and the background job kind register themselves when imported
        from . import jobs, rules  # noqa: F401
