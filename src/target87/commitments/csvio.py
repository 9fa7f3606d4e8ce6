"""Actions to and from CSV, in one documented layout (the export reads back as an import).

The layout, one action a row, UTF-8 (a byte-order mark is accepted), comma-separated, with this header:

=================  ==========================================================================================
column             what it holds
=================  ==========================================================================================
title              required
description        free text
country            ISO 3166-1 alpha-3 (THA); empty for a regional action
region             e.g. "South-East Asia"; required when country is empty
lead               organisations leading the action, by name, separated by ";"
partners           partner organisations, by name, ";"-separated
funders            funding organisations, by name, ";"-separated
recommendations    codes of the consultation's recommendations it answers, ";"-separated (R1;R4), at least one
thematic_areas     forced_labour, modern_slavery, human_trafficking, child_labour, child_soldiers; ";"-separated
start_date         YYYY-MM-DD
due_date           YYYY-MM-DD, not before start_date
status             planned, in_progress, completed, delayed, dropped
progress           0–100
indicators         SDG series codes (SL_TLF_CHLDEC), ";"-separated
=================  ==========================================================================================

Organisations must already be known to the site (as participants' organisations or earlier actions' actors).
An import checks every row first and stores nothing if any row is wrong; the problems name their rows (the
header is row 1). Money lines and history are not part of this layout.
"""

from __future__ import annotations

import csv
import io

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from target87.core.errors import ServiceError
from target87.core.exporters import csv_bytes
from target87.deliberation.models import Recommendation
from target87.engines import tabular
from target87.indicators.models import Series
from target87.people.models import Organisation

from .enums import PartnerRole
from .rules import ActionScope
from .services import actions as action_services

COLUMNS = [
    "title",
    "description",
    "country",
    "region",
    "lead",
    "partners",
    "funders",
    "recommendations",
    "thematic_areas",
    "start_date",
    "due_date",
    "status",
    "progress",
    "indicators",
]
REQUIRED = {"title", "recommendations"}

#: what each column holds, as the import page shows it
COLUMN_HELP = {
    "title": _lazy("Required."),
    "description": _lazy("Free text."),
    "country": _lazy("ISO 3166-1 alpha-3 code, e.g. THA; empty for a regional action."),
    "region": _lazy("Required when the country is empty, e.g. “South-East Asia”."),
    "lead": _lazy("Organisations leading the action, by name, separated by “;”."),
    "partners": _lazy("Partner organisations, by name, separated by “;”."),
    "funders": _lazy("Funding organisations, by name, separated by “;”."),
    "recommendations": _lazy("Codes of this consultation's recommendations, e.g. R1;R4. At least one."),
    "thematic_areas": _lazy("forced_labour, modern_slavery, human_trafficking, child_labour, child_soldiers; “;”."),
    "start_date": _lazy("YYYY-MM-DD."),
    "due_date": _lazy("YYYY-MM-DD, not before the start date."),
    "status": _lazy("planned, in_progress, completed, delayed or dropped (planned when empty)."),
    "progress": _lazy("A whole percentage from 0 to 100 (0 when empty)."),
    "indicators": _lazy("SDG series codes, e.g. SL_TLF_CHLDEC, separated by “;”."),
}
ROLE_COLUMNS = {"lead": PartnerRole.LEAD, "partners": PartnerRole.PARTNER, "funders": PartnerRole.FUNDER}
MAX_ROWS = 5000


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def _read(content: bytes | str) -> list[dict]:
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ServiceError(_("The file is not UTF-8 text; save it as “CSV UTF-8” and send it again.")) from None
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in COLUMNS if c in REQUIRED and c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    if missing or unknown:
        raise ServiceError(
            _("Row 1 (the header): missing columns %(missing)s; unknown columns %(unknown)s. The columns are: %(all)s.")
            % {"missing": ", ".join(missing) or "—", "unknown": ", ".join(unknown) or "—", "all": ", ".join(COLUMNS)}
        )
    try:
        rows = [{(k or "").strip(): (v or "").strip() for k, v in row.items() if k} for row in reader]
    except csv.Error as error:  # an unclosed quote, a field longer than a table may hold
        raise ServiceError(tabular.csv_error(error, "", reader.line_num).message) from None
    if not rows:
        raise ServiceError(_("The file has a header but no action."))
    if len(rows) > MAX_ROWS:
        raise ServiceError(_("The file has more than %(n)s rows; split it.") % {"n": MAX_ROWS})
    return rows


class _Lookup:
    """The consultation's recommendations, the known organisations and series, read once per file."""

    def __init__(self, consultation) -> None:
        self.recs = {r.code.lower(): r for r in Recommendation.objects.filter(consultation=consultation)}
        self.orgs = {o.name.lower(): o for o in Organisation.objects.all()}
        self.orgs.update({o.acronym.lower(): o for o in Organisation.objects.exclude(acronym="")})
        self.series = {s.code.upper(): s for s in Series.objects.all()}

    def row(self, raw: dict) -> tuple[dict, list[tuple[str, str]]]:
        """The row's data for the service, and the names it could not resolve as ``(field, message)``."""
        problems, partners, recs, series = [], [], [], []
        for column, role in ROLE_COLUMNS.items():
            for name in _split(raw.get(column, "")):
                if name.lower() in self.orgs:
                    partners.append((self.orgs[name.lower()], role))
                else:
                    problems.append(
                        ("partners", _("organisation “%(name)s” is not known to the site") % {"name": name})
                    )
        for code in _split(raw.get("recommendations", "")):
            key = code.lower() if code.lower().startswith("r") else f"r{code}"
            if key in self.recs:
                recs.append(self.recs[key])
            else:
                problems.append(
                    ("recommendations", _("%(code)s is not a recommendation of this consultation") % {"code": code})
                )
        for code in _split(raw.get("indicators", "")):
            if code.upper() in self.series:
                series.append(self.series[code.upper()])
            else:
                problems.append(("indicators", _("indicator series %(code)s is not in the catalogue") % {"code": code}))
        data = {
            "title": raw.get("title", ""),
            "description": raw.get("description", ""),
            "country": raw.get("country", ""),
            "region": raw.get("region", ""),
            "partners": partners,
            "recommendations": recs,
            "thematic_areas": _split(raw.get("thematic_areas", "")),
            "start_date": raw.get("start_date", ""),
            "due_date": raw.get("due_date", ""),
            "status": raw.get("status", "") or "planned",
            "progress": raw.get("progress", "") or "0",
            "indicators": series,
        }
        return data, problems


def check(*, actor, consultation, content: bytes | str) -> tuple[list[dict], list[str]]:
    """Every row read and checked, nothing stored: ``(rows, problems)``; each problem names its row."""
    lookup = _Lookup(consultation)
    checked, problems = [], []
    for number, raw in enumerate(_read(content), start=2):
        data, unresolved = lookup.row(raw)
        found = [message for _field, message in unresolved]
        cleaned = {}
        try:
            cleaned = action_services.clean(consultation=consultation, data=data)
        except ServiceError as error:
            told = {field for field, _message in unresolved}  # an unknown code already says what is missing
            found += [m for field, messages in error.message_dict.items() if field not in told for m in messages]
        if cleaned and not found:
            leads = frozenset(o.pk for o, role in cleaned["partners"] if role == PartnerRole.LEAD)
            scope = ActionScope(consultation, cleaned.get("country", ""), leads)
            if actor is None or not actor.has_perm("commitments.change_action", scope):
                found.append(_("you may not add actions of this country or these lead organisations"))
        problems += [_("Row %(row)s: %(problem)s") % {"row": number, "problem": p} for p in found]
        checked.append({"row": number, "data": data, "title": data["title"], "country": cleaned.get("country", "")})
    return checked, problems


def store(*, actor, consultation, content: bytes | str, note: str = "") -> list:
    """Check every row, then make every action in one transaction; nothing at all if any row is wrong."""
    rows, problems = check(actor=actor, consultation=consultation, content=content)
    if problems:
        raise ServiceError(problems)
    with transaction.atomic():
        return [
            action_services.action_create(
                actor=actor, consultation=consultation, note=note or _("Imported from a CSV file."), **row["data"]
            )
            for row in rows
        ]


def export_rows(actions) -> list[list]:
    rows = []
    for action in actions:
        parts = list(action.partners.all())
        rows.append(
            [
                action.title,
                action.description,
                action.country,
                action.region,
                *(
                    ";".join(p.organisation.name for p in parts if p.role == role)
                    for role in (PartnerRole.LEAD, PartnerRole.PARTNER, PartnerRole.FUNDER)
                ),
                ";".join(r.code for r in action.recommendations.all()),
                ";".join(action.thematic_areas),
                action.start_date.isoformat() if action.start_date else "",
                action.due_date.isoformat() if action.due_date else "",
                action.status,
                action.progress,
                ";".join(s.code for s in action.indicators.all()),
            ]
        )
    return rows


def export(actions) -> bytes:
    return csv_bytes(COLUMNS, export_rows(actions))
