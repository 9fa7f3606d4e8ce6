"""The data of synthesis: suggested merges, the merges the rapporteur accepted, and supporting quotes.

The contributions and recommendations themselves are deliberation's; synthesis only points at them. A
:class:`SuggestionRun` is one request for suggestions (for one key question or all of them), made with the
text engine; each cluster of two or more texts it found becomes a :class:`Suggestion`, whose members are
contributions or recommendations (:class:`SuggestionMember`, with what each looked like when it was suggested,
so that a suggestion whose members changed since is recognised as stale). Accepting a suggestion makes a
:class:`Merge`: a new recommendation drafted through deliberation's services from every member's sources; the
recommendations among the members are marked merged into it (:class:`MergedRecommendation`) until the merge
is undone.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import MergeStatus, Method, SuggestionStatus


class SuggestionRun(models.Model):
    consultation = models.ForeignKey(
        "consultations.Consultation", on_delete=models.CASCADE, related_name="suggestion_runs"
    )
    key_question = models.ForeignKey(
        "consultations.KeyQuestion",
        verbose_name=_("key question"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="None: every key question",
    )
    method_asked = models.CharField(_("method asked for"), max_length=16)
    method = models.CharField(_("method used"), max_length=16)
    note = models.TextField(_("note of the engine"), blank=True)
    threshold = models.FloatField(_("distance threshold"), null=True, blank=True)
    items = models.PositiveIntegerField(_("texts compared"), default=0)
    feedback_pairs = models.PositiveIntegerField(_("pairs already decided"), default=0)
    seconds = models.FloatField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("request for suggestions")
        verbose_name_plural = _("requests for suggestions")

    def __str__(self) -> str:
        return f"{self.consultation_id}: {self.method} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def method_label(self) -> str:
        return str(dict(Method.choices).get(self.method, self.method))

    @property
    def fell_back(self) -> bool:
        """The model asked for (or the best one) was not installed: the words were compared instead."""
        return self.method == "tfidf" and self.method_asked != "tfidf"


class Suggestion(models.Model):
    consultation = models.ForeignKey("consultations.Consultation", on_delete=models.CASCADE, related_name="+")
    run = models.ForeignKey(SuggestionRun, on_delete=models.CASCADE, related_name="suggestions")
    key_question = models.ForeignKey(
        "consultations.KeyQuestion", verbose_name=_("key question"), on_delete=models.CASCADE, related_name="+"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="parts", help_text="split from"
    )
    method = models.CharField(_("method"), max_length=16)
    status = models.CharField(
        _("status"), max_length=16, choices=SuggestionStatus.choices, default=SuggestionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key_question__position", "id"]
        verbose_name = _("suggested merge")
        verbose_name_plural = _("suggested merges")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=SuggestionStatus.values), name="suggestion_status_valid"),
        ]

    def __str__(self) -> str:
        return f"S{self.pk}"

    @property
    def code(self) -> str:
        return f"S{self.pk}"


class SuggestionMember(models.Model):
    """A contribution or a recommendation in a suggestion, and what it looked like when suggested."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="members")
    contribution = models.ForeignKey(
        "deliberation.Contribution", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recommendation = models.ForeignKey(
        "deliberation.Recommendation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=1, help_text="c: contribution, r: recommendation")
    seen = models.CharField(max_length=64, help_text="the text's digest or the recommendation's version")
    text = models.TextField(_("text when suggested"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["suggestion", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["c", "r"]), name="suggestion_member_kind_valid"),
            models.CheckConstraint(
                condition=~(Q(contribution__isnull=False) & Q(recommendation__isnull=False)),
                name="suggestion_member_one_object",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def obj(self):
        return self.contribution if self.kind == "c" else self.recommendation

    @property
    def key(self) -> str:
        """How the engine's feedback names it: ``c12`` or ``r5``."""
        return f"{self.kind}{self.contribution_id if self.kind == 'c' else self.recommendation_id}"


class Merge(models.Model):
    consultation = models.ForeignKey("consultations.Consultation", on_delete=models.CASCADE, related_name="merges")
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="merges")
    recommendation = models.ForeignKey(
        "deliberation.Recommendation",
        verbose_name=_("merged recommendation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="synthesis_merges",
    )
    code = models.CharField(_("recommendation"), max_length=16, help_text="kept after an undo")
    status = models.CharField(_("status"), max_length=16, choices=MergeStatus.choices, default=MergeStatus.ACTIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=MergeStatus.values), name="merge_status_valid"),
            models.UniqueConstraint(
                fields=["suggestion"], condition=Q(status="active"), name="merge_one_active_per_suggestion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.get_status_display()})"


class MergedRecommendation(models.Model):
    """A recommendation that a merge folded into the merged one (while the merge is in force)."""

    merge = models.ForeignKey(Merge, on_delete=models.CASCADE, related_name="folded")
    recommendation = models.ForeignKey(
        "deliberation.Recommendation", on_delete=models.CASCADE, related_name="synthesis_folded"
    )
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation"], condition=Q(active=True), name="recommendation_merged_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id} → {self.merge_id}"


class SupportingQuote(models.Model):
    """Words of a source contribution shown with a recommendation; they occur verbatim in the source."""

    recommendation = models.ForeignKey(
        "deliberation.Recommendation", on_delete=models.CASCADE, related_name="synthesis_quotes"
    )
    contribution = models.ForeignKey("deliberation.Contribution", on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("quote"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recommendation", "created_at", "id"]
        verbose_name = _("supporting quote")
        verbose_name_plural = _("supporting quotes")

    def __str__(self) -> str:
        return self.text[:80]
