"""Contributions and recommendations: what the breakout groups said, and what was drafted from it.

Readers see what the public pages show: a contributor who chose to stay anonymous is never named (not to a
convener either: the web pages and the exports do not name them). Facilitators, rapporteurs and conveners
capture contributions with a token, through the same service as the capture page.
"""

# No ``from __future__ import annotations`` here: ninja reads a paginated endpoint's annotations in the
# pagination module's namespace, where the names of this module's schemas are not known.
from ninja import Query, Router, Status
from ninja.pagination import paginate

from target87.consultations import selectors as consultation_selectors
from target87.consultations.models import Consultation
from target87.core.errors import ServiceError
from target87.deliberation import selectors, services

from .auth import OPTIONAL, OptionalTokenAuth, TokenAuth
from .errors import in_payload_terms
from .inputs import Page
from .schemas import (
    ERRORS,
    ContributionFilters,
    ContributionIn,
    ContributionOut,
    RecommendationDetailOut,
    RecommendationOut,
)

router = Router(tags=["deliberation"], auth=OptionalTokenAuth())

#: the service's names for the fields that the payload names after the ids it sends
PAYLOAD_FIELDS = {"key_question": "key_question_id", "session": "session_id"}


def _consultation(request, slug: str) -> Consultation:
    return consultation_selectors.consultation_get(slug=slug, user=request.user)


def _contribution_relations(consultation: Consultation, data: dict) -> dict:
    """The key question and the session that the payload names by id, as the consultation's objects.

    A key question id that names none of the consultation's is given to the service as none: the service refuses
    it with the payload's other mistakes. A session id that names none of the consultation's sessions is refused
    here, in the service's words (the service itself refuses a session that is not a breakout group).
    """
    question_id, session_id = data.pop("key_question_id"), data.pop("session_id")
    data["key_question"] = consultation.key_questions.filter(pk=question_id).first()
    data["session"] = None
    if session_id is not None:
        data["session"] = consultation.sessions.filter(pk=session_id).first()
        if data["session"] is None:
            raise ServiceError({PAYLOAD_FIELDS["session"]: [str(services.NOT_A_BREAKOUT)]})
    return data


@router.get(
    "/consultations/{slug}/contributions",
    response={200: list[ContributionOut], **ERRORS},
    summary="Contributions of the breakout groups",
    openapi_extra=OPTIONAL,
)
@paginate(Page)
def contribution_list(request, slug: str, filters: Query[ContributionFilters]):
    consultation = _consultation(request, slug)
    # those who capture contributions read them all; everyone else what the public page shows
    read = (
        selectors.contribution_list
        if request.user.has_perm("deliberation.capture", consultation)
        else selectors.contribution_list_public
    )
    rows = read(consultation=consultation, key_question=filters.key_question, kind=filters.kind or "")
    if filters.session_id is not None:
        rows = rows.filter(session_id=filters.session_id)
    if filters.thematic_area:
        rows = rows.filter(thematic_area=filters.thematic_area)
    return rows


@router.post(
    "/consultations/{slug}/contributions",
    response={201: ContributionOut, **ERRORS},
    auth=TokenAuth(),
    summary="Capture a contribution (facilitators, rapporteurs, conveners)",
)
def contribution_create(request, slug: str, payload: ContributionIn):
    """Sending again with the same ``client_key`` stores the contribution once and answers with the one stored."""
    consultation = _consultation(request, slug)
    data = _contribution_relations(consultation, payload.dict())
    try:
        contribution = services.contribution_create(actor=request.auth, consultation=consultation, **data)
    except ServiceError as error:
        raise in_payload_terms(error, PAYLOAD_FIELDS) from None
    return Status(201, contribution)


@router.get(
    "/consultations/{slug}/recommendations",
    response={200: list[RecommendationOut], **ERRORS},
    summary="Recommendations, in their order",
    openapi_extra=OPTIONAL,
)
@paginate(Page)
def recommendation_list(request, slug: str):
    return selectors.recommendation_list(consultation=_consultation(request, slug))


@router.get(
    "/recommendations/{recommendation_id}", response={200: RecommendationDetailOut, **ERRORS}, openapi_extra=OPTIONAL
)
def recommendation_detail(request, recommendation_id: int):
    """A recommendation with every version of it and the contributions it comes from."""
    slug, number = selectors.recommendation_address(pk=recommendation_id)
    return selectors.recommendation_get(consultation=_consultation(request, slug), number=number)
