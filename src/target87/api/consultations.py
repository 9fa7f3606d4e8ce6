"""The consultations and their programme: sessions, rooms and key questions.

Reads are public for published consultations; a token sent with a read shows what its user may see (a
convener's own drafts). Every list is paged the same way (:class:`~target87.api.inputs.Page`). Writes are the
conveners', with a token; the consultation's permission is checked before the ids a payload sends are looked
up, so that a token without it learns nothing from them.
"""

# No ``from __future__ import annotations`` here: ninja reads a paginated endpoint's annotations in the
# pagination module's namespace, where the names of this module's schemas are not known.
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from target87.consultations import selectors, services
from target87.consultations.models import Consultation, Session
from target87.core.permissions import require

from .auth import OPTIONAL, OptionalTokenAuth, TokenAuth
from .errors import in_payload_terms
from .inputs import Page
from .schemas import (
    ERRORS,
    ConsultationIn,
    ConsultationOut,
    ConsultationPatch,
    KeyQuestionIn,
    KeyQuestionOut,
    Problem,
    RoomIn,
    RoomOut,
    SessionIn,
    SessionOut,
    SessionPatch,
)

router = Router(tags=["consultations"], auth=OptionalTokenAuth())


def _consultation(request, slug: str) -> Consultation:
    return selectors.consultation_get(slug=slug, user=request.user)


def session_out(session: Session) -> dict:
    return {
        "id": session.pk,
        "kind": session.kind,
        "title": session.title,
        "focus": session.focus,
        "description": session.description,
        "start": session.start,
        "end": session.end,
        "deliberation_minutes": session.deliberation_minutes,
        "room": session.room.name if session.room else None,
        "key_questions": [q.position for q in session.key_questions.all()],
        "thematic_areas": session.thematic_areas,
        "speakers": [{"name": s.person.name, "role": s.role} for s in session.speakers.all()],
    }


@router.get(
    "/consultations",
    response={200: list[ConsultationOut], **ERRORS},
    summary="Published consultations",
    openapi_extra=OPTIONAL,
)
@paginate(Page)
def consultation_list(request):
    return selectors.consultation_list_public()


@router.get("/consultations/{slug}", response={200: ConsultationOut, **ERRORS}, openapi_extra=OPTIONAL)
def consultation_detail(request, slug: str):
    return _consultation(request, slug)


@router.get("/consultations/{slug}/sessions", response={200: list[SessionOut], **ERRORS}, openapi_extra=OPTIONAL)
@paginate(Page)
def session_list(request, slug: str):
    return [session_out(s) for s in selectors.session_queryset(_consultation(request, slug))]


@router.get("/consultations/{slug}/sessions/{session_id}", response={200: SessionOut, **ERRORS}, openapi_extra=OPTIONAL)
def session_detail(request, slug: str, session_id: int):
    return session_out(selectors.session_get(consultation=_consultation(request, slug), pk=session_id))


@router.get("/consultations/{slug}/rooms", response={200: list[RoomOut], **ERRORS}, openapi_extra=OPTIONAL)
@paginate(Page)
def room_list(request, slug: str):
    return _consultation(request, slug).rooms.all()


@router.get(
    "/consultations/{slug}/key-questions", response={200: list[KeyQuestionOut], **ERRORS}, openapi_extra=OPTIONAL
)
@paginate(Page)
def key_question_list(request, slug: str):
    return _consultation(request, slug).key_questions.all()


# --- writes (conveners, with a token) -------------------------------------------------------------


@router.post("/consultations", response={201: ConsultationOut, **ERRORS}, auth=TokenAuth())
def consultation_create(request, payload: ConsultationIn):
    return Status(201, services.consultation_create(actor=request.auth, **payload.dict()))


@router.patch("/consultations/{slug}", response={200: ConsultationOut, **ERRORS}, auth=TokenAuth())
def consultation_update(request, slug: str, payload: ConsultationPatch):
    consultation = _consultation(request, slug)
    return services.consultation_update(
        actor=request.auth, consultation=consultation, **payload.dict(exclude_unset=True)
    )


#: the service's names for the session fields that the payload names after the ids it sends
SESSION_FIELDS = {"room": "room_id", "key_questions": "key_question_ids", "speakers": "speaker_ids"}


def _session_save(request, consultation: Consultation, data: dict, session: Session | None = None) -> Session:
    try:
        return services.session_save(actor=request.auth, consultation=consultation, session=session, **data)
    except ValidationError as error:
        raise in_payload_terms(error, SESSION_FIELDS) from None


def _session_relations(consultation: Consultation, data: dict) -> dict:
    if "room_id" in data:
        room_id = data.pop("room_id")
        data["room"] = None
        if room_id is not None:
            data["room"] = consultation.rooms.filter(pk=room_id).first()
            if data["room"] is None:
                raise ValidationError({"room_id": [_("No room %(id)s in this consultation.") % {"id": room_id}]})
    if "key_question_ids" in data:
        ids = data.pop("key_question_ids") or []
        data["key_questions"] = list(consultation.key_questions.filter(pk__in=ids))
        if len(data["key_questions"]) != len(set(ids)):
            raise ValidationError({"key_question_ids": [_("Some key questions are not in this consultation.")]})
    if "speaker_ids" in data:
        data["speakers"] = data.pop("speaker_ids") or []  # the service refuses people from elsewhere
    return data


@router.post("/consultations/{slug}/sessions", response={201: SessionOut, **ERRORS}, auth=TokenAuth())
def session_create(request, slug: str, payload: SessionIn):
    consultation = _consultation(request, slug)
    require(request.auth, "consultations.manage", consultation)  # before the ids are looked at: they tell nothing
    data = _session_relations(consultation, payload.dict())
    session = _session_save(request, consultation, data)
    return Status(201, session_out(selectors.session_get(consultation=consultation, pk=session.pk)))


@router.patch("/consultations/{slug}/sessions/{session_id}", response={200: SessionOut, **ERRORS}, auth=TokenAuth())
def session_update(request, slug: str, session_id: int, payload: SessionPatch):
    consultation = _consultation(request, slug)
    require(request.auth, "consultations.manage", consultation)
    session = selectors.session_get(consultation=consultation, pk=session_id)
    data = _session_relations(consultation, payload.dict(exclude_unset=True))
    _session_save(request, consultation, data, session)
    return session_out(selectors.session_get(consultation=consultation, pk=session.pk))


@router.delete(
    "/consultations/{slug}/sessions/{session_id}", response={204: None, 409: Problem, **ERRORS}, auth=TokenAuth()
)
def session_delete(request, slug: str, session_id: int):
    consultation = _consultation(request, slug)
    services.session_delete(actor=request.auth, session=selectors.session_get(consultation=consultation, pk=session_id))
    return Status(204, None)


@router.post("/consultations/{slug}/rooms", response={201: RoomOut, **ERRORS}, auth=TokenAuth())
def room_create(request, slug: str, payload: RoomIn):
    return Status(
        201, services.room_save(actor=request.auth, consultation=_consultation(request, slug), **payload.dict())
    )


@router.post("/consultations/{slug}/key-questions", response={201: KeyQuestionOut, **ERRORS}, auth=TokenAuth())
def key_question_create(request, slug: str, payload: KeyQuestionIn):
    return Status(
        201, services.key_question_save(actor=request.auth, consultation=_consultation(request, slug), **payload.dict())
    )
