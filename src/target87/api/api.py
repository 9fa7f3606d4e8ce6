"""The REST API: ``/api/v1/…``, OpenAPI 3 at ``/api/openapi.json``, interactive docs at ``/api/docs``.

Reads are public for published consultations. Writes need a bearer token (``target87 create-api-token``)
of a user allowed to make the change (a convener; for contributions, a facilitator or rapporteur too). A token
sent with a read shows what its user may see: drafts and ballots being prepared to the conveners. Every error
is RFC 9457 problem details with a 4xx status.

Lists of contributions, recommendations and ballots come a page at a time (``?limit=&offset=``, answered as
``{"items": […], "count": n}``). Consultations and their programme are in this module, contributions and
recommendations in ``deliberation.py``, ballots and their results in ``priorities.py``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

import target87
from target87.consultations import selectors, services
from target87.consultations.models import Consultation, Session

from . import commitments, deliberation, live, priorities
from .auth import TokenAuth
from .errors import in_payload_terms
from .schemas import (
    ERRORS,
    ConsultationIn,
    ConsultationOut,
    ConsultationPatch,
    KeyQuestionIn,
    KeyQuestionOut,
    RoomIn,
    RoomOut,
    SessionIn,
    SessionOut,
    SessionPatch,
)

api = NinjaAPI(
    title="Target 8.7 API",
    version=target87.__version__,
    description=__doc__,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
PROBLEM = "application/problem+json"


def problem(request, status: int, title: str, detail: str, errors: list[dict] | None = None):
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM
    return response


@api.exception_handler(NinjaValidationError)
def _invalid_payload(request, exc: NinjaValidationError):
    errors = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", []) if part not in ("body", "payload", "query", "path")]
        errors.append({"field": ".".join(location), "message": error.get("msg", "")})
    fields = ", ".join(e["field"] for e in errors if e["field"]) or "—"
    return problem(
        request, 422, _("Invalid request"), _("Check these fields: %(fields)s.") % {"fields": fields}, errors
    )


@api.exception_handler(ValidationError)
def _service_error(request, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        errors = [{"field": f, "message": m} for f, ms in exc.message_dict.items() for m in ms]
    else:
        errors = [{"field": "", "message": m} for m in exc.messages]
    return problem(request, 422, _("The change was refused"), " ".join(e["message"] for e in errors), errors)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return problem(request, 403, _("Forbidden"), _("Your token does not allow this change."))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problem(request, 404, _("Not found"), _("There is nothing at this address."))


@api.exception_handler(AuthenticationError)
def _unauthorised(request, exc):
    response = problem(
        request,
        401,
        _("Authentication required"),
        _("Send a bearer token in the Authorization header: Authorization: Bearer <token>."),
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return problem(request, exc.status_code, _("Request refused"), str(exc))


v1 = Router(tags=["consultations"])


def _consultation(request, slug: str) -> Consultation:
    return selectors.consultation_get(slug=slug, user=request.user)


def _session_out(session: Session) -> dict:
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


@v1.get("/consultations", response=list[ConsultationOut], summary="Published consultations")
def consultation_list(request):
    return list(selectors.consultation_list_public())


@v1.get("/consultations/{slug}", response={200: ConsultationOut, **ERRORS})
def consultation_detail(request, slug: str):
    return _consultation(request, slug)


@v1.get("/consultations/{slug}/sessions", response={200: list[SessionOut], **ERRORS})
def session_list(request, slug: str):
    return [_session_out(s) for s in selectors.session_queryset(_consultation(request, slug))]


@v1.get("/consultations/{slug}/sessions/{session_id}", response={200: SessionOut, **ERRORS})
def session_detail(request, slug: str, session_id: int):
    return _session_out(selectors.session_get(consultation=_consultation(request, slug), pk=session_id))


@v1.get("/consultations/{slug}/rooms", response={200: list[RoomOut], **ERRORS})
def room_list(request, slug: str):
    return list(_consultation(request, slug).rooms.all())


@v1.get("/consultations/{slug}/key-questions", response={200: list[KeyQuestionOut], **ERRORS})
def key_question_list(request, slug: str):
    return list(_consultation(request, slug).key_questions.all())


# --- writes (conveners, with a token) -------------------------------------------------------------


@v1.post("/consultations", response={201: ConsultationOut, **ERRORS}, auth=TokenAuth())
def consultation_create(request, payload: ConsultationIn):
    return Status(201, services.consultation_create(actor=request.auth, **payload.dict()))


@v1.patch("/consultations/{slug}", response={200: ConsultationOut, **ERRORS}, auth=TokenAuth())
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


@v1.post("/consultations/{slug}/sessions", response={201: SessionOut, **ERRORS}, auth=TokenAuth())
def session_create(request, slug: str, payload: SessionIn):
    consultation = _consultation(request, slug)
    data = _session_relations(consultation, payload.dict())
    session = _session_save(request, consultation, data)
    return Status(201, _session_out(selectors.session_get(consultation=consultation, pk=session.pk)))


@v1.patch("/consultations/{slug}/sessions/{session_id}", response={200: SessionOut, **ERRORS}, auth=TokenAuth())
def session_update(request, slug: str, session_id: int, payload: SessionPatch):
    consultation = _consultation(request, slug)
    session = selectors.session_get(consultation=consultation, pk=session_id)
    data = _session_relations(consultation, payload.dict(exclude_unset=True))
    _session_save(request, consultation, data, session)
    return _session_out(selectors.session_get(consultation=consultation, pk=session.pk))


@v1.delete("/consultations/{slug}/sessions/{session_id}", response={204: None, **ERRORS}, auth=TokenAuth())
def session_delete(request, slug: str, session_id: int):
    consultation = _consultation(request, slug)
    services.session_delete(actor=request.auth, session=selectors.session_get(consultation=consultation, pk=session_id))
    return Status(204, None)


@v1.post("/consultations/{slug}/rooms", response={201: RoomOut, **ERRORS}, auth=TokenAuth())
def room_create(request, slug: str, payload: RoomIn):
    return Status(
        201, services.room_save(actor=request.auth, consultation=_consultation(request, slug), **payload.dict())
    )


@v1.post("/consultations/{slug}/key-questions", response={201: KeyQuestionOut, **ERRORS}, auth=TokenAuth())
def key_question_create(request, slug: str, payload: KeyQuestionIn):
    return Status(
        201, services.key_question_save(actor=request.auth, consultation=_consultation(request, slug), **payload.dict())
    )


api.add_router("/v1/", v1)
api.add_router("/v1/", deliberation.router)
api.add_router("/v1/", priorities.router)
api.add_router("/v1/", commitments.router)
api.add_router("/v1/", live.router)
