"""Indicator series, their observations in the SDG/SDMX shape, and runs of estimation on survey files."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .enums import Age, Direction, EstimationStatus, Nature, ReportingType, SeriesKind, Sex, Urbanisation, VintageKind


class Series(models.Model):
    """An SDG series, e.g. SL_TLF_CHLDEC (children in child labour, general production boundary)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=20, default="PT", help_text=_("SDMX UNIT_MEASURE, e.g. PT (percent)"))
    indicator = models.CharField(_("indicator"), max_length=20, default="8.7.1")
    kind = models.CharField(_("kind"), max_length=16, choices=SeriesKind.choices, default=SeriesKind.PERCENT)
    unit_label = models.CharField(_("unit, as read"), max_length=40, blank=True, help_text=_("e.g. %, per 1,000"))
    direction = models.CharField(
        _("desired direction"), max_length=10, choices=Direction.choices, default=Direction.DECREASE
    )
    target_value = models.FloatField(_("target value"), null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    source = models.TextField(_("source"), blank=True)
    definition = models.TextField(_("definition"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


def _upload_to(instance: Estimation, filename: str) -> str:
    # a folder per run keeps the file's own name and extension (.csv.gz stays .csv.gz)
    return f"indicators/estimations/{instance.uuid.hex}/{filename}"


class Estimation(models.Model):
    """One survey file and what was asked of it: columns, mapping, definition, options, and the result."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(_("file"), upload_to=_upload_to, max_length=500)
    file_name = models.CharField(_("file name"), max_length=300)
    file_size = models.BigIntegerField(_("size in bytes"), default=0)
    checksum = models.CharField(_("SHA-256"), max_length=64)
    file_format = models.CharField(_("format"), max_length=20)
    #: the columns found in the file: [{"name", "label", "values": {code: label}}]
    columns = models.JSONField(default=list, blank=True)
    #: role → column (or a sum of columns "A+B"); empty roles are left out
    mapping = models.JSONField(default=dict, blank=True)
    definition = models.CharField(_("definition"), max_length=20, blank=True)
    #: rule_43, lonely_psu, adjust_domain_lonely, ci_method, level, population, missing_hours, tables,
    #: ref_area, year
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=EstimationStatus.choices, default=EstimationStatus.UPLOADED)
    error = models.TextField(blank=True)
    #: the engine's result: variables, rows (full precision), counts, notes, definition
    result = models.JSONField(default=dict, blank=True)
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="indicator_estimations"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("estimation")
        verbose_name_plural = _("estimations")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=EstimationStatus.values), name="indicators_estimation_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.file_name

    def get_absolute_url(self) -> str:
        if self.status == EstimationStatus.DONE:
            return reverse("indicators:result", kwargs={"uuid": self.uuid})
        return reverse("indicators:configure", kwargs={"uuid": self.uuid})


class Vintage(models.Model):
    """One import of observations, dated: earlier vintages are kept, so a revision can be seen and undone.

    What the data say today is, for each key (series, area, year, sex, age, urbanisation, reporting type), the
    observation of the latest published vintage that holds it.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=VintageKind.choices)
    label = models.CharField(_("label"), max_length=200)
    file_name = models.CharField(_("file name"), max_length=300, blank=True)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    published = models.BooleanField(_("shown on the dashboards"), default=True)
    illustrative = models.BooleanField(_("illustrative data"), default=False)
    #: rows kept without a number ("<0.1", "NA"): [{"line", "key", "text"}]
    flagged = models.JSONField(default=list, blank=True)
    estimation = models.ForeignKey(
        Estimation, null=True, blank=True, on_delete=models.SET_NULL, related_name="vintages"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("vintage")
        verbose_name_plural = _("vintages")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=VintageKind.values), name="indicators_vintage_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.created_at:%Y-%m-%d %H:%M})" if self.created_at else self.label

    def get_absolute_url(self) -> str:
        return reverse("indicators:vintage", kwargs={"uuid": self.uuid})


class Observation(models.Model):
    """One value of a series for an area, a year and a domain (sex, age, urbanisation), in one vintage.

    ``value`` is empty for a row the source gave without a number ("<0.1", "NA"): ``value_text`` keeps the text.
    """

    vintage = models.ForeignKey(Vintage, null=True, on_delete=models.CASCADE, related_name="observations")
    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="observations")
    ref_area = models.CharField(
        _("area"), max_length=12, help_text=_("ISO 3166-1 alpha-3 for a country, the UN M49 number of a region")
    )
    time_period = models.CharField(_("year"), max_length=9)
    sex = models.CharField(_("sex"), max_length=2, choices=Sex.choices, default=Sex.TOTAL)
    age = models.CharField(_("age"), max_length=8, choices=Age.choices, default=Age.Y5T17)
    urbanisation = models.CharField(
        _("urbanisation"), max_length=2, choices=Urbanisation.choices, default=Urbanisation.TOTAL
    )
    reporting_type = models.CharField(
        _("reporting type"), max_length=1, choices=ReportingType.choices, default=ReportingType.GLOBAL
    )
    value = models.FloatField(_("value"), null=True, blank=True)
    value_text = models.CharField(_("value as given"), max_length=40, blank=True)
    unit_measure = models.CharField(_("unit"), max_length=20, blank=True)
    lower_bound = models.FloatField(_("lower bound"), null=True, blank=True)
    upper_bound = models.FloatField(_("upper bound"), null=True, blank=True)
    standard_error = models.FloatField(_("standard error"), null=True, blank=True)
    sample_size = models.PositiveIntegerField(_("children in the sample"), null=True, blank=True)
    number = models.FloatField(_("number of children"), null=True, blank=True)
    nature = models.CharField(_("nature"), max_length=2, choices=Nature.choices, default=Nature.COUNTRY)
    source = models.CharField(_("source"), max_length=300)
    #: file name, sha256, definition, options, software version, created_by, created_at
    provenance = models.JSONField(default=dict, blank=True)
    estimation = models.ForeignKey(
        Estimation, null=True, blank=True, on_delete=models.SET_NULL, related_name="observations"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["series__code", "ref_area", "-time_period", "sex", "age", "urbanisation"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(
                fields=["vintage", "series", "ref_area", "time_period", "sex", "age", "urbanisation", "reporting_type"],
                name="indicators_observation_unique_key_in_vintage",
            ),
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="indicators_observation_sex_valid"),
            models.CheckConstraint(condition=Q(age__in=Age.values), name="indicators_observation_age_valid"),
            models.CheckConstraint(
                condition=Q(urbanisation__in=Urbanisation.values), name="indicators_observation_urbanisation_valid"
            ),
            models.CheckConstraint(condition=Q(nature__in=Nature.values), name="indicators_observation_nature_valid"),
            models.CheckConstraint(
                condition=Q(reporting_type__in=ReportingType.values), name="indicators_observation_reporting_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | ~Q(value_text=""), name="indicators_observation_value_or_text"
            ),
            models.CheckConstraint(
                condition=Q(lower_bound__isnull=True) | Q(lower_bound__lte=F("value")),
                name="indicators_observation_lower_bound_below_value",
            ),
            models.CheckConstraint(
                condition=Q(upper_bound__isnull=True) | Q(upper_bound__gte=F("value")),
                name="indicators_observation_upper_bound_above_value",
            ),
        ]
        indexes = [models.Index(fields=["series", "ref_area", "time_period"])]

    def __str__(self) -> str:
        return f"{self.series.code} {self.ref_area} {self.time_period} {self.sex}/{self.age}/{self.urbanisation}"
