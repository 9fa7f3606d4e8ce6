"""The fixed vocabularies of breakout allocations."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AllocationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PairKind(models.TextChoices):
    APART = "apart", _("Keep apart")
    TOGETHER = "together", _("Keep together")


class SolverStatus(models.TextChoices):
    OPTIMAL = "optimal", _("Optimal")
    FEASIBLE = "feasible", _("Feasible")


#: roles of approved participations that are placed in groups; conveners run the event and observers watch
PLACED_ROLES = ("participant", "facilitator", "rapporteur", "panellist", "speaker")
#: roles spread over the groups like a category, so that every group has someone to lead and record it
LEAD_ROLES = ("facilitator", "rapporteur")
#: above this many people an allocation runs as a background job with progress
BACKGROUND_PEOPLE = 150
