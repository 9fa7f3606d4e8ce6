from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The Bangkok demonstration: no models, the ``load-demo`` command that builds it through the services."""

    name = "target87.demo"
    label = "demo"
    verbose_name = _("Demonstration")
