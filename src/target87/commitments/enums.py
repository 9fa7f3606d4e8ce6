"""The fixed vocabularies of the follow-through: statuses, partnership roles, sources of money, focal points."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ActionStatus(models.TextChoices):
    # with a context: the words agree with "action" in languages with grammatical gender
    PLANNED = "planned", pgettext_lazy("action status", "Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("action status", "In progress")
    COMPLETED = "completed", pgettext_lazy("action status", "Completed")
    DELAYED = "delayed", pgettext_lazy("action status", "Delayed")
    DROPPED = "dropped", pgettext_lazy("action status", "Dropped")


#: statuses of actions that are finished one way or the other: never overdue
CLOSED_STATUSES = (ActionStatus.COMPLETED, ActionStatus.DROPPED)


class PartnerRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    PARTNER = "partner", _("Partner")
    FUNDER = "funder", _("Funder")


class MoneyKind(models.TextChoices):
    COMMITTED = "committed", _("Committed")
    SPENT = "spent", _("Spent")


class SourceType(models.TextChoices):
    DOMESTIC = "domestic", _("Domestic budget")
    ODA_GRANT = "oda_grant", _("ODA grant")
    ODA_LOAN = "oda_loan", _("ODA loan")
    PRIVATE = "private", _("Private")
    PHILANTHROPIC = "philanthropic", _("Philanthropic")
    OTHER = "other", _("Other")


class FocalKind(models.TextChoices):
    COUNTRY = "country", _("Country focal point")
    ORGANISATION = "organisation", _("Organisation representative")
