"""Forms of the estimation pages: the file, the columns and options, storing as observations."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from target87.core import countries
from target87.engines.survey import CI_METHODS

from .columns import parts
from .enums import (
    CI_METHOD_LABELS,
    DEFINITION_LABELS,
    DF_LABELS,
    LONELY_PSU_LABELS,
    OPTIONAL_ROLES,
    ROLE_LABELS,
    ROLES,
    TABLE_LABELS,
    Nature,
    VintageKind,
)
from .uploads import check_upload, max_upload_bytes, size_text

NONE = ""


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Survey file"),
        help_text=_("One row per child: CSV, Parquet, SPSS (.sav) or Stata (.dta)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "One row per child: CSV, Parquet, SPSS (.sav) or Stata (.dta), up to %(limit)s. Only its header is "
            "read now; the file stays private to you."
        ) % {"limit": size_text(max_upload_bytes())}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        from django.core.exceptions import ValidationError

        from target87.core.errors import ServiceError

        try:
            check_upload(name=upload.name, size=upload.size)
        except ServiceError as error:
            raise ValidationError(error.message_dict["file"]) from None
        return upload


def _column_choice(column: dict) -> tuple[str, str]:
    name = column["name"]
    detail = column.get("label") or ""
    if column.get("values"):
        values = ", ".join(f"{k} {v}" for k, v in column["values"].items())
        detail = f"{detail} ({values})" if detail else values
    elif column.get("examples"):
        detail = detail or ", ".join(column["examples"])
    text = f"{name} — {detail}" if detail else name
    return name, text[:90] + ("…" if len(text) > 90 else "")


class EstimationForm(forms.Form):
    """The columns for each role (a select each) and the options of the estimate."""

    definition = forms.ChoiceField(
        label=_("Definition"),
        choices=[*DEFINITION_LABELS.items(), ("custom", _("Custom: a definition in a TOML file"))],
    )
    definition_file = forms.FileField(
        label=_("Custom definition (TOML file)"),
        required=False,
        help_text=_(
            "Only with a custom definition: age ranges and hours, as described in the documentation of the "
            "command target87 estimate child-labour."
        ),
    )
    rule_43 = forms.ChoiceField(
        label=_("Ages 15–17: hours of economic activity"),
        choices=[
            ("ge", _("at least 43 hours (as the SDG series)")),
            ("gt", _("more than 43 hours (as the metadata text)")),
        ],
        widget=forms.RadioSelect,
    )
    tables = forms.MultipleChoiceField(
        label=_("Tables besides the total"),
        choices=list(TABLE_LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    missing_hours = forms.ChoiceField(
        label=_("Children with no hours given"),
        choices=[("error", _("stop and name the rows")), ("zero", _("count as 0 hours (MICS files leave them empty)"))],
    )
    lonely_psu = forms.ChoiceField(label=_("Strata with a single cluster"), choices=list(LONELY_PSU_LABELS.items()))
    adjust_domain_lonely = forms.BooleanField(
        label=_("Also treat strata with a single cluster within a domain (R's survey.adjust.domain.lonely)"),
        required=False,
    )
    ci_method = forms.ChoiceField(
        label=_("Confidence interval"), choices=[(method, CI_METHOD_LABELS[method]) for method in CI_METHODS]
    )
    df = forms.ChoiceField(
        label=_("Degrees of freedom of a domain's interval"),
        choices=list(DF_LABELS.items()),
        widget=forms.RadioSelect,
        initial="domain",
        required=False,
        help_text=_("They matter for small domains: the whole design's give narrower intervals there."),
    )
    level = forms.FloatField(label=_("Confidence level"), min_value=0.5, max_value=0.999, initial=0.95)
    population = forms.FloatField(
        label=_("Children aged 5–17 in the population (optional)"),
        required=False,
        min_value=1,
        help_text=_("Scales the numbers when the weights are normalised, as in MICS."),
    )
    ref_area = forms.ChoiceField(label=_("Country"), required=False)
    year = forms.IntegerField(label=_("Year of the survey"), required=False, min_value=1950, max_value=2100)

    sex_female = forms.CharField(label=_("Code of girls in the sex column"), max_length=40, required=False)
    sex_male = forms.CharField(label=_("Code of boys in the sex column"), max_length=40, required=False)
    area_urban = forms.CharField(label=_("Code of urban areas in the area column"), max_length=40, required=False)
    area_rural = forms.CharField(label=_("Code of rural areas in the area column"), max_length=40, required=False)

    #: field → (variable, what its code stands for in the SDG code lists)
    code_fields = {
        "sex_female": ("sex", "F"),
        "sex_male": ("sex", "M"),
        "area_urban": ("area", "U"),
        "area_rural": ("area", "R"),
    }

    option_fields = (
        "definition",
        "definition_file",
        "rule_43",
        "tables",
        "missing_hours",
        "lonely_psu",
        "adjust_domain_lonely",
        "ci_method",
        "df",
        "level",
        "population",
        "ref_area",
        "year",
    )

    def __init__(self, *args, columns: list[dict], proposed: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        base = [_column_choice(c) for c in columns]
        for role in ROLES:
            choices = list(base)
            expression = proposed.get(role) or ""
            if len(parts(expression)) > 1:
                choices.insert(
                    0,
                    (
                        expression,
                        _("%(columns)s (any of them / their sum)") % {"columns": " + ".join(parts(expression))},
                    ),
                )
            if role in OPTIONAL_ROLES:
                empty = {
                    "strata": _("— none: the sample is not stratified —"),
                    "psu": _("— none: each child is its own cluster —"),
                    "fpc": _("— none —"),
                }.get(role, _("— not in the file —"))
                choices.insert(0, (NONE, empty))
            else:
                choices.insert(0, (NONE, _("— choose a column —")))
            self.fields[role] = forms.ChoiceField(label=ROLE_LABELS[role], choices=choices, required=False)
        self.fields["ref_area"].choices = [("", _("— not given —")), *countries.choices()]
        self.order_fields([*ROLES, *self.code_fields, *self.option_fields])

    @property
    def column_fields(self):
        return [self[role] for role in ROLES]

    @property
    def coding_fields(self):
        return [self[name] for name in self.code_fields]

    @property
    def options_fields(self):
        return [self[name] for name in self.option_fields]

    def mapping(self) -> dict[str, str]:
        return {role: self.cleaned_data.get(role) or "" for role in ROLES}

    def options(self) -> dict:
        data = {
            name: self.cleaned_data.get(name)
            for name in self.option_fields
            if name not in ("definition", "definition_file")
        }
        data["tables"] = list(data.get("tables") or [])
        data["df"] = data.get("df") or "domain"
        data.update(codes_from_fields(self.cleaned_data))
        return data


def codes_from_fields(values: dict) -> dict[str, dict[str, str]]:
    """``{"sex_codes": {"2": "F", "1": "M"}, "area_codes": {…}}`` from the code fields given."""
    codes: dict[str, dict[str, str]] = {"sex_codes": {}, "area_codes": {}}
    for name, (variable, meaning) in EstimationForm.code_fields.items():
        code = (values.get(name) or "").strip()
        if code:
            codes[f"{variable}_codes"][code] = meaning
    return codes


def initial_for(estimation) -> dict:
    options = estimation.options or {}
    initial = {role: estimation.mapping.get(role, "") for role in ROLES}
    initial.update({k: v for k, v in options.items() if k in EstimationForm.option_fields})
    for name, (variable, meaning) in EstimationForm.code_fields.items():
        given = options.get(f"{variable}_codes") or {}
        initial[name] = next((code for code, m in given.items() if m == meaning), "")
    initial["definition"] = estimation.definition or "sdg"
    return initial


class StoreForm(forms.Form):
    ref_area = forms.ChoiceField(label=_("Country"))
    year = forms.IntegerField(label=_("Year of the survey"), min_value=1950, max_value=2100)
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        help_text=_(
            "The survey and its round, e.g. “MICS6 2019”. Each storing is a new vintage; earlier ones are kept."
        ),
    )
    nature = forms.ChoiceField(label=_("Nature of the data"), choices=Nature.choices, initial=Nature.COUNTRY)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ref_area"].choices = [("", _("— choose the country —")), *countries.choices()]


class ImportForm(forms.Form):
    """An SDMX-CSV or Open SDG CSV file to import as a new vintage."""

    file = forms.FileField(label=_("File"), help_text=_("CSV in UTF-8, up to 20 MB."))
    kind = forms.ChoiceField(
        label=_("Format"),
        choices=[
            (VintageKind.SDMX, _("SDMX-CSV (as the UN SDG database exports it, 1.0 or 2.0)")),
            (VintageKind.OPENSDG, _("Open SDG CSV (Year first, Value last, a blank category is the total)")),
        ],
        widget=forms.RadioSelect,
        initial=VintageKind.SDMX,
    )
    label = forms.CharField(
        label=_("Label of this vintage"), max_length=200, required=False,
        help_text=_("e.g. “SDG database, July 2025 release”; the file's name when left empty."),
    )  # fmt: skip
    series = forms.CharField(
        label=_("Series (Open SDG files without a Series column)"), max_length=40, required=False,
        help_text=_("e.g. SL_TLF_CHLDEC"),
    )  # fmt: skip
    ref_area = forms.CharField(
        label=_("Country (Open SDG files without a GeoCode column)"), max_length=12, required=False,
        help_text=_("ISO 3166 alpha-3 code, e.g. THA"),
    )  # fmt: skip
    published = forms.BooleanField(label=_("Show on the dashboards"), required=False, initial=True)


class CompareForm(forms.Form):
    before = forms.ModelChoiceField(queryset=None, label=_("Earlier vintage"))
    after = forms.ModelChoiceField(queryset=None, label=_("Later vintage"))

    def __init__(self, *args, vintages, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("before", "after"):
            self.fields[name].queryset = vintages
            self.fields[name].to_field_name = "uuid"
