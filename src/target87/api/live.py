"""Audience questions of a consultation's live sessions.

Readers see what the room sees: approved questions, with their upvotes (no author: a question may be anonymous to
the room). A token of a moderator (a convener, a facilitator) shows every question, those waiting for approval,
hidden or merged included.
"""

# No ``from __future__ import annotations`` here: ninja reads a paginated endpoint's annotations in the
# pagination module's namespace, where the names of this module's schemas are not known.
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from target87.consultations import selectors as consultation_selectors
from target87.live import selectors
from target87.live.enums import QuestionStatus

from .auth import OPTIONAL, OptionalTokenAuth
from .inputs import Page
from .schemas import ERRORS

router = Router(tags=["live"], auth=OptionalTokenAuth())


class QuestionOut(Schema):
    id: int
    session_id: int = Field(..., description="The session it was asked in.")
    text: str
    language: str = Field(..., description="The language it was asked in: en, fr or es.")
    status: str = Field(..., description="pending, approved, hidden or merged (only moderators see all but approved).")
    votes: int = Field(..., description="Upvotes, one per participant.")
    answered: bool


class QuestionFilters(Schema):
    session_id: int | None = Field(None, description="Only the questions of this session.")


@router.get(
    "/consultations/{slug}/questions",
    response={200: list[QuestionOut], **ERRORS},
    summary="Audience questions of the live sessions",
    openapi_extra=OPTIONAL,
)
@paginate(Page)
def question_list(request, slug: str, filters: Query[QuestionFilters]):
    consultation = consultation_selectors.consultation_get(slug=slug, user=request.user)
    rows = selectors.questions_for_export(consultation).order_by("session_id", "created_at", "id")
    if not request.user.has_perm("live.moderate", consultation):
        rows = rows.filter(status=QuestionStatus.APPROVED)
    if filters.session_id is not None:
        rows = rows.filter(session_id=filters.session_id)
    return [
        {
            "id": q.pk,
            "session_id": q.session_id,
            "text": q.text,
            "language": q.language,
            "status": q.status,
            "votes": q.votes,
            "answered": q.answered_at is not None,
        }
        for q in rows
    ]
