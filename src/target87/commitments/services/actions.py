"""Making and changing actions. Every change writes one :class:`~target87.commitments.models.Update` with what
changed (``{field: [before, after]}``), the note and the evidence given, in the same transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from target87.core import audit
from target87.core.errors import ServiceError
from target87.core.permissions import require

from ..enums import ActionStatus, PartnerRole
from ..models import Action, Evidence, Partner, Update
from ..rules import ActionScope
from . import checks

SCALARS = ("title", "description", "country", "region", "status", "progress", "start_date", "due_date")
RELATIONS = ("recommendations", "partners", "indicators")
FIELDS = (*SCALARS, "thematic_areas", *RELATIONS)

NOTHING_CHANGED = gettext_lazy("Nothing changed: change a field, write a note or add a piece of evidence.")


def actor_label(actor) -> str:
    if getattr(actor, "is_authenticated", False):
        return (actor.get_full_name() or actor.get_username())[:200]
    return str(actor or "")[:200]


def _scalars(data: dict, errors: dict) -> dict:
    clean = {}
    if "title" in data:
        clean["title"] = str(data["title"] or "").strip()
        if not clean["title"]:
            errors["title"] = _("Give the action a title.")
    for name in ("description", "region"):
        if name in data:
            clean[name] = str(data[name] or "").strip()
    for name, check in (("status", checks.status), ("progress", checks.progress)):
        if name in data:
            clean[name], message = check(data[name])
            if message:
                errors[name] = message
    if "country" in data:
        clean["country"], message = checks.country(data["country"])
        if message:
            errors["country"] = message
    for name in ("start_date", "due_date"):
        if name in data:
            clean[name], message = checks.date(data[name])
            if message:
                errors[name] = message
    if "thematic_areas" in data:
        clean["thematic_areas"], message = checks.thematic_areas(data["thematic_areas"])
        if message:
            errors["thematic_areas"] = message
    return clean


def _relations(consultation, data: dict, errors: dict) -> dict:
    clean = {}
    if "recommendations" in data:
        recs = list(dict.fromkeys(data["recommendations"] or []))
        others = [r for r in recs if r.consultation_id != consultation.pk]
        if others:
            errors["recommendations"] = _(
                "%(codes)s belong to another consultation; an action answers recommendations of its own consultation."
            ) % {"codes": ", ".join(f"{r.code} ({r.consultation.slug})" for r in others)}
        elif not recs:
            errors["recommendations"] = _("Name at least one recommendation that the action answers.")
        clean["recommendations"] = recs
    if "partners" in data:
        seen: dict[int, tuple] = {}
        for organisation, role in data["partners"] or []:
            role, message = checks.partner_role(role)
            if message:
                errors["partners"] = message
            seen.setdefault(organisation.pk, (organisation, role))
        clean["partners"] = list(seen.values())
    if "indicators" in data:
        clean["indicators"] = list(dict.fromkeys(data["indicators"] or []))
    return clean


def clean(*, consultation, data: dict, current: Action | None = None) -> dict:
    """The action's fields checked and cleaned; every mistake at once in a :class:`ServiceError` by field."""
    errors: dict[str, str] = {}
    cleaned = _scalars(data, errors)
    cleaned.update(_relations(consultation, data, errors))
    start = cleaned.get("start_date", current.start_date if current else None)
    due = cleaned.get("due_date", current.due_date if current else None)
    if "start_date" not in errors and "due_date" not in errors and (message := checks.dates(start, due)):
        errors["due_date"] = message
    country = cleaned.get("country", current.country if current else "")
    region = cleaned.get("region", current.region if current else "")
    if not country and not region and "country" not in errors:
        errors["country"] = _("Give the country of the action, or its region if it covers several countries.")
    if cleaned.get("status") == ActionStatus.COMPLETED and "progress" in cleaned and cleaned["progress"] != 100:
        errors["progress"] = _("A completed action is at 100 %; set the progress to 100 or choose another status.")
    if errors:
        raise ServiceError({k: [v] for k, v in errors.items()})
    return cleaned


def _shown(name: str, value):
    """A field's value as the history keeps it: plain, readable, JSON."""
    if name == "recommendations":
        return sorted((r.code for r in value), key=lambda c: int(c[1:]))
    if name == "partners":
        return sorted(f"{o.name} ({role})" for o, role in value)
    if name == "indicators":
        return sorted(s.code for s in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _current(action: Action, name: str):
    if name == "recommendations":
        return list(action.recommendations.all())
    if name == "partners":
        return [(p.organisation, p.role) for p in action.partners.select_related("organisation")]
    if name == "indicators":
        return list(action.indicators.all())
    return getattr(action, name)


def _scope(consultation, cleaned: dict, action: Action | None = None) -> ActionScope:
    country = cleaned.get("country", action.country if action else "")
    if "partners" in cleaned:
        leads = frozenset(o.pk for o, role in cleaned["partners"] if role == PartnerRole.LEAD)
    else:
        leads = frozenset(action.lead_ids()) if action else frozenset()
    return ActionScope(consultation, country, leads)


def _store_relations(action: Action, cleaned: dict) -> None:
    if "recommendations" in cleaned:
        action.recommendations.set(cleaned["recommendations"])
    if "indicators" in cleaned:
        action.indicators.set(cleaned["indicators"])
    if "partners" in cleaned:
        action.partners.all().delete()
        Partner.objects.bulk_create(
            [Partner(action=action, organisation=o, role=role) for o, role in cleaned["partners"]]
        )


def _evidence_checked(evidence: list[dict]) -> list[dict]:
    errors, rows = [], []
    for item in evidence or []:
        label = str(item.get("label") or "").strip()[:200]
        if item.get("file"):
            if message := checks.evidence_file(item["file"]):
                errors.append(message)
            rows.append({"label": label or item["file"].name[:200], "file": item["file"]})
        elif item.get("url"):
            url, message = checks.link(item["url"])
            if message:
                errors.append(message)
            rows.append({"label": label, "url": url})
    if errors:
        raise ServiceError({"evidence": errors})
    return rows


def _record(*, actor, action: Action, changes: dict, note: str, evidence: list[dict]) -> Update:
    update = Update.objects.create(
        action=action,
        by=actor if getattr(actor, "is_authenticated", False) else None,
        by_label=actor_label(actor),
        changes=changes,
        note=note,
        status=action.status,
        progress=action.progress,
    )
    for item in evidence:
        Evidence.objects.create(update=update, **item)
    return update


@transaction.atomic
def action_create(*, actor, consultation, note: str = "", evidence: list[dict] | None = None, **data) -> Action:
    """A new action of the consultation. The actor must be allowed to edit it once made: a country focal point
    makes actions of their country, a representative those their organisation leads."""
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise TypeError(f"action_create: unknown fields {sorted(unknown)}")
    require(actor, "commitments.add_action", consultation)
    data.setdefault("title", "")
    data.setdefault("recommendations", [])
    cleaned = clean(consultation=consultation, data=data)
    require(actor, "commitments.change_action", _scope(consultation, cleaned))
    rows = _evidence_checked(evidence or [])
    action = Action.objects.create(
        consultation=consultation,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **{k: v for k, v in cleaned.items() if k not in RELATIONS},
    )
    _store_relations(action, cleaned)
    changes = {name: [None, _shown(name, value)] for name, value in cleaned.items() if value not in ("", None, [])}
    _record(actor=actor, action=action, changes=changes, note=note.strip(), evidence=rows)
    audit.record(actor=actor, action="commitments.action_create", obj=action, consultation=consultation)
    return action


@transaction.atomic
def action_update(*, actor, action: Action, note: str = "", evidence: list[dict] | None = None, **data) -> Update:
    """Change an action; the change, its note and its evidence become one entry of the action's history.

    The actor must be allowed to edit the action as it is and as it will be: a focal point cannot hand an
    action to another country, nor take over another's."""
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise TypeError(f"action_update: unknown fields {sorted(unknown)}")
    require(actor, "commitments.change_action", action)
    action = Action.objects.select_for_update().get(pk=action.pk)
    cleaned = clean(consultation=action.consultation, data=data, current=action)
    if cleaned.get("status") == ActionStatus.COMPLETED and "progress" not in cleaned and action.progress != 100:
        cleaned["progress"] = 100
    require(actor, "commitments.change_action", _scope(action.consultation, cleaned, action))
    rows = _evidence_checked(evidence or [])
    changes = {}
    for name, value in cleaned.items():
        before, after = _shown(name, _current(action, name)), _shown(name, value)
        if before != after:
            changes[name] = [before, after]
    if not changes and not note.strip() and not rows:
        raise ServiceError(NOTHING_CHANGED)
    for name in changes:
        if name not in RELATIONS:
            setattr(action, name, cleaned[name])
    action.save()
    _store_relations(action, {k: v for k, v in cleaned.items() if k in changes})
    update = _record(actor=actor, action=action, changes=changes, note=note.strip(), evidence=rows)
    audit.record(
        actor=actor,
        action="commitments.action_update",
        obj=action,
        consultation=action.consultation,
        changes=changes,
    )
    return update
