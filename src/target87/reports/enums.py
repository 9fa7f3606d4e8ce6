"""The fixed vocabularies of reports: kinds of channel and the formats a report is produced in."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelKind(models.TextChoices):
    """Where a consultation's recommendations are carried to."""

    GLOBAL = "global", _("Global launch or event")
    CONFERENCE = "conference", _("Conference")
    COUNTRY = "country", _("Country-level initiative")
    OTHER = "other", _("Other")


class ReportFormat(models.TextChoices):
    HTML = "html", "HTML"
    PDF = "pdf", "PDF"
    DOCX = "docx", _("Word (DOCX)")
    JSON = "json", "JSON"
    CSV = "csv", _("CSV of the recommendations")


class ConsensusLevel(models.TextChoices):
    """How far the stakeholder groups agree on a recommendation (see the methods annex of a report)."""

    STRONG = "strong", _("Strong: every stakeholder group gives it priority")
    PARTIAL = "partial", _("Partial: most stakeholder groups give it priority")
    DIVIDED = "divided", _("Divided: the stakeholder groups disagree")
    UNRANKED = "unranked", _("Not yet prioritised")


class EditionKind(models.TextChoices):
    """What an edition of the report tells: the outcome of the consultation, or what has happened since."""

    OUTCOME = "outcome", _("Outcome report")
    FOLLOWUP = "followup", _("Follow-up edition: what has happened since")
