"""CSV exports of what was said and decided, so that it can be audited and re-read elsewhere.

One mechanism, as for the schedule: an exporter is a registered class with an identifier, a name, a content
type and an extension, rendering bytes. ``priorities.exporters`` registers the ballots' exporters here too.
Country codes are ISO 3166-1 alpha-3; times are UTC, ISO 8601.
"""

from __future__ import annotations

import csv
import io

from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _

from .models import Contribution, Feedback, Recommendation

EXPORTERS: dict[str, type[BaseExporter]] = {}


def register(cls):
    EXPORTERS[cls.identifier] = cls
    return cls


def get(identifier: str):
    try:
        return EXPORTERS[identifier]
    except KeyError:
        raise Http404 from None


def response(exporter: BaseExporter) -> HttpResponse:
    result = HttpResponse(exporter.render(), content_type=exporter.content_type)
    result["Content-Disposition"] = f'attachment; filename="{exporter.filename()}"'
    return result


def csv_bytes(header: list[str], rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


class BaseExporter:
    do_not_call_in_templates = True  # templates list exporter classes by identifier and name
    identifier = ""
    name = ""
    content_type = "text/csv; charset=utf-8"
    extension = "csv"
    suffix = ""

    def __init__(self, consultation, **options) -> None:
        self.consultation = consultation
        self.options = options

    def filename(self) -> str:
        return f"{self.consultation.slug}-{self.suffix or self.identifier}.{self.extension}"

    def render(self) -> bytes:  # pragma: no cover - abstract
        raise NotImplementedError


@register
class ContributionsCSV(BaseExporter):
    identifier = "contributions-csv"
    name = _("Contributions (CSV)")
    suffix = "contributions"

    def render(self) -> bytes:
        rows = (
            Contribution.objects.filter(consultation=self.consultation)
            .select_related("key_question", "session", "author__person")
            .order_by("created_at", "id")
        )
        return csv_bytes(
            [
                "id",
                "created_at",
                "key_question",
                "breakout_group",
                "kind",
                "thematic_area",
                "countries",
                "stakeholder_group",
                "author",
                "text",
            ],
            (
                [
                    c.pk,
                    c.created_at.isoformat(),
                    c.key_question.position,
                    c.session.title if c.session_id else "",
                    c.kind,
                    c.thematic_area,
                    " ".join(c.countries),
                    c.stakeholder_group,
                    c.public_author(),
                    c.text,
                ]
                for c in rows
            ),
        )


@register
class RecommendationsCSV(BaseExporter):
    identifier = "recommendations-csv"
    name = _("Recommendations (CSV)")
    suffix = "recommendations"

    def render(self) -> bytes:
        rows = (
            Recommendation.objects.filter(consultation=self.consultation)
            .select_related("key_question")
            .prefetch_related("contributions")
            .order_by("number")
        )
        return csv_bytes(
            [
                "code",
                "version",
                "key_question",
                "title",
                "text",
                "thematic_area",
                "actors",
                "level",
                "timeframe",
                "contributions",
            ],
            (
                [
                    r.code,
                    r.version,
                    r.key_question.position,
                    r.title,
                    r.text,
                    r.thematic_area,
                    " ".join(r.actors),
                    r.level,
                    r.timeframe,
                    " ".join(str(c.pk) for c in r.contributions.all()),
                ]
                for r in rows
            ),
        )


@register
class FeedbackCSV(BaseExporter):
    identifier = "comments-csv"
    name = _("Comments and amendments on recommendations (CSV)")
    suffix = "comments"

    def render(self) -> bytes:
        rows = (
            Feedback.objects.filter(recommendation__consultation=self.consultation)
            .select_related("recommendation", "author__person__organisation")
            .order_by("created_at", "id")
        )
        return csv_bytes(
            ["id", "created_at", "recommendation", "kind", "status", "stakeholder_group", "text", "proposed_text"],
            (
                [
                    f.pk,
                    f.created_at.isoformat(),
                    f.recommendation.code,
                    f.kind,
                    f.status,
                    f.author.person.stakeholder_group if f.author_id else "",
                    f.text,
                    f.proposed_text,
                ]
                for f in rows
            ),
        )
