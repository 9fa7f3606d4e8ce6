"""Ballots on recommendations (or statements), and the votes cast on them.

What the database guarantees:

- one live vote per participant per ballot item (:class:`Vote`), and one live choice per participant per
  pair of items (:class:`PairwiseChoice`): a second vote replaces the first (an upsert), it is never
  counted twice;
- one :class:`BallotPaper` per participant per ballot: the participation count, and the row that makes a
  participant's concurrent submissions wait for each other;
- values within the method's range where a constraint can say it;
- a statement proposed by a participant (:class:`StatementProposal`) is accepted with the ballot item it became,
  and the same statement is proposed once per ballot.

A ballot's items change only while it is being prepared, and on an open agree/disagree ballot when the convener
accepts a proposed statement; each change counts up :attr:`Ballot.items_version` in the same transaction, which
the processes' caches of the items are keyed on (see :func:`target87.priorities.selectors.ballot_items`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .enums import BallotStatus, Method, ProposalStatus

DEFAULT_DOTS = 10
#: the longest statement a participant may propose (a tweet's length: read at a glance on a phone)
PROPOSAL_LENGTH = 280


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
    takes_proposals = models.BooleanField(
        _("participants may propose statements"),
        default=False,
        help_text=_("Agree / disagree ballots: the convener reviews each proposed statement before it is voted on."),
    )
    results_hidden = models.BooleanField(
        _("hide results until the ballot closes"),
        default=False,
        help_text=_("The plenary screen and the results page show no result while the ballot is open."),
    )
    items_version = models.PositiveIntegerField(_("changes to the items"), default=0, editable=False)
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
    def results_shown(self) -> bool:
        """Whether its results may be shown now: always once closed; while open, unless the convener hides them."""
        return self.status == BallotStatus.CLOSED or not self.results_hidden

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

    @property
    def proposed(self) -> StatementProposal | None:
        """The participant's proposal this statement was accepted from, or None (the convener's own item)."""
        try:
            return self.proposal
        except StatementProposal.DoesNotExist:
            return None


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


class StatementProposal(models.Model):
    """A statement a participant proposed on an open agree/disagree ballot, and the convener's review of it.

    Accepted, it became :attr:`item` (voted like the others, the proposer anonymous); not accepted, it stays here
    for the record, with who decided and when. ``group`` is the proposer's stakeholder group when they proposed
    it; ``key`` a digest of the statement as compared for duplicates (case, spaces and closing punctuation aside:
    a digest, because without case a statement can grow longer — "ß" compares as "ss")."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="proposals")
    participation = models.ForeignKey(
        "people.Participation", on_delete=models.CASCADE, related_name="statement_proposals"
    )
    group = models.CharField(_("stakeholder group"), max_length=32)
    text = models.CharField(_("statement"), max_length=PROPOSAL_LENGTH)
    key = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    item = models.OneToOneField(BallotItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposal")
    created_at = models.DateTimeField(_("proposed at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["ballot", "created_at", "id"]
        verbose_name = _("proposed statement")
        verbose_name_plural = _("proposed statements")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "key"], name="proposal_once_per_ballot"),
            models.CheckConstraint(condition=Q(status__in=ProposalStatus.values), name="proposal_status_valid"),
            models.CheckConstraint(
                condition=Q(status=ProposalStatus.PENDING, decided_at__isnull=True)
                | (~Q(status=ProposalStatus.PENDING) & Q(decided_at__isnull=False)),
                name="proposal_decided_when_reviewed",
            ),
        ]
        indexes = [models.Index(fields=["ballot", "status"])]

    def __str__(self) -> str:
        return self.text
