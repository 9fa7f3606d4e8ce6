"""The REST API: ``/api/v1/…``, OpenAPI 3 at ``/api/openapi.json``, interactive docs at ``/api/docs``.

Reads are public for published consultations. Writes need a bearer token (``target87 create-api-token``)
of a user allowed to make the change (a convener; for contributions, a facilitator or rapporteur too). A token
sent with a read shows what its user may see: drafts and ballots being prepared to the conveners. Every error
is RFC 9457 problem details with a 4xx status.

Consultations and their programme are in this module, contributions and recommendations in ``deliberation.py``,
ballots and their results in ``priorities.py``, and so on: one router per app. :data:`DESCRIPTION` is what the
API's readers see.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

import target87
from target87.core.errors import Conflict

from . import commitments, consultations, deliberation, indicators, live, priorities


class ProblemAPI(NinjaAPI):
    """The API, whose description says what it sends: errors as ``application/problem+json``."""

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[PROBLEM] = content.pop("application/json")
        return schema


PROBLEM = "application/problem+json"

DESCRIPTION = """The API of Target 8.7: consultations on SDG target 8.7 (their programme, contributions,
recommendations, ballots and results, live questions, synthesis), the actions taken since, and the indicators.

Reads are public for published consultations. Writes need a bearer token (`target87 create-api-token`) of a user
allowed to make the change (a convener; for contributions, a facilitator or rapporteur too). A token sent with a
read shows what its user may see: drafts and ballots being prepared to the conveners. Every error is RFC 9457
problem details (`application/problem+json`) with a 4xx status.

Every list comes a page at a time (`?limit=&offset=`, answered as `{"items": […], "count": n}`)."""

api = ProblemAPI(
    title="Target 8.7 API",
    version=target87.__version__,
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


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


@api.exception_handler(Conflict)
def _conflict(request, exc: Conflict):
    return problem(request, 409, _("Conflict"), " ".join(exc.messages))


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return problem(request, 403, _("Forbidden"), _("Your token does not allow this change."))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problem(request, 404, _("Not found"), _("There is nothing at this address."))


@api.exception_handler(AuthenticationError)
def _unauthorised(request, exc):
    if request.headers.get("Authorization"):
        detail = _(
            "The token sent is not valid: it is unknown, revoked, or its account is inactive. "
            "Ask a convener for a new one (target87 create-api-token)."
        )
        title = _("Invalid token")
    else:
        detail = _("Send a bearer token in the Authorization header: Authorization: Bearer <token>.")
        title = _("Authentication required")
    response = problem(request, 401, title, detail)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return problem(request, exc.status_code, _("Request refused"), str(exc))


@api.exception_handler(Exception)
def _unexpected(request, exc: Exception):
    """Whatever went wrong, the client gets problem details (never the site's HTML page); the log gets the trace."""
    logger.exception("API request %s %s failed", request.method, request.path)
    return problem(
        request, 500, _("Server error"), _("Something went wrong on our side. Nothing was changed; try again later.")
    )


logger = logging.getLogger(__name__)


api.add_router("/v1/", consultations.router)
api.add_router("/v1/", deliberation.router)
api.add_router("/v1/", priorities.router)
api.add_router("/v1/", commitments.router)
api.add_router("/v1/", live.router)
api.add_router("/v1/", indicators.router)
