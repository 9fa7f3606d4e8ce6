"""Audience questions to a session's panel or speakers, their upvotes, and each session's live state (whether it
takes questions, pre-moderation, the question pinned, the clock of its deliberation).

A question's ``version`` counts every moderator's change: a change names the version it was made on, so that of
two moderators acting on one question at once, one wins and the other is told (:mod:`.services.moderation`).
Upvotes are rows, one per participant and question (the database's constraint): a question's votes are counted,
never kept as a number that could drift.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import ClockState, QuestionLanguage, QuestionStatus

QUESTION_LENGTH = 280
NOTE_LENGTH = 1000
REASON_LENGTH = 200


class SessionLive(models.Model):
    """What a session is doing live (one row, made when a moderator first changes something)."""

    session = models.OneToOneField(
        "consultations.Session", primary_key=True, on_delete=models.CASCADE, related_name="live"
    )
    questions_open = models.BooleanField(_("takes questions"), default=True)
    premoderated = models.BooleanField(_("questions wait for the moderator's approval"), default=True)
    allotted_minutes = models.PositiveIntegerField(
        _("deliberation time (minutes)"),
        null=True,
        blank=True,
        help_text=_("Empty: the session's deliberation time, else its length."),
    )
    pinned = models.ForeignKey(
        "Question", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("pinned")
    )
    clock = models.CharField(_("clock"), max_length=8, choices=ClockState.choices, default=ClockState.READY)
    running_since = models.DateTimeField(null=True, blank=True)
    used_seconds = models.PositiveIntegerField(_("time used (seconds)"), default=0)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")
        constraints = [
            models.CheckConstraint(condition=Q(clock__in=ClockState.values), name="live_clock_valid"),
            models.CheckConstraint(
                condition=Q(clock=ClockState.RUNNING, running_since__isnull=False)
                | ~Q(clock=ClockState.RUNNING) & Q(running_since__isnull=True),
                name="live_running_since_when_running",
            ),
        ]

    def __str__(self) -> str:
        return str(self.session)

    @property
    def allotted(self) -> int:
        """The minutes allotted to the session's deliberation."""
        if self.allotted_minutes:
            return self.allotted_minutes
        return self.session.deliberation_minutes or self.session.duration_minutes

    def used(self, now: dt.datetime | None = None) -> int:
        """Seconds of deliberation used so far (the running stretch included)."""
        extra = 0
        if self.clock == ClockState.RUNNING and self.running_since is not None:
            extra = max(0, int(((now or timezone.now()) - self.running_since).total_seconds()))
        return self.used_seconds + extra

    def left(self, now: dt.datetime | None = None) -> int:
        """Seconds of deliberation left (negative when over time)."""
        return self.allotted * 60 - self.used(now)


class Question(models.Model):
    consultation = models.ForeignKey(
        "consultations.Consultation", on_delete=models.CASCADE, related_name="live_questions"
    )
    session = models.ForeignKey(
        "consultations.Session", on_delete=models.CASCADE, related_name="live_questions", verbose_name=_("session")
    )
    author = models.ForeignKey(
        "people.Participation", on_delete=models.CASCADE, related_name="live_questions", verbose_name=_("asked by")
    )
    text = models.CharField(_("question"), max_length=QUESTION_LENGTH)
    #: the text folded (case, accents, punctuation, spaces) to find the same question asked again
    fingerprint = models.CharField(max_length=QUESTION_LENGTH, db_index=True)
    language = models.CharField(_("language"), max_length=2, choices=QuestionLanguage.choices)
    anonymous = models.BooleanField(_("anonymous to the room"), default=False)
    speaker = models.ForeignKey(
        "consultations.SessionSpeaker",
        verbose_name=_("addressed to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="live_questions",
    )
    status = models.CharField(_("status"), max_length=8, choices=QuestionStatus.choices)
    hidden_reason = models.CharField(_("why it is hidden"), max_length=REASON_LENGTH, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged", verbose_name=_("merged into")
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer_note = models.TextField(_("answer note"), max_length=NOTE_LENGTH, blank=True)
    contribution = models.OneToOneField(
        "deliberation.Contribution",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="live_question",
        verbose_name=_("contribution"),
    )
    version = models.PositiveIntegerField(default=0)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "created_at", "id"]
        verbose_name = _("audience question")
        verbose_name_plural = _("audience questions")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=QuestionStatus.values), name="live_question_status_valid"),
            models.CheckConstraint(
                condition=Q(language__in=QuestionLanguage.values), name="live_question_language_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=QuestionStatus.MERGED, merged_into__isnull=False)
                | ~Q(status=QuestionStatus.MERGED) & Q(merged_into__isnull=True),
                name="live_question_merged_into_when_merged",
            ),
            models.UniqueConstraint(
                fields=["session", "author", "fingerprint"], name="live_question_asked_once_by_author"
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status"]),
            models.Index(fields=["author", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def answered(self) -> bool:
        return self.answered_at is not None


class Upvote(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="upvotes")
    participation = models.ForeignKey("people.Participation", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("upvote")
        verbose_name_plural = _("upvotes")
        constraints = [
            models.UniqueConstraint(fields=["question", "participation"], name="live_upvote_once"),
        ]

    def __str__(self) -> str:
        return f"{self.participation_id} → {self.question_id}"
