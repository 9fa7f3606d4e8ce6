"""Organisations, people, and their participation in a consultation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import Gender, RegistrationStatus, Role, StakeholderGroup


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    stakeholder_group = models.CharField(_("stakeholder group"), max_length=32, choices=StakeholderGroup.choices)
    country = models.CharField(_("country"), max_length=3, blank=True, help_text=_("Empty for international bodies"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(Lower("name"), "country", name="organisation_name_country_unique"),
            models.CheckConstraint(
                condition=Q(stakeholder_group__in=StakeholderGroup.values), name="organisation_group_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    job_title = models.CharField(_("position"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=3, blank=True)
    gender = models.CharField(_("gender"), max_length=16, choices=Gender.choices, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    biography = models.TextField(_("biography"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(Lower("email"), condition=~Q(email=""), name="person_email_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def stakeholder_group(self) -> str:
        return self.organisation.stakeholder_group if self.organisation_id else ""


class Participation(models.Model):
    """A person's part in one consultation: their role, registration and needs."""

    consultation = models.ForeignKey(
        "consultations.Consultation", on_delete=models.CASCADE, related_name="participations"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="participations")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.PARTICIPANT)
    status = models.CharField(
        _("registration"), max_length=16, choices=RegistrationStatus.choices, default=RegistrationStatus.REQUESTED
    )
    topic_preferences = models.JSONField(
        _("topic preferences"),
        default=list,
        blank=True,
        help_text=_("Ranked: key question numbers as 'q1'…, thematic areas by code"),
    )
    access_needs = models.TextField(_("access needs"), blank=True)
    dietary_needs = models.CharField(_("dietary needs"), max_length=200, blank=True)
    motivation = models.TextField(_("why you wish to take part"), blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["consultation", "person__name"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "person"], name="participation_unique"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="participation_role_valid"),
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values), name="participation_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.consultation}"

    @property
    def is_approved(self) -> bool:
        return self.status == RegistrationStatus.APPROVED


class AccessLink(models.Model):
    """A personal, signed, revocable and expiring link that stands in for a password.

    The token in the URL is the link's id and nonce, signed with the site's secret key: a forged or
    altered token is refused before the database is asked, and the database alone (without the key)
    cannot make a working link. Revoking or expiring the row ends the link.
    """

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="access_links")
    nonce = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("access link")
        verbose_name_plural = _("access links")

    def __str__(self) -> str:
        return f"{self.participation.person} ({self.created_at:%Y-%m-%d})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class ParticipantImport(models.Model):
    """An uploaded participant list, checked and shown as a preview; nothing is created until confirmed."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Being checked")
        PREVIEW = "preview", _("Preview")
        CONFIRMED = "confirmed", _("Imported")
        DISCARDED = "discarded", _("Discarded")

    consultation = models.ForeignKey(
        "consultations.Consultation", on_delete=models.CASCADE, related_name="participant_imports"
    )
    filename = models.CharField(max_length=255)
    rows = models.JSONField(default=list)
    problems = models.JSONField(default=list)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PREVIEW)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def has_problems(self) -> bool:
        return bool(self.problems)


class JoinCode(models.Model):
    """The short code a consultation's plenary screen shows, with which a participant who has not opened their
    personal link asks for it by e-mail (see :mod:`target87.people.walkin`). Made the first time it is shown; a
    convener may replace it, and the old code then stops working."""

    consultation = models.OneToOneField(
        "consultations.Consultation", on_delete=models.CASCADE, related_name="join_code"
    )
    code = models.CharField(_("join code"), max_length=12, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("join code")
        verbose_name_plural = _("join codes")

    def __str__(self) -> str:
        return self.code
