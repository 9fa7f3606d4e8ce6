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
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

import target87
from target87.core import audit, countries
from target87.core.errors import ServiceError
from target87.core.permissions import require
from target87.engines import sdmx
from target87.engines.childlabour import (
    ChildLabourError,
    MissingColumnsError,
    Options,
    estimate_child_labour_file,
)
from target87.engines.microdata import MicrodataError
from target87.engines.survey import LonelyPSUError, SurveyError
from target87.jobs.models import Job
from target87.jobs.registry import job_kind
from target87.jobs.services import job_start

from .columns import column_mapping, detect_columns, propose_mapping, recode, with_labels
from .enums import TABLES, EstimationStatus, Nature, ReportingType, VintageKind
from .imports import records_store
from .models import Estimation, Series, Vintage
from .sdmx import code_rows
from .uploads import background_bytes, check_upload, safe_name
from .validation import (
    DEFAULT_OPTIONS,
    clean_request,
    definition_load,
    lonely_message,
    missing_columns_message,
    page_message,
    page_notes,
    without_options,
)

logger = logging.getLogger(__name__)

#: the series of the presets, created by a data migration and again here if they are missing
SERIES_NAMES = {
    "SL_TLF_CHLDEC": "Proportion of children aged 5-17 years engaged in child labour (general production boundary)",
    "SL_TLF_CHLDEA": "Proportion of children aged 5-17 years engaged in child labour (SNA production boundary)",
}


def estimation_upload(*, actor, upload) -> Estimation:
    """Keep an uploaded survey file, its checksum and its columns, with a proposed mapping.

    An unreadable file is refused and not kept.
    """
    require(actor, "indicators.estimate")
    name = safe_name(upload.name)
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

    try:  # saving is inside: a result that cannot be stored fails the estimation too, never leaves it "running"
        result = compute(estimation, progress=report)
        _save_result(actor=job.created_by, estimation=estimation, result=result)
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
    progress(steps, steps, _("Done"))
    return {"rows": len(result["rows"])}, reverse("indicators:result", kwargs={"uuid": estimation.uuid})


def _options(opts: dict) -> Options:
    return Options(
        lonely_psu=opts["lonely_psu"],
        adjust_domain_lonely=bool(opts["adjust_domain_lonely"]),
        ci_method=opts["ci_method"],
        df=opts.get("df") or "domain",
        level=float(opts["level"]),
        population=opts.get("population"),
        missing_hours=opts["missing_hours"],
    )


def compute(estimation: Estimation, progress=None) -> dict:
    """Run the engine on the estimation's file as configured; the result as JSON-ready data.

    The file is read piece by piece, as the command ``target87 estimate`` reads it, so the memory used
    stays a fraction of the file's size; the data are the engine's :meth:`Result.to_dict`.
    """
    opts = estimation.options
    tables = [TABLES[t] for t in opts.get("tables", []) if t in TABLES]
    try:
        definition = definition_load(estimation.definition, opts, opts.get("rule_43", "ge"))
        with local_copy(estimation.file) as path:
            result = estimate_child_labour_file(
                path, column_mapping(estimation.mapping), definition, tables, _options(opts), progress=progress
            )
    except MissingColumnsError as error:
        raise ServiceError(missing_columns_message(error.missing, estimation.mapping)) from None
    except LonelyPSUError as error:  # strata with a single cluster under "fail"
        raise ServiceError(lonely_message(error.strata)) from None
    except ChildLabourError as error:  # invalid values among them
        raise ServiceError(page_message(error)) from None
    except (MicrodataError, SurveyError) as error:
        raise ServiceError(without_options(error.message)) from None
    except FileNotFoundError:
        raise ServiceError(_("The uploaded file is no longer there: upload it again.")) from None
    except MemoryError:
        raise ServiceError(_("Not enough memory for this file: keep only the columns the estimate needs.")) from None
    except Exception:  # the page shows a message, the log keeps the trace
        logger.exception("estimation %s failed", estimation.uuid)
        raise ServiceError(
            _("The estimation stopped on an unexpected problem with this file. Nothing was stored; check the file.")
        ) from None
    data = result.to_dict()
    if not result.definition.comparable and data["notes"]:
        # the engine's last note says the definition is not comparable: the page says so in the reader's language
        data["notes"] = data["notes"][:-1]
    data["notes"] = page_notes(data)
    # sex and area coded as numbers get the names the statistician gave their codes; the figures do not change
    recode(
        data,
        {
            v: with_labels(estimation.columns, estimation.mapping.get(v) or "", opts.get(f"{v}_codes") or {})
            for v in ("sex", "area")
        },
    )
    data.update(software=software_version(), computed_at=timezone.now().isoformat())
    return data


@contextmanager
def local_copy(field_file):
    """The path of a stored file on this machine: its own, or a temporary copy made in chunks.

    File system storage (the default) has the file here already; from another storage (object storage
    in a shared deployment) it is copied, keeping the file's suffixes, which say its format.
    """
    try:
        path = Path(field_file.path)
    except NotImplementedError:  # a storage without local paths
        path = None
    if path is not None and path.is_file():
        yield str(path)
        return
    suffix = "".join(Path(field_file.name).suffixes[-2:])
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        with field_file.open("rb") as source:
            for chunk in source.chunks():
                copy.write(chunk)
        copy.flush()
        yield copy.name


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
    #: how many vintages stored before hold the same series, country, year and source (kept, not replaced)
    replaced: int
    vintage: Vintage | None = None


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

    The observations form a new vintage, not yet shown on the dashboards (publish it on its page); storing
    again from the same source makes another vintage, and the earlier one is kept: the latest is the current.
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
    records, extra = [], {}
    for line, (row, dims) in enumerate(coded, start=1):
        if row["estimate"] is None:
            continue
        value, lower, upper = row["estimate"], row["ci_lower"], row["ci_upper"]
        records.append(
            sdmx.Record(
                series=series.code,
                ref_area=code,
                time_period=str(year),
                value=value,
                lower=lower if lower is not None and lower <= value else None,
                upper=upper if upper is not None and upper >= value else None,
                unit=series.unit,
                nature=nature,
                source=source,
                line=line,
                reporting_type=ReportingType.NATIONAL,
                **dims,
            )
        )
        extra[line] = {"standard_error": row["se"], "sample_size": row["n"], "number": row["number"],
                       "provenance": provenance}  # fmt: skip
    earlier = Vintage.objects.filter(
        kind=VintageKind.ESTIMATION, observations__series=series, observations__ref_area=code,
        observations__time_period=str(year), observations__source=source,
    ).distinct().count()  # fmt: skip
    vintage = records_store(
        actor=actor,
        records=records,
        kind=VintageKind.ESTIMATION,
        label=_("%(source)s, %(country)s %(year)s") % {"source": source, "country": code, "year": year},
        file_name=estimation.file_name,
        checksum=estimation.checksum,
        published=False,
        estimation=estimation,
        extra=extra,
    )
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
            "stored": len(records),
            "vintage": str(vintage.uuid),
        },
    )
    return StoreOutcome(series=series, stored=len(records), replaced=earlier, vintage=vintage)
