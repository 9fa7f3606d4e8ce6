"""The questions of a consultation's sessions as CSV (for the moderators: the authors of anonymous questions are
named, as the moderators see them)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from target87.core.exporters import BaseExporter, Registry, csv_bytes

from . import selectors

registry = Registry("live")


@registry.register
class QuestionsCsv(BaseExporter):
    identifier = "csv"
    name = _("Questions (CSV)")
    content_type = "text/csv; charset=utf-8"
    extension = "csv"

    def __init__(self, consultation) -> None:
        self.consultation = consultation

    def filename(self) -> str:
        return f"{self.consultation.slug}-questions.csv"

    def render(self) -> bytes:
        header = [
            "id",
            "session_id",
            "session",
            "asked_at",
            "language",
            "text",
            "author",
            "anonymous_to_the_room",
            "addressed_to",
            "status",
            "hidden_reason",
            "merged_into",
            "votes",
            "answered",
            "answer_note",
            "contribution_id",
        ]
        rows = (
            [
                q.pk,
                q.session_id,
                q.session.title,
                q.created_at.isoformat(),
                q.language,
                q.text,
                q.author.person.name,
                "yes" if q.anonymous else "no",
                q.speaker.person.name if q.speaker_id else "",
                q.status,
                q.hidden_reason,
                q.merged_into_id or "",
                q.votes,
                "yes" if q.answered else "no",
                q.answer_note,
                q.contribution_id or "",
            ]
            for q in selectors.questions_for_export(self.consultation)
        )
        return csv_bytes(header, rows, bom=True)
