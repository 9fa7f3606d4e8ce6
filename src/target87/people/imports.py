"""Importing a participant list from CSV or XLSX: check every row, preview, then create all or nothing."""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from target87.core import audit, countries
from target87.core.errors import ServiceError
from target87.core.permissions import require
from target87.engines import tabular
from target87.jobs.models import Job
from target87.jobs.registry import job_kind
from target87.jobs.services import job_start

from . import participants
from .enums import Gender, RegistrationStatus, Role, StakeholderGroup
from .models import Organisation, ParticipantImport, Participation, Person

REQUIRED = ("name", "email", "organisation", "stakeholder_group", "country")
OPTIONAL = ("role", "gender", "languages", "job_title")
MAX_ROWS = 5000
#: lists longer than this are checked in the background, with a progress bar
BACKGROUND_ROWS = 300


def read_table(*, filename: str, content: bytes) -> list[dict[str, str]]:
    """The rows of a CSV or XLSX file as dictionaries with lower-case column names."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        try:
            table = tabular.read_rows(tabular.decode(content, filename), filename)
        except tabular.TableError as error:  # the engine's message, in the request's language
            raise ServiceError(error.message) from None
    elif suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a damaged file
            raise ServiceError(_("The file could not be read as an Excel workbook (.xlsx).")) from None
        sheet = book.worksheets[0]
        table = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    else:
        raise ServiceError(_("Upload a .csv or .xlsx file; “%(name)s” is neither.") % {"name": filename})
    table = [row for row in table if any(cell.strip() for cell in row)]
    if not table:
        raise ServiceError(_("The file is empty."))
    nul = [number for number, row in enumerate(table, start=1) if any("\x00" in cell for cell in row)]
    if nul:  # a text table has none; a database cannot store one
        raise ServiceError(
            _("Rows %(rows)s hold NUL characters (\\0), which no name or address has: save the file again as CSV.")
            % {"rows": ", ".join(map(str, nul[:10]))}
        )
    header = [h.strip().lower().replace(" ", "_") for h in table[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ServiceError(
            _(
                "The file lacks the columns %(missing)s. Expected columns: %(expected)s (and optionally %(optional)s); found: %(found)s."
            )
            % {
                "missing": ", ".join(missing),
                "expected": ", ".join(REQUIRED),
                "optional": ", ".join(OPTIONAL),
                "found": ", ".join(h for h in header if h) or "—",
            }
        )
    if len(table) - 1 > MAX_ROWS:
        raise ServiceError(_("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS})
    return [
        {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header) if name} for row in table[1:]
    ]


#: the longest value each column may hold: what the person's and the organisation's fields keep
LENGTHS = {"name": 200, "email": 254, "organisation": 200, "job_title": 200}


def _too_long(row: dict[str, str]) -> list[str]:
    return [
        _("“%(column)s” is longer than %(max)d characters.") % {"column": column, "max": limit}
        for column, limit in LENGTHS.items()
        if len(row.get(column) or "") > limit
    ]


def _group_code(value: str) -> str:
    """A stakeholder group as written in a file: its code ("workers") or its name in any of the site's languages
    ("Workers' organisation", "Organisation de travailleurs"); else the value as it is, to be refused."""
    names = _group_names()
    return names.get(value.strip().casefold(), value.strip().lower().replace(" ", "_"))


@functools.cache
def _group_names() -> dict[str, str]:
    names = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            names.update({str(label).casefold(): code for code, label in StakeholderGroup.choices})
    return names


def check_rows(*, consultation, rows: list[dict[str, str]], progress=None) -> tuple[list[dict], list[dict]]:
    """Normalised rows and the problems found, each problem naming its row (as numbered in the file)."""
    problems: list[dict] = []
    cleaned: list[dict] = []
    seen: dict[str, int] = {}
    registered = {
        e.lower()
        for e in Participation.objects.filter(consultation=consultation).values_list("person__email", flat=True)
        if e
    }
    groups, roles, genders = (frozenset(e.values) for e in (StakeholderGroup, Role, Gender))
    for index, row in enumerate(rows, start=2):

        def problem(message: str, row_number: int = index) -> None:
            problems.append({"row": row_number, "message": message})

        for column in REQUIRED:
            if not row.get(column):
                problem(_("“%(column)s” is empty.") % {"column": column})
        for message in _too_long(row):
            problem(message)
        email = row.get("email", "")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problem(_("“%(value)s” is not an e-mail address.") % {"value": email})
            key = email.lower()
            if key in seen:
                problem(
                    _("The e-mail %(value)s appears again (first on row %(first)d).")
                    % {"value": email, "first": seen[key]}
                )
            else:
                seen[key] = index
            if key in registered:
                problem(_("%(value)s is already registered for this consultation.") % {"value": email})
        country = countries.lookup(row.get("country", "")) if row.get("country") else None
        if row.get("country") and country is None:
            problem(
                _("“%(value)s” is not a known country; use an ISO 3166 code such as THA.") % {"value": row["country"]}
            )
        group = _group_code(row.get("stakeholder_group", ""))
        if group and group not in groups:
            problem(
                _("“%(value)s” is not a stakeholder group; use one of: %(groups)s.")
                % {"value": row["stakeholder_group"], "groups": ", ".join(StakeholderGroup.values)}
            )
        role = (row.get("role") or Role.PARTICIPANT).lower()
        if role not in roles:
            problem(
                _("“%(value)s” is not a role; use one of: %(roles)s.")
                % {"value": row["role"], "roles": ", ".join(Role.values)}
            )
        gender = (row.get("gender") or "").lower()
        if gender and gender not in genders:
            problem(
                _("“%(value)s” is not a gender value; use one of: %(values)s, or leave it empty.")
                % {"value": row["gender"], "values": ", ".join(Gender.values)}
            )
        cleaned.append(
            {
                "row": index,
                "name": row.get("name", ""),
                "email": email,
                "organisation": row.get("organisation", ""),
                "stakeholder_group": group,
                "country": country or row.get("country", ""),
                "role": role,
                "gender": gender,
                "languages": [
                    x.strip() for x in (row.get("languages") or "").replace(",", ";").split(";") if x.strip()
                ],
                "job_title": row.get("job_title", ""),
            }
        )
        if progress is not None:
            progress(index - 1, len(rows), _("Checking row %(row)d") % {"row": index})
    return cleaned, problems


def import_upload(*, actor, consultation, filename: str, rows: list[dict[str, str]]) -> ParticipantImport:
    """Keep the rows read from a file, checked, as a preview. Nothing is created yet."""
    require(actor, "consultations.manage", consultation)
    cleaned, problems = check_rows(consultation=consultation, rows=rows)
    return ParticipantImport.objects.create(
        consultation=consultation, filename=filename, rows=cleaned, problems=problems, created_by=actor
    )


@dataclass(frozen=True)
class ImportStarted:
    """What :func:`import_start` did: kept a checked preview at once, or started a job that checks it."""

    batch: ParticipantImport
    job: Job | None = None


@transaction.atomic
def import_start(*, actor, consultation, filename: str, rows: list[dict[str, str]]) -> ImportStarted:
    """Start importing the rows read from a file: a short list is checked at once and kept as a preview; a
    list longer than :data:`BACKGROUND_ROWS` is kept as an empty preview and checked by a background job,
    with progress. Nothing is created before the convener confirms."""
    require(actor, "consultations.manage", consultation)
    if len(rows) <= BACKGROUND_ROWS:
        return ImportStarted(batch=import_upload(actor=actor, consultation=consultation, filename=filename, rows=rows))
    batch = ParticipantImport.objects.create(
        consultation=consultation, filename=filename, created_by=actor, status=ParticipantImport.Status.CHECKING
    )
    job = job_start(
        kind="people.import_check",
        title=_("Checking %(file)s") % {"file": filename},
        params={"import_id": batch.pk, "rows": rows},
        actor=actor,
        consultation=consultation,
    )
    return ImportStarted(batch=batch, job=job)


@job_kind("people.import_check")
def _import_check_job(job, progress):
    """Re-check a large upload in the background (the same checks, with progress)."""
    batch = ParticipantImport.objects.get(pk=job.params["import_id"])
    cleaned, problems = check_rows(consultation=batch.consultation, rows=job.params["rows"], progress=progress)
    # only a batch still being checked takes the result (one discarded meanwhile stays as it is)
    ParticipantImport.objects.filter(pk=batch.pk, status=ParticipantImport.Status.CHECKING).update(
        rows=cleaned, problems=problems, status=ParticipantImport.Status.PREVIEW
    )
    from django.urls import reverse

    return {"rows": len(cleaned), "problems": len(problems)}, reverse(
        "people:import_preview", kwargs={"slug": batch.consultation.slug, "pk": batch.pk}
    )


@transaction.atomic
def import_confirm(*, actor, batch: ParticipantImport) -> int:
    """Create every person and participation of a checked import, or none of them."""
    require(actor, "consultations.manage", batch.consultation)
    batch = ParticipantImport.objects.select_for_update().get(pk=batch.pk)
    if batch.status == ParticipantImport.Status.CHECKING:
        raise ServiceError(_("This file is still being checked; confirm it once its check has finished."))
    if batch.status != ParticipantImport.Status.PREVIEW:
        raise ServiceError(_("This import has already been confirmed or discarded."))
    cleaned, problems = check_rows(
        consultation=batch.consultation, rows=[{**row, "languages": ";".join(row["languages"])} for row in batch.rows]
    )
    if problems:
        batch.problems = problems
        batch.save(update_fields=["problems"])
        raise ServiceError(_("The file has problems; correct them and upload it again. Nothing was imported."))
    created = _create_people(batch, cleaned, actor)
    batch.status = ParticipantImport.Status.CONFIRMED
    batch.confirmed_at = timezone.now()
    batch.save(update_fields=["status", "confirmed_at"])
    audit.record(
        actor=actor,
        action="participants.import",
        obj=batch,
        consultation=batch.consultation,
        changes={"created": created},
    )
    return created


def _create_people(batch: ParticipantImport, cleaned: list[dict], actor) -> int:
    """Create the organisations and people not known yet and every participation, in a few statements rather than
    four per row (5,000 rows took 35 s one by one, past the web server's 30-s limit on a request)."""
    names = {(row["organisation"].strip().lower(), row["country"]) for row in cleaned}
    organisations = {
        (o.lname, o.country): o
        for o in Organisation.objects.annotate(lname=Lower("name")).filter(lname__in={n for n, _c in names})
        if (o.lname, o.country) in names
    }
    missing: dict[tuple[str, str], Organisation] = {}
    for row in cleaned:
        key = (row["organisation"].strip().lower(), row["country"])
        if key not in organisations and key not in missing:
            missing[key] = Organisation(
                name=row["organisation"].strip(), stakeholder_group=row["stakeholder_group"], country=row["country"]
            )
    organisations.update(zip(missing, Organisation.objects.bulk_create(missing.values()), strict=True))

    # the database's LOWER() may fold only ASCII letters (SQLite): ask for both spellings, compare in Python
    typed = {row["email"] for row in cleaned}
    known = Person.objects.annotate(lemail=Lower("email")).filter(
        Q(lemail__in={email.lower() for email in typed}) | Q(email__in=typed)
    )
    people = {person.email.lower(): person for person in known}
    new_people = [
        Person(
            name=row["name"],
            email=row["email"],
            organisation=organisations[(row["organisation"].strip().lower(), row["country"])],
            country=row["country"],
            gender=row["gender"],
            languages=row["languages"],
            job_title=row["job_title"],
        )
        for row in cleaned
        if row["email"].lower() not in people
    ]
    people.update((person.email.lower(), person) for person in Person.objects.bulk_create(new_people))

    now = timezone.now()
    Participation.objects.bulk_create(
        Participation(
            consultation=batch.consultation,
            person=people[row["email"].lower()],
            role=row["role"],
            status=RegistrationStatus.APPROVED,
            decided_at=now,
            decided_by=actor,
        )
        for row in cleaned
    )
    consultation_id = batch.consultation_id
    transaction.on_commit(lambda: participants.forget(consultation_id))  # bulk writes send no post_save
    return len(cleaned)


def import_discard(*, actor, batch: ParticipantImport) -> None:
    require(actor, "consultations.manage", batch.consultation)
    waiting = (ParticipantImport.Status.PREVIEW, ParticipantImport.Status.CHECKING)
    ParticipantImport.objects.filter(pk=batch.pk, status__in=waiting).update(status=ParticipantImport.Status.DISCARDED)
