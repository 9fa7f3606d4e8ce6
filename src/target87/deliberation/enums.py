"""The fixed vocabularies of deliberation: kinds of contribution, actors, levels, timeframes."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ContributionKind(models.TextChoices):
    GOOD_PRACTICE = "good_practice", _("Good practice")
    CHALLENGE = "challenge", _("Challenge")
    PROPOSAL = "proposal", _("Proposal")
    EVIDENCE = "evidence", _("Evidence")


class Actor(models.TextChoices):
    """Whom a recommendation asks to act."""

    GOVERNMENTS = "governments", _("Governments")
    SOCIAL_PARTNERS = "social_partners", _("Social partners (workers' and employers' organisations)")
    NGOS = "ngos", _("NGOs and civil society")
    DEVELOPMENT_PARTNERS = "development_partners", _("Development partners")
    UN = "un", _("The United Nations")


class Level(models.TextChoices):
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")


class Timeframe(models.TextChoices):
    IMMEDIATE = "immediate", _("Within a year")
    MEDIUM = "medium", _("Within three years")
    LONG = "long", _("By 2030")


class FeedbackKind(models.TextChoices):
    COMMENT = "comment", _("Comment")
    AMENDMENT = "amendment", _("Proposed amendment")


class FeedbackStatus(models.TextChoices):
    # with a context: the words agree with "comment" in languages with grammatical gender
    OPEN = "open", pgettext_lazy("comment status", "Open")
    ACCEPTED = "accepted", pgettext_lazy("comment status", "Accepted")
    DECLINED = "declined", pgettext_lazy("comment status", "Declined")
