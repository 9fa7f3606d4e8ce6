"""Ballot methods and states."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Method(models.TextChoices):
    """How a ballot is voted and counted; the value is the ranking engine's method name."""

    DOTS = "dots", _("Dots to spread")
    APPROVAL = "approval", _("Approval")
    SCORE = "score", _("Score from 0 to 5")
    BORDA = "borda", _("Ranked (Borda count)")
    SCHULZE = "schulze", _("Ranked (Schulze method)")
    PAIRWISE = "bradley-terry", _("Pairwise comparisons")
    CONSENSUS = "consensus", _("Agree / disagree on statements")


RANKED = {Method.BORDA, Method.SCHULZE}


class BallotStatus(models.TextChoices):
    # with a context: the words agree with "ballot" in languages with grammatical gender
    DRAFT = "draft", pgettext_lazy("ballot status", "Being prepared")
    OPEN = "open", pgettext_lazy("ballot status", "Open")
    CLOSED = "closed", pgettext_lazy("ballot status", "Closed")


class Agreement(models.IntegerChoices):
    AGREE = 1, _("Agree")
    DISAGREE = -1, _("Disagree")
    PASS = 0, _("Pass / unsure")


class ProposalStatus(models.TextChoices):
    """Where a statement proposed by a participant stands: the convener reviews each before it is voted on."""

    PENDING = "pending", _("Waiting for review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")
