"""Codes of the indicator store (SDMX code lists of the SDG global database) and of estimation runs."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

TOTAL = "_T"


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    TOTAL = "_T", _("Both sexes")


class Age(models.TextChoices):
    Y5T11 = "Y5T11", _("5–11 years")
    Y12T14 = "Y12T14", _("12–14 years")
    Y15T17 = "Y15T17", _("15–17 years")
    Y5T17 = "Y5T17", _("5–17 years")
    Y_LT18 = "Y_LT18", _("Under 18 years")
    Y_GE18 = "Y_GE18", _("18 years and over")
    TOTAL = "_T", _("All ages")


class Urbanisation(models.TextChoices):
    URBAN = "U", _("Urban")
    RURAL = "R", _("Rural")
    TOTAL = "_T", _("All areas")


class Nature(models.TextChoices):
    """SDMX NATURE of the SDG global database."""

    COUNTRY = "C", _("Country data")
    COUNTRY_ADJUSTED = "CA", _("Country adjusted data")
    ESTIMATED = "E", _("Estimated data")
    MODELLED = "M", _("Modelled data")
    GLOBAL = "G", _("Global monitoring data")
    NON_RELEVANT = "N", _("Non-relevant")
    NOT_AVAILABLE = "NA", _("Not available")


class ReportingType(models.TextChoices):
    """SDMX REPORTING_TYPE: the figure as the custodian agency reports it globally, or as the country does."""

    GLOBAL = "G", _("Global")
    NATIONAL = "N", _("National")


class Direction(models.TextChoices):
    INCREASE = "increase", _("An increase is desired")
    DECREASE = "decrease", _("A decrease is desired")


class SeriesKind(models.TextChoices):
    PERCENT = "percent", _("Percentage")
    NUMBER = "number", _("Number")
    RATE = "rate", _("Rate")
    RATIFICATION = "ratification", _("Ratification (year)")
    POPULATION = "population", _("Population (used as weights)")


class VintageKind(models.TextChoices):
    SDMX = "sdmx-csv", _("SDMX-CSV")
    OPENSDG = "opensdg-csv", _("Open SDG CSV")
    ESTIMATION = "estimation", _("Child-labour estimation")
    DEMO = "demo", _("Demonstration data")


class EstimationStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded: columns to confirm")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


#: age groups of the engine → SDMX AGE
AGE_CODES = {"5-11": "Y5T11", "12-14": "Y12T14", "15-17": "Y15T17", TOTAL: "Y5T17"}

#: the roles a column can play, in the order of the form, with what the statistician reads
ROLE_LABELS = {
    "weight": _("Sample weight"),
    "strata": _("Stratum"),
    "psu": _("Cluster (primary sampling unit)"),
    "fpc": _("Finite population correction"),
    "age": _("Age of the child (completed years)"),
    "sex": _("Sex"),
    "area": _("Area (urban or rural)"),
    "econ_hours": _("Hours of economic activity in the reference week"),
    "chore_hours": _("Hours of unpaid household services (chores)"),
    "hazardous": _("Hazardous working conditions (yes/no)"),
}
ROLES = tuple(ROLE_LABELS)
#: roles that may be left out: the design then has no strata, each row is its own cluster, no FPC …
OPTIONAL_ROLES = ("strata", "psu", "fpc", "sex", "area", "econ_hours", "chore_hours", "hazardous")

#: the tables a statistician can ask for (checkbox value → engine variables)
TABLES = {
    "sex": ("sex",),
    "age_group": ("age_group",),
    "area": ("area",),
    "sex,age_group": ("sex", "age_group"),
}
TABLE_LABELS = {
    "sex": _("By sex"),
    "age_group": _("By age group"),
    "area": _("By area (urban/rural)"),
    "sex,age_group": _("By sex and age group"),
}
VARIABLE_LABELS = {"sex": _("Sex"), "age_group": _("Age group"), "area": _("Area")}

DEFINITION_LABELS = {
    "sdg": _("SDG 8.7.1, general production boundary (economic activity and household chores)"),
    "sdg-sna": _("SDG 8.7.1, SNA production boundary (economic activity only)"),
    "mics6": _("MICS6: SDG 8.7.1 plus hazardous working conditions"),
    "mics4": _("MICS4: 28 hours of household chores (not comparable with SDG 8.7.1)"),
}
LONELY_PSU_LABELS = {
    "fail": _("Stop with a message naming the strata (R's default)"),
    "remove": _("Remove: the stratum adds nothing to the variance"),
    "certainty": _("Certainty: the single cluster was sampled with certainty"),
    "adjust": _("Adjust: centre the stratum at the grand mean (conservative)"),
    "average": _("Average: the mean variance of the other strata"),
}
DF_LABELS = {
    "domain": _("The domain's clusters minus its strata (R's default)"),
    "design": _("The whole design's clusters minus strata (Stata, SPSS Complex Samples, MICS tabulations)"),
}
CI_METHOD_LABELS = {
    "logit": _("Logit (R's svyciprop default)"),
    "xlogit": _("Logit with design degrees of freedom (xlogit)"),
    "mean": _("Wald: estimate ± t × SE (mean)"),
    "beta": _("Beta (Korn and Graubard)"),
    "asin": _("Arcsine square root (asin)"),
    "likelihood": _("Profile likelihood, Rao-Scott scaled (likelihood)"),
}
