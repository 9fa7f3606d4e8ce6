"""A consultation, its key questions, rooms and sessions.

Models say what is true and the database enforces what it can; rules that span rows (a room used twice
at once, a speaker in two places) are checked by :mod:`.services` before anything is written.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .enums import ConsultationStatus, Lens, SessionKind, SpeakerRole, ThematicArea


class Translatable(models.Model):
    """Content that can carry translations: ``translations = {"fr": {"title": "…"}, …}``.

    ``obj.tr("title")`` gives the field in the active language, falling back to the original text.
    """

    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        abstract = True

    def tr(self, field: str) -> str:
        language = (translation.get_language() or "en").split("-")[0]
        value = (self.translations or {}).get(language, {}).get(field)
        return value or getattr(self, field)


class Consultation(Translatable):
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    convened_by = models.CharField(_("convening organisation"), max_length=200)
    subregion = models.CharField(_("sub-region"), max_length=200, blank=True)
    countries = models.JSONField(_("countries of the sub-region"), default=list, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=3, blank=True)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    languages = models.JSONField(_("working languages"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ConsultationStatus.choices, default=ConsultationStatus.DRAFT
    )
    #: safeguarding: participants' contributions stay off the public pages until a convener or facilitator
    #: has read them
    hold_contributions = models.BooleanField(_("hold contributions until reviewed"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="consultation_dates_ordered"),
            models.CheckConstraint(condition=Q(status__in=ConsultationStatus.values), name="consultation_status_valid"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:programme", kwargs={"slug": self.slug})

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_public(self) -> bool:
        return self.status != ConsultationStatus.DRAFT

    @property
    def days(self) -> list[dt.date]:
        count = (self.end_date - self.start_date).days + 1
        return [self.start_date + dt.timedelta(days=i) for i in range(count)]

    def local_bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The first instant of the first day and the last of the last day, in the event's time zone."""
        start = dt.datetime.combine(self.start_date, dt.time.min, tzinfo=self.tz)
        end = dt.datetime.combine(self.end_date + dt.timedelta(days=1), dt.time.min, tzinfo=self.tz)
        return start, end


class KeyQuestion(Translatable):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="key_questions")
    position = models.PositiveSmallIntegerField(pgettext_lazy("key question", "number"))
    short_title = models.CharField(_("short title"), max_length=120)
    text = models.TextField(_("question"))
    lens = models.CharField(_("lens"), max_length=16, choices=Lens.choices)

    class Meta:
        ordering = ["consultation", "position"]
        verbose_name = _("key question")
        verbose_name_plural = _("key questions")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "position"], name="key_question_position_unique"),
            models.CheckConstraint(condition=Q(lens__in=Lens.values), name="key_question_lens_valid"),
        ]

    def __str__(self) -> str:
        return f"Q{self.position}. {self.short_title}"


class Room(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=120)
    capacity = models.PositiveIntegerField(_("capacity"))
    accessibility = models.TextField(_("accessibility notes"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["consultation", "position", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "name"], name="room_name_unique"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="room_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Session(Translatable):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("kind"), max_length=16, choices=SessionKind.choices)
    title = models.CharField(_("title"), max_length=300)
    focus = models.TextField(_("focus"), blank=True)
    description = models.TextField(_("description"), blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    deliberation_minutes = models.PositiveIntegerField(_("deliberation time (minutes)"), default=0)
    room = models.ForeignKey(
        Room, verbose_name=_("room"), null=True, blank=True, on_delete=models.PROTECT, related_name="sessions"
    )
    key_questions = models.ManyToManyField(
        KeyQuestion, verbose_name=_("key questions"), blank=True, related_name="sessions"
    )
    thematic_areas = models.JSONField(_("thematic areas"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "room__position", "title"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="session_ends_after_start"),
            models.CheckConstraint(condition=Q(kind__in=SessionKind.values), name="session_kind_valid"),
        ]
        indexes = [models.Index(fields=["consultation", "start"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:session", kwargs={"slug": self.consultation.slug, "pk": self.pk})

    @property
    def duration(self) -> dt.timedelta:
        return self.end - self.start

    @property
    def duration_minutes(self) -> int:
        return int(self.duration.total_seconds() // 60)

    def thematic_area_labels(self) -> list[str]:
        labels = dict(ThematicArea.choices)
        return [str(labels[code]) for code in self.thematic_areas if code in labels]


class SessionSpeaker(models.Model):
    """A person with a part to play in a session: chair, moderator, panellist or speaker."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="speakers")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="speaking")
    role = models.CharField(_("role"), max_length=16, choices=SpeakerRole.choices, default=SpeakerRole.SPEAKER)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["session", "position", "id"]
        verbose_name = _("session speaker")
        verbose_name_plural = _("session speakers")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="session_speaker_unique"),
            models.CheckConstraint(condition=Q(role__in=SpeakerRole.values), name="session_speaker_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"
