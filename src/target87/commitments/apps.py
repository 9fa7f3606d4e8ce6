"""Follow-through: actions, commitments, money and good practices against the recommendations."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "target87.commitments"
    label = "commitments"
    verbose_name = _("Commitments")
