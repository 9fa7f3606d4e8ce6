"""The follow-up edition of the outcome report: the same report, with what has happened since under each
recommendation (the actions answering it, their status and progress, their latest update, the money committed
and spent in a chosen currency), the follow-through at a glance, and the high-priority recommendations no action
answers yet ("orphan priorities").

It reads the follow-through through the ``commitments`` selectors only. Like :func:`.contents.report_contents`,
call it inside ``translation.override(language)``.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from target87.commitments import selectors as commitments
from target87.commitments.enums import ActionStatus, PartnerRole
from target87.commitments.finance import Rates
from target87.core import countries, exporters
from target87.core.errors import ServiceError
from target87.synthesis import selectors as synthesis

from . import rendering
from .contents import report_contents
from .enums import EditionKind

#: the currency of a follow-up edition unless another one is chosen (the pivot of the exchange rates)
DEFAULT_CURRENCY = "USD"


def currencies() -> list[str]:
    """The currencies a follow-up edition can give its money in: those the exchange rates cover."""
    return Rates().currencies()


def currency_check(currency: str) -> str:
    """The currency code in capitals, or a :class:`ServiceError` naming the currencies there are rates for."""
    code = (currency or DEFAULT_CURRENCY).strip().upper()
    known = currencies()
    if code not in known:
        raise ServiceError(
            _("There is no exchange rate for “%(currency)s”: choose one of %(known)s.")
            % {"currency": currency, "known": ", ".join(known)}
        )
    return code


def _amount(value) -> dict:
    whole = int(Decimal(value).quantize(Decimal(1)))
    return {"value": whole, "label": formats.number_format(whole, 0, use_l10n=True, force_grouping=True)}


def _latest_updates(actions, tz) -> dict[int, dict]:
    latest: dict[int, dict] = {}
    for update in commitments.updates_of(actions=actions):  # newest first
        if update.action_id not in latest:
            day = timezone.localtime(update.at, tz).date()
            latest[update.action_id] = {"date": day.isoformat(), "label": formats.date_format(day)}
    return latest


def _action_dict(action, latest: dict[int, dict], money: dict) -> dict:
    spent = money["actions"].get(action.pk, {"committed": 0, "spent": 0, "missing": set()})
    lead = next((p.organisation.name for p in action.partners.all() if p.role == PartnerRole.LEAD), "")
    return {
        "id": action.pk,
        "title": action.title,
        "status": action.status,
        "status_label": str(ActionStatus(action.status).label),
        "progress": action.progress,
        "place": countries.name(action.country) if action.country else action.region,
        "lead": lead,
        "due": formats.date_format(action.due_date) if action.due_date else "",
        "overdue": action.is_overdue,
        "latest_update": latest.get(action.pk, {"date": "", "label": ""}),
        "committed": _amount(spent["committed"]),
        "spent": _amount(spent["spent"]),
        "missing": sorted(spent["missing"]),
    }


def _since(rows: list[dict]) -> dict:
    kept = [a["progress"] for a in rows if a["status"] != ActionStatus.DROPPED]
    return {
        "actions": rows,
        "progress": round(sum(kept) / len(kept)) if kept else None,
        "committed": _amount(sum(a["committed"]["value"] for a in rows)),
        "spent": _amount(sum(a["spent"]["value"] for a in rows)),
    }


def _orphans(consultation, found: list, shown: dict[int, dict], whole: bool, answered: set[int], folded) -> list[dict]:
    places = commitments.priority_places(consultation=consultation)
    rows = []
    for rec in found:
        if folded.get(rec.pk) in answered:
            continue  # ranked before the merge, answered through the merged recommendation
        if not whole and rec.pk not in shown:
            continue  # a channel's edition names the orphan priorities among its own recommendations
        rows.append(
            {
                "code": rec.code,
                "title": rec.title,
                "key_question": shown[rec.pk]["key_question"] if rec.pk in shown else "",
                "places": [
                    _("place %(place)s in “%(ballot)s”") % {"place": place, "ballot": ballot}
                    for ballot, place in places.get(rec.pk, [])
                ],
            }
        )
    return rows


def add_followup(contents: dict, *, consultation, currency: str = DEFAULT_CURRENCY) -> dict:
    """Add what has happened since to report contents made by :func:`report_contents` (changed in place)."""
    money = commitments.action_money(consultation=consultation, currency=currency)
    actions = list(commitments.action_queryset().filter(consultation=consultation))
    latest = _latest_updates(actions, consultation.tz)
    folded = synthesis.standing_for(consultation=consultation)
    answering: dict[int, list[dict]] = defaultdict(list)
    for action in actions:
        row = _action_dict(action, latest, money)
        # an action answering a recommendation merged into another answers the merged one, once
        for pk in dict.fromkeys(folded.get(rec.pk, rec.pk) for rec in action.recommendations.all()):
            answering[pk].append(row)
    shown, counted = {}, {}
    for block in contents["key_questions"]:
        for rec in block["recommendations"]:
            rec["since"] = _since(answering.get(rec["id"], []))
            shown[rec["id"]] = {"key_question": f"Q{block['position']}. {block['short_title']}"}
            counted.update({a["id"]: a for a in rec["since"]["actions"]})
    summary = commitments.followup_summary(consultation=consultation)
    whole = contents["channel"] is None
    by_status = defaultdict(int)
    for row in counted.values():
        by_status[row["status"]] += 1
    live = {a.pk for a in actions if a.status != ActionStatus.DROPPED}
    answered = {pk for pk, rows in answering.items() if any(r["id"] in live for r in rows)}
    orphans = _orphans(consultation, summary["orphan_priorities"], shown, whole, answered, folded)
    missing = sorted({c for row in counted.values() for c in row["missing"]})
    contents["edition"] = EditionKind.FOLLOWUP.value
    contents["followup"] = {
        "currency": currency,
        "actions": len(counted),
        "by_status": [
            {"status": value, "label": str(label), "count": by_status[value]} for value, label in ActionStatus.choices
        ],
        "overdue": sum(1 for row in counted.values() if row["overdue"]),
        "committed": _amount(sum(row["committed"]["value"] for row in counted.values())),
        "spent": _amount(sum(row["spent"]["value"] for row in counted.values())),
        "missing": missing,
        "orphan_priorities": orphans,
        "serving_no_priority": len(summary["serving_no_priority"]) if whole else None,
    }
    contents["summary"]["paragraphs"].append(
        ngettext(
            "This follow-up edition tells what has happened since the consultation: %(count)s action answers the "
            "recommendations below.",
            "This follow-up edition tells what has happened since the consultation: %(count)s actions answer the "
            "recommendations below.",
            len(counted),
        )
        % {"count": len(counted)}
        + " "
        + ngettext(
            "%(count)s high-priority recommendation has no action yet.",
            "%(count)s high-priority recommendations have no action yet.",
            len(orphans),
        )
        % {"count": len(orphans)}
    )
    return contents


def followup_contents(*, consultation, channel=None, currency: str = DEFAULT_CURRENCY) -> dict:
    """The follow-up edition's contents, for the whole consultation or one channel."""
    return add_followup(
        report_contents(consultation=consultation, channel=channel), consultation=consultation, currency=currency
    )


def contents_for(*, consultation, channel=None, kind: str = EditionKind.OUTCOME, currency: str = "") -> dict:
    if kind == EditionKind.FOLLOWUP:
        return followup_contents(consultation=consultation, channel=channel, currency=currency or DEFAULT_CURRENCY)
    return report_contents(consultation=consultation, channel=channel)


# --- formats -------------------------------------------------------------------------------------------------

FOLLOWUP_CSV_HEADER = [
    *rendering.CSV_HEADER,
    "actions",
    "action_statuses",
    "mean_progress",
    "latest_update",
    "currency",
    "committed",
    "spent",
    "orphan_priority",
]


def _followup_csv(contents: dict) -> bytes:
    """The CSV of the recommendations with what has happened since each, and whether it is an orphan priority."""
    # the plain CSV of the recommendations, read back to add the follow-up columns beside its own
    reader = csv.reader(io.StringIO(rendering.render(contents, "csv").decode("utf-8-sig"), newline=""))
    next(reader)
    orphans = {o["code"] for o in contents["followup"]["orphan_priorities"]}
    recs = [rec for block in contents["key_questions"] for rec in block["recommendations"]]
    rows = []
    for row, rec in zip(reader, recs, strict=True):
        since = rec["since"]
        rows.append(
            [
                *row,
                len(since["actions"]),
                "; ".join(f"{a['title']}: {a['status_label']} {a['progress']} %" for a in since["actions"]),
                "" if since["progress"] is None else since["progress"],
                max((a["latest_update"]["date"] for a in since["actions"]), default=""),
                contents["followup"]["currency"],
                since["committed"]["value"],
                since["spent"]["value"],
                "yes" if rec["code"] in orphans else "",
            ]
        )
    return exporters.csv_bytes(FOLLOWUP_CSV_HEADER, rows, bom=True)


def render(contents: dict, fmt: str, *, charts: list[dict] | None = None) -> bytes:
    """Any format of either kind of edition: the follow-up CSV carries its own columns."""
    if fmt == "csv" and contents.get("followup"):
        return _followup_csv(contents)
    return rendering.render(contents, fmt, charts=charts)


def filename(contents: dict, fmt: str) -> str:
    """The file name of a format: a follow-up edition's files say so in their names."""
    name = rendering.registry.get(fmt)(contents).filename()
    if contents.get("followup"):
        stem, dot, extension = name.rpartition(".")
        name = slugify(stem.replace("-report", "-report-follow-up", 1)) + dot + extension
    return name
