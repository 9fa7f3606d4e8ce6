"""The fixed vocabularies of live sessions: a question's status, a clock's state, the languages of questions."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from target87.consultations.enums import SessionKind


class QuestionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the moderator")
    APPROVED = "approved", _("Approved")
    HIDDEN = "hidden", _("Hidden")
    MERGED = "merged", _("Merged into another question")


class ClockState(models.TextChoices):
    READY = "ready", _("Not started")
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


class QuestionLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")


#: the sessions whose audience asks questions unless the moderator closes them (a breakout opens on demand)
ASKING_KINDS = frozenset({SessionKind.PLENARY, SessionKind.EXPERT_PANEL, SessionKind.LUNCH_TALK})
#: the sessions whose moderator may open questions on demand
ON_DEMAND_KINDS = frozenset({SessionKind.BREAKOUT})
#: statuses on which an upvote counts
VOTABLE = (QuestionStatus.PENDING, QuestionStatus.APPROVED)
