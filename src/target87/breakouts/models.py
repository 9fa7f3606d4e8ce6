"""Breakout allocations: who sits in which group of a breakout slot.

An :class:`Allocation` belongs to a *slot*: the breakout sessions of a consultation that run at the same
time. When a slot has several parallel sessions, each session is one group (in its room, on its key
question); a slot of one session is split into groups within it. Every run of the allocation engine is an
:class:`AllocationRun` holding the whole assignment (one row per participation, enforced by the database);
the latest run is the current one, the published run is what participants see. Each run has its own
groups (numbered from 1), so older runs stay whole whatever later runs change; a run copies the groups of
the run before (their lock, working language and facilitator carry over), and its moves are counted
against it. :class:`BreakoutPair` holds the convener's pairs to keep apart or together in every slot.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import AllocationStatus, PairKind, SolverStatus


class Allocation(models.Model):
    consultation = models.ForeignKey(
        "consultations.Consultation", on_delete=models.CASCADE, related_name="breakout_allocations"
    )
    #: the first session of the slot (by start, room order, id)
    session = models.OneToOneField(
        "consultations.Session", on_delete=models.CASCADE, related_name="breakout_allocation"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AllocationStatus.choices, default=AllocationStatus.DRAFT
    )
    current_run = models.ForeignKey("AllocationRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published_run = models.ForeignKey(
        "AllocationRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: raised by every change; a run saves its result only if nothing changed while it was solving
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["session__start", "pk"]
        verbose_name = _("breakout allocation")
        verbose_name_plural = _("breakout allocations")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AllocationStatus.values), name="breakout_allocation_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=AllocationStatus.DRAFT) | Q(published_run__isnull=False),
                name="breakout_allocation_published_has_run",
            ),
        ]

    def __str__(self) -> str:
        return str(self.session)

    @property
    def is_published(self) -> bool:
        return self.status == AllocationStatus.PUBLISHED


class AllocationRun(models.Model):
    """One run of the allocation engine and the whole assignment it gave (hand moves edit it in place)."""

    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="runs")
    number = models.PositiveIntegerField(_("run"))
    solver_status = models.CharField(_("solver status"), max_length=16, choices=SolverStatus.choices)
    method = models.CharField(_("method"), max_length=100, blank=True)
    objective = models.IntegerField(_("objective"))
    bound = models.IntegerField(_("best bound"))
    gap = models.FloatField(_("gap"))
    seed = models.IntegerField(_("seed"), default=0)
    time_limit = models.FloatField(_("time limit (seconds)"))
    options = models.JSONField(_("options"), default=dict, blank=True)
    seconds = models.FloatField(_("seconds"), default=0)
    #: the weighted objective by term, as the engine reports it
    terms = models.JSONField(default=dict, blank=True)
    #: balance, tripartite coverage, preferences … of the assignment as it stands (recomputed after hand moves)
    metrics = models.JSONField(default=dict, blank=True)
    notes = models.JSONField(default=list, blank=True)
    #: people placed elsewhere than in the run before
    moves = models.PositiveIntegerField(_("moves from the previous run"), default=0)
    hand_moves = models.PositiveIntegerField(_("moves by hand"), default=0)
    locked_groups = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["allocation", "number"]
        verbose_name = _("allocation run")
        verbose_name_plural = _("allocation runs")
        constraints = [
            models.UniqueConstraint(fields=["allocation", "number"], name="breakout_run_number_unique"),
            models.CheckConstraint(
                condition=Q(solver_status__in=SolverStatus.values), name="breakout_run_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.allocation} #{self.number}"


class BreakoutGroup(models.Model):
    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="groups")
    #: the run whose group this is (the allocation's, kept alongside for permissions and queries)
    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveSmallIntegerField(_("number"))
    #: the parallel session that is this group; empty when the groups split one session
    session = models.ForeignKey(
        "consultations.Session", null=True, blank=True, on_delete=models.CASCADE, related_name="breakout_groups"
    )
    room = models.ForeignKey(
        "consultations.Room", verbose_name=_("room"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    key_question = models.ForeignKey(
        "consultations.KeyQuestion",
        verbose_name=_("key question"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    capacity = models.PositiveIntegerField(_("seats"))
    language = models.CharField(_("working language"), max_length=16, blank=True)
    facilitator = models.ForeignKey(
        "people.Participation",
        verbose_name=_("facilitator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facilitated_breakout_groups",
    )
    locked = models.BooleanField(_("locked"), default=False)

    class Meta:
        ordering = ["run", "number"]
        verbose_name = _("breakout group")
        verbose_name_plural = _("breakout groups")
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="breakout_group_number_per_run_unique"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="breakout_group_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number}"

    @property
    def topic(self) -> str:
        """The topic the engine matches against participants' preferences (``q1`` … as they chose them)."""
        return f"q{self.key_question.position}" if self.key_question_id else ""

    @property
    def place(self) -> str:
        return self.room.name if self.room_id else ""


class GroupAssignment(models.Model):
    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="assignments")
    participation = models.ForeignKey(
        "people.Participation", on_delete=models.CASCADE, related_name="breakout_assignments"
    )
    group = models.ForeignKey(BreakoutGroup, on_delete=models.CASCADE, related_name="assignments")
    moved_by_hand = models.BooleanField(default=False)

    class Meta:
        ordering = ["group__number", "participation__person__name"]
        verbose_name = _("group assignment")
        verbose_name_plural = _("group assignments")
        constraints = [
            models.UniqueConstraint(fields=["run", "participation"], name="breakout_one_group_per_run"),
        ]

    def __str__(self) -> str:
        return f"{self.participation_id} → {self.group}"


class BreakoutPair(models.Model):
    """Two participants of a consultation to keep apart, or together (a delegate and their interpreter), in
    every breakout slot. Stored once per pair, the smaller participation id first."""

    consultation = models.ForeignKey(
        "consultations.Consultation", on_delete=models.CASCADE, related_name="breakout_pairs"
    )
    first = models.ForeignKey("people.Participation", on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey("people.Participation", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("rule"), max_length=16, choices=PairKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["consultation", "kind", "pk"]
        verbose_name = _("breakout pair")
        verbose_name_plural = _("breakout pairs")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "first", "second"], name="breakout_pair_unique"),
            models.CheckConstraint(condition=Q(first__lt=models.F("second")), name="breakout_pair_ordered"),
            models.CheckConstraint(condition=Q(kind__in=PairKind.values), name="breakout_pair_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} {self.kind} {self.second_id}"
