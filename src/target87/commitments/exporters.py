"""The accountability data as downloads: the actions in CSV (the import's layout, see :mod:`.csvio`) and the
actions with their money and history in JSON."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext_lazy as _

from target87.core.exporters import BaseExporter, Registry

from . import csvio, selectors

registry = Registry("commitments")


class _ConsultationExporter(BaseExporter):
    def __init__(self, consultation, actions=None) -> None:
        self.consultation = consultation
        self.actions = actions if actions is not None else selectors.action_list(consultation=consultation)

    def filename(self) -> str:
        return f"{self.consultation.slug}-actions.{self.extension}"


@registry.register
class ActionsCsv(_ConsultationExporter):
    identifier = "csv"
    name = _("Actions (CSV)")
    content_type = "text/csv; charset=utf-8"
    extension = "csv"

    def render(self) -> bytes:
        return csvio.export(self.actions)


def action_data(action) -> dict:
    return {
        "id": action.pk,
        "uuid": str(action.uuid),
        "title": action.title,
        "description": action.description,
        "country": action.country,
        "region": action.region,
        "status": action.status,
        "progress": action.progress,
        "overdue": action.is_overdue,
        "start_date": action.start_date,
        "due_date": action.due_date,
        "thematic_areas": action.thematic_areas,
        "partners": [
            {"organisation": p.organisation.name, "stakeholder_group": p.organisation.stakeholder_group, "role": p.role}
            for p in action.partners.all()
        ],
        "recommendations": [r.code for r in action.recommendations.all()],
        "indicators": [s.code for s in action.indicators.all()],
    }


@registry.register
class ActionsJson(_ConsultationExporter):
    identifier = "json"
    name = _("Actions with money and history (JSON)")
    content_type = "application/json"
    extension = "json"

    def render(self) -> bytes:
        actions = list(self.actions.prefetch_related("money", "updates__evidence"))
        data = {
            "consultation": self.consultation.slug,
            "actions": [
                {
                    **action_data(a),
                    "money": [
                        {
                            "year": m.year,
                            "kind": m.kind,
                            "amount": str(m.amount),
                            "currency": m.currency,
                            "source_type": m.source_type,
                        }
                        for m in a.money.all()
                    ],
                    "updates": [
                        {
                            "at": u.at,
                            "by": u.by_label,
                            "changes": u.changes,
                            "note": u.note,
                            "status": u.status,
                            "progress": u.progress,
                            "evidence": [{"label": e.label, "url": e.href} for e in u.evidence.all()],
                        }
                        for u in a.updates.all()
                    ],
                }
                for a in actions
            ],
        }
        return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode()
