"""Ballots on recommendations (or statements), and the votes cast on them.

What the database guarantees:

- one live vote per participant per ballot item (:class:`Vote`), and one live choice per participant per
  pair of items (:class:`PairwiseChoice`): a second vote replaces the first (an upsert), it is never
  counted twice;
- one :class:`BallotPaper` per participant per ballot: the participation count, and the row that makes a
  participant's concurrent submissions wait for each other;
- values within the method's range where a constraint can say it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .enums import BallotStatus, Method

DEFAULT_DOTS = 10


class Ballot(models.Model):
    consultation = models.ForeignKey("consultations.Consultation", on_delete=models.CASCADE, related_name="ballots")
    title = models.CharField(_("title"), max_length=200)
    question = models.TextField(_("what participants are asked"), blank=True)
    session = models.ForeignKey(
        "consultations.Session",
        verbose_name=_("voted in the session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ballots",
    )
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    dots = models.PositiveSmallIntegerField(_("dots per participant"), default=DEFAULT_DOTS)
    status = models.CharField(_("status"), max_length=16, choices=BallotStatus.choices, default=BallotStatus.DRAFT)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(_("result at closing"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["consultation", "-created_at", "-id"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.CheckConstraint(condition=Q(method__in=Method.values), name="ballot_method_valid"),
            models.CheckConstraint(condition=Q(status__in=BallotStatus.values), name="ballot_status_valid"),
            models.CheckConstraint(condition=Q(dots__gte=1), name="ballot_dots_positive"),
            models.CheckConstraint(
                condition=~Q(status=BallotStatus.CLOSED) | Q(result__isnull=False), name="ballot_closed_has_result"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("priorities:results", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == BallotStatus.OPEN

    @property
    def is_pairwise(self) -> bool:
        return self.method == Method.PAIRWISE


class BallotItem(models.Model):
    """A recommendation (or a statement) on a ballot, with the short code it has in exports (R7, S3)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="items")
    recommendation = models.ForeignKey(
        "deliberation.Recommendation", null=True, blank=True, on_delete=models.PROTECT, related_name="ballot_items"
    )
    code = models.CharField(_("code"), max_length=16)
    label = models.CharField(_("label"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        ordering = ["ballot", "position"]
        verbose_name = _("ballot item")
        verbose_name_plural = _("ballot items")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "code"], name="ballot_item_code_unique"),
            models.UniqueConstraint(fields=["ballot", "position"], name="ballot_item_position_unique"),
            models.UniqueConstraint(
                fields=["ballot", "recommendation"],
                condition=Q(recommendation__isnull=False),
                name="ballot_item_recommendation_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.label}"


class BallotPaper(models.Model):
    """That a participant voted on a ballot: when first, and the stakeholder group they vote in (their
    organisation's at their first vote; all their votes on the ballot count in that group). The votes keep the
    time each was cast."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="papers")
    participation = models.ForeignKey("people.Participation", on_delete=models.CASCADE, related_name="ballot_papers")
    group = models.CharField(_("stakeholder group"), max_length=32)
    first_cast_at = models.DateTimeField()

    class Meta:
        ordering = ["ballot", "first_cast_at"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "participation"], name="ballot_paper_one_per_participant"),
        ]

    def __str__(self) -> str:
        return f"{self.ballot} — {self.participation_id}"


class Vote(models.Model):
    """A participant's live vote on one item: dots, approval (1/0), score, position (1 best), or agree (1 / −1 / 0)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="votes")
    item = models.ForeignKey(BallotItem, on_delete=models.CASCADE, related_name="votes")
    participation = models.ForeignKey("people.Participation", on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(_("value"))
    cast_at = models.DateTimeField()

    class Meta:
        ordering = ["ballot", "cast_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "participation"], name="vote_one_live_per_participant_item"),
            models.CheckConstraint(condition=Q(value__gte=-1) & Q(value__lte=1000), name="vote_value_in_range"),
        ]
        indexes = [models.Index(fields=["ballot", "participation"])]

    def __str__(self) -> str:
        return f"{self.participation_id} {self.item_id}={self.value}"


class PairwiseChoice(models.Model):
    """A participant's live choice between two items (``first`` has the lower id): ``winner`` was preferred."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    participation = models.ForeignKey("people.Participation", on_delete=models.CASCADE, related_name="pairwise_choices")
    first = models.ForeignKey(BallotItem, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(BallotItem, on_delete=models.CASCADE, related_name="+")
    winner = models.ForeignKey(BallotItem, on_delete=models.CASCADE, related_name="+")
    cast_at = models.DateTimeField()

    class Meta:
        ordering = ["ballot", "cast_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["participation", "first", "second"], name="pairwise_one_live_per_pair"),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="pairwise_pair_ordered"),
            models.CheckConstraint(
                condition=Q(winner=F("first")) | Q(winner=F("second")), name="pairwise_winner_in_pair"
            ),
        ]
        indexes = [models.Index(fields=["ballot", "participation"])]

    def __str__(self) -> str:
        return f"{self.participation_id}: {self.winner_id} over {self.loser_id}"

    @property
    def loser_id(self) -> int:
        return self.second_id if self.winner_id == self.first_id else self.first_id
