"""The fixed vocabularies of a consultation."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ConsultationStatus(models.TextChoices):
    # with a context: the words agree with "consultation" in languages with grammatical gender
    DRAFT = "draft", pgettext_lazy("consultation status", "Draft")
    PUBLISHED = "published", pgettext_lazy("consultation status", "Published")
    CLOSED = "closed", pgettext_lazy("consultation status", "Closed")


class Lens(models.TextChoices):
    """The angle from which a key question looks at target 8.7."""

    POLICY = "policy", _("Policy and programmes")
    INSTITUTIONS = "institutions", _("Institutional frameworks and partnerships")
    MONITORING = "monitoring", _("Technical systems and monitoring")
    ALIGNMENT = "alignment", _("Alignment of NGO and development-partner action")
    FINANCE = "finance", _("Development finance")


class ThematicArea(models.TextChoices):
    """The thematic areas of SDG target 8.7."""

    FORCED_LABOUR = "forced_labour", _("Forced labour")
    MODERN_SLAVERY = "modern_slavery", _("Modern slavery")
    HUMAN_TRAFFICKING = "human_trafficking", _("Human trafficking")
    CHILD_LABOUR = "child_labour", _("Child labour")
    CHILD_SOLDIERS = "child_soldiers", _("Recruitment and use of child soldiers")


class SessionKind(models.TextChoices):
    PLENARY = "plenary", _("Plenary")
    EXPERT_PANEL = "expert_panel", _("Expert panel")
    BREAKOUT = "breakout", _("Breakout groups")
    LUNCH_TALK = "lunch_talk", _("Lunch talk")
    BREAK = "break", _("Break")
    OTHER = "other", _("Other")


class SpeakerRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MODERATOR = "moderator", _("Moderator")
    PANELLIST = "panellist", _("Panellist")
    SPEAKER = "speaker", _("Speaker")
