"""Actions and commitments taken on a consultation's recommendations, their money, their history, good practices
and the people who keep them up to date.

An action's history (:class:`Update` and its :class:`Evidence`) is append-only: a row is written once and never
changed or deleted, whatever asks (a form, the API, a command or the shell): the model and its queryset refuse,
and an action with a history cannot be deleted either (it is *dropped* instead).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from target87.consultations.enums import ThematicArea

from .enums import ActionStatus, FocalKind, MoneyKind, PartnerRole, SourceType


class HistoryIsPermanent(Exception):
    """Raised when anything tries to change or delete a row of an action's history."""


class Action(models.Model):
    """An action or a commitment (a pledge) that answers one or more recommendations."""

    consultation = models.ForeignKey("consultations.Consultation", on_delete=models.CASCADE, related_name="actions")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    country = models.CharField(_("country"), max_length=3, blank=True, help_text=_("ISO 3166-1 alpha-3"))
    region = models.CharField(_("region"), max_length=120, blank=True, help_text=_("For actions beyond one country"))
    recommendations = models.ManyToManyField(
        "deliberation.Recommendation", verbose_name=_("recommendations it answers"), related_name="actions"
    )
    thematic_areas = models.JSONField(_("thematic areas"), default=list, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    due_date = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    indicators = models.ManyToManyField(
        "indicators.Series", verbose_name=_("indicators it aims to move"), blank=True, related_name="actions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)

    class Meta:
        ordering = ["consultation", "country", "title", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ActionStatus.values), name="action_status_valid"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="action_progress_at_most_100"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(due_date__isnull=True) | Q(due_date__gte=F("start_date")),
                name="action_due_after_start",
            ),
            models.CheckConstraint(condition=~Q(country="") | ~Q(region=""), name="action_has_a_place"),
        ]
        indexes = [models.Index(fields=["consultation", "status"]), models.Index(fields=["consultation", "country"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("commitments:action", kwargs={"slug": self.consultation.slug, "pk": self.pk})

    def thematic_area_labels(self) -> list[str]:
        labels = dict(ThematicArea.choices)
        return [str(labels[a]) for a in self.thematic_areas if a in labels]

    @property
    def is_overdue(self) -> bool:
        """Past its due date and neither completed nor dropped."""
        from django.utils import timezone

        from .enums import CLOSED_STATUSES

        return bool(self.due_date and self.due_date < timezone.localdate() and self.status not in CLOSED_STATUSES)

    def lead_ids(self) -> set[int]:
        return {p.organisation_id for p in self.partners.all() if p.role == PartnerRole.LEAD}


class Partner(models.Model):
    """An organisation's part in an action: lead, partner or funder."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey("people.Organisation", on_delete=models.PROTECT, related_name="action_parts")
    role = models.CharField(_("role"), max_length=16, choices=PartnerRole.choices)

    class Meta:
        ordering = ["action", "role", "organisation__name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(fields=["action", "organisation"], name="action_partner_once"),
            models.CheckConstraint(condition=Q(role__in=PartnerRole.values), name="action_partner_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class MoneyLine(models.Model):
    """An amount committed to or spent on an action in one year, from one type of source, in one currency."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="money")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("committed or spent"), max_length=16, choices=MoneyKind.choices)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, help_text=_("ISO 4217, e.g. USD, THB"))
    source_type = models.CharField(_("source"), max_length=16, choices=SourceType.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "year", "kind", "id"]
        verbose_name = _("money line")
        verbose_name_plural = _("money lines")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="money_amount_not_negative"),
            models.CheckConstraint(condition=Q(kind__in=MoneyKind.values), name="money_kind_valid"),
            models.CheckConstraint(condition=Q(source_type__in=SourceType.values), name="money_source_valid"),
            models.CheckConstraint(condition=Q(year__gte=1990) & Q(year__lte=2100), name="money_year_plausible"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()} {self.amount} {self.currency}"


class ExchangeRate(models.Model):
    """How many units of a currency one US dollar bought from a date on (entered as data; never fetched)."""

    currency = models.CharField(_("currency"), max_length=3)
    valid_from = models.DateField(_("from"))
    per_usd = models.DecimalField(_("units per US dollar"), max_digits=18, decimal_places=6)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["currency", "-valid_from"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(fields=["currency", "valid_from"], name="exchange_rate_once_a_day"),
            models.CheckConstraint(condition=Q(per_usd__gt=0), name="exchange_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"1 USD = {self.per_usd} {self.currency} ({self.valid_from})"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise HistoryIsPermanent("An action's history cannot be changed.")

    def delete(self):
        raise HistoryIsPermanent("An action's history cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise HistoryIsPermanent("An action's history cannot be changed.")


class AppendOnly(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise HistoryIsPermanent("An action's history cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise HistoryIsPermanent("An action's history cannot be deleted.")


class Update(AppendOnly):
    """One dated change of an action: who made it, what changed (``{field: [before, after]}``) and why."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    by_label = models.CharField(_("who"), max_length=200, blank=True)
    changes = models.JSONField(_("what changed"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ActionStatus.choices)
    progress = models.PositiveSmallIntegerField(_("progress (%)"))

    class Meta:
        ordering = ["action", "-at", "-id"]
        verbose_name = _("update")
        verbose_name_plural = _("updates")

    def __str__(self) -> str:
        return f"{self.action} — {self.at:%Y-%m-%d}"


def _evidence_to(instance: Evidence, filename: str) -> str:
    return f"commitments/evidence/{uuid.uuid4().hex}/{filename}"


class Evidence(AppendOnly):
    """A link or a file that shows what an update says."""

    update = models.ForeignKey(Update, on_delete=models.PROTECT, related_name="evidence")
    label = models.CharField(_("what it is"), max_length=200, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=_evidence_to, max_length=500, blank=True)

    class Meta:
        ordering = ["update", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [models.CheckConstraint(condition=~Q(url="") | ~Q(file=""), name="evidence_link_or_file")]

    def __str__(self) -> str:
        return self.label or self.url or self.file.name

    @property
    def href(self) -> str:
        """Where the evidence is read: its link, or the page that hands out its file."""
        if self.url:
            return self.url
        action = self.update.action
        return reverse(
            "commitments:evidence", kwargs={"slug": action.consultation.slug, "pk": action.pk, "evidence": self.pk}
        )


class GoodPractice(models.Model):
    """A practice that worked, as the consultation heard of it, with the contributions that cited it."""

    consultation = models.ForeignKey(
        "consultations.Consultation", on_delete=models.CASCADE, related_name="good_practices"
    )
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"))
    country = models.CharField(_("country"), max_length=3, blank=True)
    organisations = models.ManyToManyField(
        "people.Organisation", verbose_name=_("actors"), blank=True, related_name="good_practices"
    )
    evidence = models.TextField(_("evidence"), blank=True, help_text=_("Evaluations, reports, links"))
    thematic_area = models.CharField(_("thematic area"), max_length=32, choices=ThematicArea.choices, blank=True)
    contributions = models.ManyToManyField(
        "deliberation.Contribution", verbose_name=_("cited in"), blank=True, related_name="good_practices"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["consultation", "title"]
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        constraints = [
            models.CheckConstraint(
                condition=Q(thematic_area="") | Q(thematic_area__in=ThematicArea.values),
                name="good_practice_area_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class FocalPoint(models.Model):
    """A signed-in person who keeps a country's actions (country focal point), or an organisation's (its
    representative), up to date in one consultation."""

    consultation = models.ForeignKey("consultations.Consultation", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="focal_points")
    kind = models.CharField(_("kind"), max_length=16, choices=FocalKind.choices)
    country = models.CharField(_("country"), max_length=3, blank=True)
    organisation = models.ForeignKey(
        "people.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="representatives"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["consultation", "kind", "country"]
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=FocalKind.COUNTRY) & ~Q(country="") & Q(organisation__isnull=True))
                | (Q(kind=FocalKind.ORGANISATION) & Q(country="") & Q(organisation__isnull=False)),
                name="focal_point_country_or_organisation",
            ),
            models.UniqueConstraint(
                fields=["consultation", "user", "kind", "country", "organisation"], name="focal_point_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.country or self.organisation}"
