"""Contributions captured in the breakout groups, and the recommendations drafted from them.

A breakout group is a breakout session (a session of kind "breakout" in its room). Every edit of a
recommendation is kept as a :class:`RecommendationVersion`; participants comment on recommendations or
propose amendments (:class:`Feedback`), which a facilitator accepts or declines.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from target87.consultations.enums import ThematicArea
from target87.people.enums import StakeholderGroup

from .enums import ContributionKind, FeedbackKind, FeedbackStatus, Level, Timeframe


class Contribution(models.Model):
    """Something said in a breakout group against a key question: a practice, a challenge, a proposal, evidence."""

    consultation = models.ForeignKey(
        "consultations.Consultation", on_delete=models.CASCADE, related_name="contributions"
    )
    session = models.ForeignKey(
        "consultations.Session",
        verbose_name=_("breakout group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
    )
    key_question = models.ForeignKey(
        "consultations.KeyQuestion",
        verbose_name=_("key question"),
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ContributionKind.choices)
    text = models.TextField(_("contribution"))
    thematic_area = models.CharField(_("thematic area"), max_length=32, choices=ThematicArea.choices, blank=True)
    countries = models.JSONField(_("countries concerned"), default=list, blank=True)
    stakeholder_group = models.CharField(
        _("stakeholder group"), max_length=32, choices=StakeholderGroup.choices, blank=True
    )
    author = models.ForeignKey(
        "people.Participation",
        verbose_name=_("from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
    )
    anonymous = models.BooleanField(_("anonymous on public pages"), default=False)
    #: when a convener or facilitator read it (what a consultation holding contributions for review waits for)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_key = models.UUIDField(
        null=True, blank=True, help_text="Set by the phone that sent it, so that sending again stores it once"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["consultation", "key_question__position", "created_at", "id"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ContributionKind.values), name="contribution_kind_valid"),
            models.CheckConstraint(
                condition=Q(thematic_area="") | Q(thematic_area__in=ThematicArea.values),
                name="contribution_area_valid",
            ),
            models.CheckConstraint(
                condition=Q(stakeholder_group="") | Q(stakeholder_group__in=StakeholderGroup.values),
                name="contribution_group_valid",
            ),
            models.UniqueConstraint(
                fields=["consultation", "client_key"],
                condition=Q(client_key__isnull=False),
                name="contribution_sent_once",
            ),
        ]
        indexes = [models.Index(fields=["consultation", "key_question"])]

    def __str__(self) -> str:
        return self.text[:80]

    def public_author(self) -> str:
        """The name shown on public pages: the person's, unless they chose to stay anonymous."""
        if self.anonymous or self.author_id is None:
            return ""
        return self.author.person.name


class Recommendation(models.Model):
    consultation = models.ForeignKey(
        "consultations.Consultation", on_delete=models.CASCADE, related_name="recommendations"
    )
    number = models.PositiveIntegerField(_("number"))
    key_question = models.ForeignKey(
        "consultations.KeyQuestion",
        verbose_name=_("key question"),
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    session = models.ForeignKey(
        "consultations.Session",
        verbose_name=_("drafted in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("recommendation"))
    thematic_area = models.CharField(_("thematic area"), max_length=32, choices=ThematicArea.choices, blank=True)
    actors = models.JSONField(_("actors addressed"), default=list, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    timeframe = models.CharField(_("timeframe"), max_length=16, choices=Timeframe.choices)
    contributions = models.ManyToManyField(
        Contribution, verbose_name=_("comes from"), blank=True, related_name="recommendations"
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["consultation", "number"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "number"], name="recommendation_number_unique"),
            models.CheckConstraint(condition=Q(level__in=Level.values), name="recommendation_level_valid"),
            models.CheckConstraint(condition=Q(timeframe__in=Timeframe.values), name="recommendation_timeframe_valid"),
            models.CheckConstraint(
                condition=Q(thematic_area="") | Q(thematic_area__in=ThematicArea.values),
                name="recommendation_area_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"R{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("deliberation:recommendation", kwargs={"slug": self.consultation.slug, "number": self.number})

    @property
    def code(self) -> str:
        return f"R{self.number}"

    def actor_labels(self) -> list[str]:
        from .enums import Actor

        labels = dict(Actor.choices)
        return [str(labels[a]) for a in self.actors if a in labels]


class RecommendationVersion(models.Model):
    """A recommendation as it stood after one edit; version 1 is the first draft."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("recommendation"))
    details = models.JSONField(default=dict, blank=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    amendment = models.ForeignKey("Feedback", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recommendation", "-number"]
        verbose_name = _("recommendation version")
        verbose_name_plural = _("recommendation versions")
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "number"], name="recommendation_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation.code} v{self.number}"


class Feedback(models.Model):
    """A participant's comment on a recommendation, or an amendment they propose to its text."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(
        "people.Participation", null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=FeedbackKind.choices)
    text = models.TextField(_("comment"))
    proposed_text = models.TextField(_("proposed text"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=FeedbackStatus.choices, default=FeedbackStatus.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recommendation", "created_at", "id"]
        verbose_name = _("comment or amendment")
        verbose_name_plural = _("comments and amendments")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=FeedbackKind.values), name="feedback_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=FeedbackStatus.values), name="feedback_status_valid"),
            models.CheckConstraint(
                condition=Q(kind=FeedbackKind.AMENDMENT) | (Q(proposed_text="") & Q(status=FeedbackStatus.OPEN)),
                name="feedback_comment_has_no_amendment",
            ),
            models.CheckConstraint(
                condition=Q(kind=FeedbackKind.COMMENT) | ~Q(proposed_text=""),
                name="feedback_amendment_has_text",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]
