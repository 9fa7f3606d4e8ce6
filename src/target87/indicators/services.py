"""Estimating child labour (SDG 8.7.1) from an uploaded survey file, and storing the result as observations.

The flow: :func:`estimation_upload` keeps the file with its checksum and the columns found in its header
and proposes a mapping; :func:`estimation_run` checks the mapping and options, then runs the engine at
once for small files or as a background job with progress for large ones; :func:`observations_store`
writes the result as observations of the definition's SDG series in one transaction, replacing those
stored earlier from the same source. Every write checks permission and is recorded in the audit trail.
The engine's messages (missing columns, values that are not numbers, negative weights, strata with a
single cluster …) come back as a :class:`ServiceError`; nothing is stored then.
"""

from __future__ import annotations

import hashlib
import logging
import platform
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

import target87
from target87.core import audit, countries
from target87.core.errors import ServiceError
from target87.core.permissions import require
from target87.engines.childlabour import (
    PRESETS,
    ChildLabourError,
    MissingColumnsError,
    Options,
    estimate_child_labour,
    load_definition,
    required_columns,
)
from target87.engines.microdata import MicrodataError, file_format, read_microdata
from target87.engines.survey import CI_METHODS, LONELY_PSU_OPTIONS, LonelyPSUError, SurveyError
from target87.jobs.models import Job
from target87.jobs.registry import job_kind
from target87.jobs.services import job_start

from .columns import column_mapping, detect_columns, parts, propose_mapping
from .enums import ROLE_LABELS, ROLES, TABLES, EstimationStatus, Nature
from .models import Estimation, Observation, Series
from .sdmx import code_rows

logger = logging.getLogger(__name__)

#: files larger than this are refused (override with the setting INDICATORS_MAX_UPLOAD_BYTES)
MAX_UPLOAD_BYTES = 500 * 1024 * 1024
#: files larger than this run as a background job (setting INDICATORS_BACKGROUND_BYTES)
BACKGROUND_BYTES = 20 * 1024 * 1024
#: the series of the presets, created by a data migration and again here if they are missing
SERIES_NAMES = {
    "SL_TLF_CHLDEC": "Proportion of children aged 5-17 years engaged in child labour (general production boundary)",
    "SL_TLF_CHLDEA": "Proportion of children aged 5-17 years engaged in child labour (SNA production boundary)",
}
DEFAULT_OPTIONS = {
    "rule_43": "ge",
    "lonely_psu": "fail",
    "adjust_domain_lonely": False,
    "ci_method": "logit",
    "level": 0.95,
    "population": None,
    "missing_hours": "error",
    "tables": ["sex", "age_group"],
    "ref_area": "",
    "year": None,
    "definition_toml": "",
}
#: a custom definition is a small TOML file
MAX_DEFINITION_BYTES = 64 * 1024
CUSTOM = "custom"


def max_upload_bytes() -> int:
    return int(getattr(settings, "INDICATORS_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES))


def background_bytes() -> int:
    return int(getattr(settings, "INDICATORS_BACKGROUND_BYTES", BACKGROUND_BYTES))


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        megabytes = f"{size / (1024 * 1024):.1f}".removesuffix(".0")
        return _("%(size)s MB") % {"size": megabytes}
    return _("%(size)d kB") % {"size": max(1, round(size / 1024))}


def check_upload(*, name: str, size: int) -> str:
    """The file's format, or a :class:`ServiceError` saying why it cannot be taken."""
    if size > max_upload_bytes():
        raise ServiceError(
            {
                "file": _(
                    "The file is %(size)s; files up to %(limit)s can be uploaded here. Keep only the columns the "
                    "estimate needs (weight, strata, clusters, age, sex, area, hours), or save it as Parquet, "
                    "which is much smaller, or run the command target87 estimate child-labour on the file."
                )
                % {"size": size_text(size), "limit": size_text(max_upload_bytes())}
            }
        )
    if size == 0:
        raise ServiceError({"file": _("The file is empty.")})
    kind = file_format(Path(name))
    if kind is None:
        raise ServiceError(
            {
                "file": _(
                    "“%(name)s” is not a survey file this page reads: give a CSV (.csv, .csv.gz), Parquet (.parquet), "
                    "SPSS (.sav) or Stata (.dta) file."
                )
                % {"name": name}
            }
        )
    return kind


def _safe_name(name: str) -> str:
    base = Path(name).name.replace("\x00", "")
    return "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in base)[:200] or "survey"


def estimation_upload(*, actor, upload) -> Estimation:
    """Keep an uploaded survey file, its checksum and its columns, with a proposed mapping.

    An unreadable file is refused and not kept.
    """
    require(actor, "indicators.estimate")
    name = _safe_name(upload.name)
    kind = check_upload(name=name, size=upload.size)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    estimation = Estimation(
        file_name=name, file_size=upload.size, checksum=digest.hexdigest(), file_format=kind, created_by=actor
    )
    estimation.file.save(name, upload, save=False)
    try:
        columns = detect_columns(estimation.file.path)
    except MicrodataError as error:
        estimation.file.delete(save=False)
        raise ServiceError({"file": error.message}) from None
    except Exception:  # a reader failing on a damaged file: the person gets a message, the log the trace
        logger.exception("cannot read the columns of %s", name)
        estimation.file.delete(save=False)
        raise ServiceError(
            {"file": _("The file could not be read as %(format)s. Check that it is not damaged.") % {"format": kind}}
        ) from None
    if not columns:
        estimation.file.delete(save=False)
        raise ServiceError({"file": _("The file has no columns.")})
    preset, mapping = propose_mapping([c["name"] for c in columns])
    options = {**DEFAULT_OPTIONS, "columns_preset": preset}
    if preset == "mics6":
        options.update(missing_hours="zero", tables=["sex", "age_group", "area"])
    estimation.columns = columns
    estimation.mapping = mapping
    estimation.definition = "mics6" if preset == "mics6" else "sdg"
    estimation.options = options
    try:
        with transaction.atomic():
            estimation.save()
            audit.record(
                actor=actor,
                action="indicators.estimation.upload",
                obj=estimation,
                changes={"file": name, "sha256": estimation.checksum, "size": upload.size, "columns": len(columns)},
            )
    except Exception:
        estimation.file.delete(save=False)
        raise
    return estimation


# -- checking what is asked ---------------------------------------------------------------------------
def clean_request(
    *, estimation: Estimation, mapping: dict[str, str], definition: str, options: dict
) -> tuple[dict[str, str], str, dict]:
    """The mapping, definition and options, checked against the file's columns; a ServiceError otherwise."""
    errors: dict[str, list[str]] = {}
    names = {c["name"] for c in estimation.columns}
    clean_map = {role: (mapping.get(role) or "").strip() for role in ROLES}
    for role, expression in clean_map.items():
        unknown = [p for p in parts(expression) if p not in names]
        if unknown:
            errors.setdefault(role, []).append(_("The file has no column %(names)s.") % {"names": ", ".join(unknown)})
    if definition not in PRESETS and definition != CUSTOM:
        errors.setdefault("definition", []).append(_("Choose one of the definitions."))
        raise ServiceError(errors)
    opts = {**DEFAULT_OPTIONS, **{k: v for k, v in options.items() if k in DEFAULT_OPTIONS}}
    if definition == CUSTOM:
        # a new file, or the one given before for this estimation
        opts["definition_toml"] = opts.get("definition_toml") or estimation.options.get("definition_toml") or ""
        if not opts["definition_toml"]:
            raise ServiceError({"definition_file": _("Give the definition as a TOML file.")})
    else:
        opts["definition_toml"] = ""
    opts["columns_preset"] = estimation.options.get("columns_preset", "default")
    tables = [t for t in (opts.get("tables") or []) if t in TABLES]
    opts["tables"] = tables
    try:
        chosen = definition_load(definition, opts, "ge")
    except ChildLabourError as error:
        raise ServiceError({"definition_file": error.message}) from None
    needed = {"weight", "age"} | set(chosen.columns)
    for t in tables:
        needed |= {v for v in TABLES[t] if v in ("sex", "area")}
    for role in sorted(needed, key=ROLES.index):
        if not clean_map[role]:
            if role in ("sex", "area"):
                message = _("The tables asked for need the column of the %(role)s: choose it, or untick those tables.")
            else:
                message = _("The definition %(definition)s needs this column: choose it.")
            errors.setdefault(role, []).append(
                message % {"role": str(ROLE_LABELS[role]).lower(), "definition": definition}
            )
    if opts["rule_43"] not in ("ge", "gt"):
        errors.setdefault("rule_43", []).append(_("Choose at least or more than 43 hours."))
    if opts["lonely_psu"] not in LONELY_PSU_OPTIONS:
        errors.setdefault("lonely_psu", []).append(_("Choose one of the options."))
    if opts["ci_method"] not in CI_METHODS:
        errors.setdefault("ci_method", []).append(_("Choose one of the methods."))
    try:
        level = float(opts["level"])
    except (TypeError, ValueError):
        level = -1.0
    if not 0.5 <= level < 1:
        errors.setdefault("level", []).append(_("Give a confidence level between 0.5 and 0.999, e.g. 0.95."))
    opts["level"] = level
    if opts["population"] is not None:
        try:
            opts["population"] = float(opts["population"])
        except (TypeError, ValueError):
            opts["population"] = -1.0
        if not opts["population"] > 0:
            errors.setdefault("population", []).append(_("Give the number of children aged 5–17, or leave it empty."))
    if opts["missing_hours"] not in ("error", "zero"):
        errors.setdefault("missing_hours", []).append(_("Choose one of the options."))
    if opts["ref_area"]:
        code = countries.lookup(opts["ref_area"])
        if code is None:
            errors.setdefault("ref_area", []).append(_("Give an ISO 3166 country code such as THA."))
        opts["ref_area"] = code or ""
    if opts["year"] not in (None, ""):
        try:
            year = int(opts["year"])
        except (TypeError, ValueError):
            year = 0
        if not 1950 <= year <= 2100:
            errors.setdefault("year", []).append(_("Give the year of the survey, e.g. 2019."))
        opts["year"] = year
    else:
        opts["year"] = None
    opts["adjust_domain_lonely"] = bool(opts["adjust_domain_lonely"])
    if errors:
        raise ServiceError(errors)
    return clean_map, definition, opts


@dataclass
class RunOutcome:
    estimation: Estimation
    job: Job | None = None


def estimation_run(
    *,
    actor,
    estimation: Estimation,
    mapping: dict[str, str],
    definition: str,
    options: dict,
    background: bool | None = None,
) -> RunOutcome:
    """Estimate with these columns and options: at once for a small file, in the background for a large one.

    Bad input comes back as a :class:`ServiceError` (the engine's message, per field where it names one);
    the earlier result of this estimation, if any, is kept then.
    """
    require(actor, "indicators.use_estimation", estimation)
    if estimation.status == EstimationStatus.RUNNING:
        raise ServiceError(_("This file is being estimated in the background; wait for it to finish."))
    clean_map, definition, opts = clean_request(
        estimation=estimation, mapping=mapping, definition=definition, options=options
    )
    if background is None:
        background = estimation.file_size > background_bytes()
    if not background:
        # computed on the request as given; only a success is saved, so a refusal changes nothing
        estimation.mapping, estimation.definition, estimation.options = clean_map, definition, opts
        result = compute(estimation)
        _save_result(actor=actor, estimation=estimation, result=result, configuration=True)
        return RunOutcome(estimation=estimation)
    with transaction.atomic():
        estimation = Estimation.objects.select_for_update().get(pk=estimation.pk)
        if estimation.status == EstimationStatus.RUNNING:
            raise ServiceError(_("This file is being estimated in the background; wait for it to finish."))
        job = job_start(
            kind="indicators.estimate",
            title=_("Child labour from %(file)s") % {"file": estimation.file_name},
            params={"estimation": str(estimation.uuid)},
            actor=actor,
        )
        estimation.mapping, estimation.definition, estimation.options = clean_map, definition, opts
        estimation.status, estimation.job, estimation.error, estimation.result = EstimationStatus.RUNNING, job, "", {}
        estimation.save(update_fields=["mapping", "definition", "options", "status", "job", "error", "result"])
        audit.record(
            actor=actor,
            action="indicators.estimation.start",
            obj=estimation,
            changes={"definition": definition, "job": str(job.pk)},
        )
    return RunOutcome(estimation=estimation, job=job)


def _save_result(*, actor, estimation: Estimation, result: dict, configuration: bool = False) -> None:
    fields = {"result": result, "status": EstimationStatus.DONE, "error": "", "finished_at": timezone.now()}
    if configuration:
        fields.update(mapping=estimation.mapping, definition=estimation.definition, options=estimation.options)
    with transaction.atomic():
        Estimation.objects.filter(pk=estimation.pk).update(**fields)
        estimation.refresh_from_db()
        audit.record(
            actor=actor,
            action="indicators.estimation.run",
            obj=estimation,
            changes={
                "definition": estimation.definition,
                "options": estimation.options,
                "rows": len(result.get("rows", [])),
            },
        )


@job_kind("indicators.estimate")
def _estimate_job(job, progress):
    """A large file in the background: the same estimation, with the engine's stages on the job page."""
    estimation = Estimation.objects.get(uuid=job.params["estimation"])
    steps = 1000

    def report(fraction: float, stage: str) -> None:
        progress(min(steps - 1, int(steps * fraction)), steps, stage)

    try:
        result = compute(estimation, progress=report)
    except ServiceError as error:
        Estimation.objects.filter(pk=estimation.pk).update(
            status=EstimationStatus.FAILED, error="\n".join(error.messages), finished_at=timezone.now()
        )
        raise
    except Exception:
        Estimation.objects.filter(pk=estimation.pk).update(
            status=EstimationStatus.FAILED,
            error=_("The estimation stopped on an unexpected error. Nothing was stored."),
            finished_at=timezone.now(),
        )
        raise
    _save_result(actor=job.created_by, estimation=estimation, result=result)
    progress(steps, steps, _("Done"))
    return {"rows": len(result["rows"])}, reverse("indicators:result", kwargs={"uuid": estimation.uuid})


def _options(opts: dict) -> Options:
    return Options(
        lonely_psu=opts["lonely_psu"],
        adjust_domain_lonely=bool(opts["adjust_domain_lonely"]),
        ci_method=opts["ci_method"],
        level=float(opts["level"]),
        population=opts.get("population"),
        missing_hours=opts["missing_hours"],
    )


def compute(estimation: Estimation, progress=None) -> dict:
    """Run the engine on the estimation's file as configured; the result as JSON-ready data."""
    opts = estimation.options
    mapping = column_mapping(estimation.mapping)
    tables = [TABLES[t] for t in opts.get("tables", []) if t in TABLES]
    try:
        definition = definition_load(estimation.definition, opts, opts.get("rule_43", "ge"))
        need = required_columns(mapping, definition, tables)
        table = read_microdata(estimation.file.path, [c for cols in need.values() for c in cols])
        if progress:
            progress(0.25, _("File read"))
        result = estimate_child_labour(
            table,
            mapping,
            definition,
            tables,
            _options(opts),
            progress=(lambda f, s: progress(0.25 + 0.75 * f, s)) if progress else None,
            release=True,
        )
    except MissingColumnsError as error:
        raise ServiceError(error.message + " " + _("Choose the columns under “Columns of the file” below.")) from None
    except LonelyPSUError as error:  # strata with a single cluster under "fail"
        raise ServiceError(
            error.message + " " + _("On this page: choose how to treat them under “Strata with a single cluster”.")
        ) from None
    except (ChildLabourError, MicrodataError, SurveyError) as error:
        raise ServiceError(error.message) from None
    except FileNotFoundError:
        raise ServiceError(_("The uploaded file is no longer there: upload it again.")) from None
    except MemoryError:
        raise ServiceError(_("Not enough memory for this file: keep only the columns the estimate needs.")) from None
    except Exception:  # the page shows a message, the log keeps the trace
        logger.exception("estimation %s failed", estimation.uuid)
        raise ServiceError(
            _("The estimation stopped on an unexpected problem with this file. Nothing was stored; check the file.")
        ) from None
    d = result.definition
    return {
        "variables": result.variables,
        "rows": [
            {
                "categories": r.categories,
                "n": r.n,
                "estimate": r.estimate,
                "se": r.se,
                "ci_lower": r.ci_lower,
                "ci_upper": r.ci_upper,
                "number": r.number,
                "number_se": r.number_se,
                "df": r.df,
            }
            for r in result.rows
        ],
        "tables": [list(t) for t in tables],
        "n_rows": result.n_rows,
        "n_children": result.n_children,
        "n_outside_age": result.n_outside_age,
        # the engine's last note says the definition is not comparable: the page says so in the reader's language
        "notes": result.notes[:-1] if not d.comparable and result.notes else result.notes,
        "definition": {
            "id": d.id,
            "name": d.name,
            "series": d.series,
            "comparable": d.comparable,
            "source": d.source,
            "note": d.note,
            "criteria": [c.describe() for c in d.criteria],
        },
        "software": software_version(),
        "computed_at": timezone.now().isoformat(),
    }


def definition_load(name: str, options: dict, rule_43: str = "ge"):
    """A preset, or the custom TOML definition kept in the options, read by the engine."""
    if name != CUSTOM:
        return load_definition(name, rule_43)
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "custom.toml"
        path.write_text(options.get("definition_toml") or "", encoding="utf-8")
        return load_definition(path, rule_43)


def read_definition_file(upload) -> str:
    """The text of an uploaded TOML definition, or a ServiceError on the field."""
    if upload.size > MAX_DEFINITION_BYTES:
        raise ServiceError({"definition_file": _("A definition is a small TOML file (at most 64 kB).")})
    try:
        return b"".join(upload.chunks()).decode("utf-8")
    except UnicodeDecodeError:
        raise ServiceError({"definition_file": _("The definition file is not UTF-8 text.")}) from None


def software_version() -> dict[str, str]:
    import numpy
    import scipy

    return {
        "target87": target87.__version__,
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
    }


def estimation_delete(*, actor, estimation: Estimation) -> None:
    """Forget a survey file and its runs; observations stored from it keep their provenance."""
    require(actor, "indicators.use_estimation", estimation)
    if estimation.status == EstimationStatus.RUNNING:
        raise ServiceError(_("This file is being estimated in the background; wait for it to finish."))
    name = estimation.file.name
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="indicators.estimation.delete",
            obj=estimation,
            changes={"file": estimation.file_name, "sha256": estimation.checksum},
        )
        estimation.delete()
        transaction.on_commit(lambda: estimation.file.storage.delete(name))


# -- storing observations -------------------------------------------------------------------------------
@dataclass
class StoreOutcome:
    series: Series
    stored: int
    replaced: int


def series_for(code: str) -> Series:
    series, _created = Series.objects.get_or_create(
        code=code, defaults={"name": SERIES_NAMES.get(code, code), "unit": "PT"}
    )
    return series


@transaction.atomic
def observations_store(
    *, actor, estimation: Estimation, ref_area: str, year: int, source: str, nature: str = Nature.COUNTRY
) -> StoreOutcome:
    """Store the estimation's domains as observations of its definition's SDG series, with their provenance.

    Storing again from the same source (same series, country and year) replaces what was stored then.
    """
    require(actor, "indicators.use_estimation", estimation)
    estimation = Estimation.objects.select_for_update().get(pk=estimation.pk)
    if estimation.status != EstimationStatus.DONE or not estimation.result:
        raise ServiceError(_("Run the estimation first."))
    result = estimation.result
    definition = result["definition"]
    if not definition.get("series") or not definition.get("comparable"):
        raise ServiceError(
            _(
                "The definition %(name)s has no SDG series: its values are not comparable with SDG 8.7.1 and are not "
                "stored as indicator observations."
            )
            % {"name": definition["id"]}
        )
    errors = {}
    code = countries.lookup(ref_area or "")
    if code is None:
        errors["ref_area"] = _("Give an ISO 3166 country code such as THA.")
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not 1950 <= year <= 2100:
        errors["year"] = _("Give the year of the survey, e.g. 2019.")
    source = (source or "").strip()
    if not source:
        errors["source"] = _("Name the source, e.g. the survey and its round.")
    if nature not in Nature.values:
        errors["nature"] = _("Choose one of the options.")
    if errors:
        raise ServiceError(errors)
    coded = code_rows(result)
    series = series_for(definition["series"])
    now = timezone.now()
    provenance = {
        "file_name": estimation.file_name,
        "sha256": estimation.checksum,
        "definition": definition,
        "mapping": estimation.mapping,
        "options": {k: v for k, v in estimation.options.items() if k not in ("ref_area", "year")},
        "software": result.get("software") or software_version(),
        "computed_at": result.get("computed_at"),
        "estimation": str(estimation.uuid),
        "created_by": actor.get_username(),
        "created_at": now.isoformat(),
    }
    existing = Observation.objects.filter(series=series, ref_area=code, time_period=str(year), source=source)
    replaced = existing.count()
    existing.delete()
    observations = []
    for row, dims in coded:
        if row["estimate"] is None:
            continue
        value = row["estimate"]
        lower, upper = row["ci_lower"], row["ci_upper"]
        observations.append(
            Observation(
                series=series,
                ref_area=code,
                time_period=str(year),
                value=value,
                lower_bound=lower if lower is not None and lower <= value else None,
                upper_bound=upper if upper is not None and upper >= value else None,
                standard_error=row["se"],
                sample_size=row["n"],
                number=row["number"],
                nature=nature,
                source=source,
                provenance=provenance,
                estimation=estimation,
                created_by=actor,
                **dims,
            )
        )
    Observation.objects.bulk_create(observations)
    options = dict(estimation.options, ref_area=code, year=year, source=source, nature=nature)
    Estimation.objects.filter(pk=estimation.pk).update(options=options)
    audit.record(
        actor=actor,
        action="indicators.observations.store",
        obj=estimation,
        changes={
            "series": series.code,
            "ref_area": code,
            "year": year,
            "source": source,
            "stored": len(observations),
            "replaced": replaced,
        },
    )
    return StoreOutcome(series=series, stored=len(observations), replaced=replaced)
