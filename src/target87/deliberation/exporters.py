"""CSV exports of what was said and decided, so that it can be audited and re-read elsewhere.

On the core export mechanism, in :data:`deliberation_exporters`; the ballots' exports are in
``priorities.exporters``. Country codes are ISO 3166-1 alpha-3; times are UTC, ISO 8601.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from target87.core.exporters import BaseExporter, Registry, csv_bytes

from .models import Contribution, Feedback, Recommendation

deliberation_exporters = Registry("deliberation")
get = deliberation_exporters.get


class ConsultationCSVExporter(BaseExporter):
    content_type = "text/csv; charset=utf-8"
    extension = "csv"
    suffix = ""

    def __init__(self, consultation) -> None:
        self.consultation = consultation

    def filename(self) -> str:
        return f"{self.consultation.slug}-{self.suffix or self.identifier}.{self.extension}"


@deliberation_exporters.register
class ContributionsCSV(ConsultationCSVExporter):
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


@deliberation_exporters.register
class RecommendationsCSV(ConsultationCSVExporter):
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


@deliberation_exporters.register
class FeedbackCSV(ConsultationCSVExporter):
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
