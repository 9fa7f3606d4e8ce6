"""Channels that carry a consultation's recommendations, the routing of each recommendation, and the dated
editions of the outcome report.

An :class:`Edition` is one build of the report for one channel (or the whole report) in one language, with its
files (HTML, PDF, DOCX, JSON, CSV) under the media storage. Editions are never rewritten: a new build is a new
edition, made whole before it is recorded, so that a build that stops half-way leaves the earlier ones intact.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from target87.consultations.models import Translatable

from .enums import ChannelKind, EditionKind


class Channel(models.Model):
    """A place the recommendations go to: a global launch, a conference, a country's own initiatives."""

    consultation = models.ForeignKey(
        "consultations.Consultation", on_delete=models.CASCADE, related_name="report_channels"
    )
    slug = models.SlugField(_("short name"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=ChannelKind.choices)
    country = models.CharField(
        _("country"), max_length=3, blank=True, help_text=_("ISO 3166-1 alpha-3 code, for a country channel")
    )
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    recommendations = models.ManyToManyField(
        "deliberation.Recommendation", through="Route", blank=True, related_name="channels"
    )

    class Meta:
        ordering = ["consultation", "position", "name"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "slug"], name="report_channel_slug_unique"),
            models.CheckConstraint(condition=Q(kind__in=ChannelKind.values), name="report_channel_kind_valid"),
            models.CheckConstraint(
                condition=~Q(kind=ChannelKind.COUNTRY) | ~Q(country=""), name="report_channel_country_given"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Route(models.Model):
    """That a recommendation is carried to a channel."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="routes")
    recommendation = models.ForeignKey(
        "deliberation.Recommendation", on_delete=models.CASCADE, related_name="report_routes"
    )
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    routed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["channel", "recommendation__number"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "recommendation"], name="report_route_once"),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id} → {self.channel}"


class Edition(models.Model):
    """One dated build of the report: its files, and the contents it was made from (to compare editions)."""

    consultation = models.ForeignKey("consultations.Consultation", on_delete=models.CASCADE, related_name="editions")
    number = models.PositiveIntegerField(_("edition"))
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), null=True, blank=True, on_delete=models.SET_NULL, related_name="editions"
    )
    channel_name = models.CharField(_("channel"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=EditionKind.choices, default=EditionKind.OUTCOME)
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("ISO 4217: the money of a follow-up edition")
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    folder = models.CharField(max_length=300, help_text="Where the files are, relative to the media storage")
    files = models.JSONField(default=dict, help_text="Format → file name in the folder")
    contents = models.JSONField(default=dict)
    recommendations = models.PositiveIntegerField(_("recommendations"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["consultation", "-number"]
        verbose_name = _("report edition")
        verbose_name_plural = _("report editions")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "number"], name="report_edition_number_unique"),
            models.CheckConstraint(condition=Q(kind__in=EditionKind.values), name="report_edition_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.consultation} — {self.number}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_followup(self) -> bool:
        return self.kind == EditionKind.FOLLOWUP


class KeyMessage(Translatable):
    """One of the rapporteur's key messages under a key question, in the order they are read. The text is kept
    as the rapporteur typed it; its translations, when given, are in ``translations``."""

    consultation = models.ForeignKey(
        "consultations.Consultation", on_delete=models.CASCADE, related_name="report_key_messages"
    )
    key_question = models.ForeignKey(
        "consultations.KeyQuestion", on_delete=models.CASCADE, related_name="report_key_messages"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("key message"), max_length=600)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key_question__position", "position", "id"]
        verbose_name = _("key message")
        verbose_name_plural = _("key messages")

    def __str__(self) -> str:
        return self.text[:80]
