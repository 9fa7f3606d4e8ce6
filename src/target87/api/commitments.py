"""Actions and commitments, their history and money, and good practices: the follow-through in public.

Reads are public for published consultations. Writes need a token of a user allowed to make the change: a
country focal point for their country's actions, an organisation's representative for the actions it leads, a
convener for any (and for good practices). An action's history is written by every change and is never changed
or deleted: there is no endpoint that would. Amounts are strings (decimals, never negative); currencies are ISO
4217 codes; recommendations are named by id and must be of the action's consultation.
"""

# No ``from __future__ import annotations`` here: ninja reads a paginated endpoint's annotations in the
# pagination module's namespace (see deliberation.py).
import datetime as dt
from typing import Annotated, Literal

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from target87.commitments import selectors, services
from target87.commitments.enums import ActionStatus, MoneyKind, PartnerRole, SourceType
from target87.commitments.exporters import action_data
from target87.commitments.models import Action, Update
from target87.consultations import selectors as consultation_selectors
from target87.consultations.enums import ThematicArea
from target87.core.errors import ServiceError
from target87.deliberation.models import Recommendation
from target87.indicators.models import Series
from target87.people.models import Organisation

from .auth import OPTIONAL, OptionalTokenAuth, TokenAuth
from .inputs import Id, In, Page, Patch
from .schemas import ERRORS

router = Router(tags=["commitments"], auth=OptionalTokenAuth())

Status_ = Literal[tuple(ActionStatus.values)]  # type: ignore[valid-type]
Percent = Annotated[int, Field(ge=0, le=100)]


class PartnerIO(Schema):
    organisation_id: Id
    organisation: str = ""
    stakeholder_group: str = ""
    role: Literal[tuple(PartnerRole.values)]  # type: ignore[valid-type]


class ActionOut(Schema):
    id: int
    uuid: str
    title: str
    description: str
    country: str
    region: str
    status: str
    progress: int
    overdue: bool
    start_date: dt.date | None
    due_date: dt.date | None
    thematic_areas: list[str]
    partners: list[dict]
    recommendations: list[str]
    indicators: list[str]


class MoneyOut(Schema):
    id: int
    year: int
    kind: str
    amount: str
    currency: str
    source_type: str


class ActionDetailOut(ActionOut):
    money: list[MoneyOut]


class EvidenceOut(Schema):
    label: str
    url: str


class UpdateOut(Schema):
    id: int
    at: dt.datetime
    by: str
    changes: dict
    note: str
    status: str
    progress: int
    evidence: list[EvidenceOut]


class ActionFields(Schema):
    title: str = Field(max_length=250)
    description: str = ""
    country: str = Field("", max_length=60, description="ISO 3166-1 alpha-3")
    region: str = Field("", max_length=120)
    recommendation_ids: list[Id] = Field(min_length=1, max_length=200)
    thematic_areas: list[Literal[tuple(ThematicArea.values)]] = []  # type: ignore[valid-type]
    partners: list[PartnerIO] = Field([], max_length=100)
    start_date: dt.date | None = None
    due_date: dt.date | None = None
    status: Status_ = ActionStatus.PLANNED
    progress: Percent = 0
    indicators: list[str] = Field([], max_length=50, description="SDG series codes")
    note: str = ""
    evidence_links: list[str] = Field([], max_length=20)


class ActionIn(ActionFields, In):
    pass


class ActionPatch(Patch):
    """A partial change: fields left out keep their value (only the dates may be sent as null, to clear them)."""

    NULLABLE = frozenset({"start_date", "due_date"})

    title: str = Field(None, max_length=250)
    description: str = None
    country: str = Field(None, max_length=60)
    region: str = Field(None, max_length=120)
    recommendation_ids: list[Id] = Field(None, min_length=1, max_length=200)
    thematic_areas: list[Literal[tuple(ThematicArea.values)]] = None  # type: ignore[valid-type]
    partners: list[PartnerIO] = Field(None, max_length=100)
    start_date: dt.date | None = None
    due_date: dt.date | None = None
    status: Status_ = None
    progress: Percent = None
    indicators: list[str] = Field(None, max_length=50)
    note: str = None
    evidence_links: list[str] = Field(None, max_length=20)


class MoneyIn(In):
    year: int = Field(ge=1990, le=2100)
    kind: Literal[tuple(MoneyKind.values)]  # type: ignore[valid-type]
    amount: str = Field(max_length=30, description='A decimal, not negative, e.g. "25000.00"')
    currency: str = Field(max_length=10, description="ISO 4217, e.g. USD")
    source_type: Literal[tuple(SourceType.values)]  # type: ignore[valid-type]


class GoodPracticeOut(Schema):
    id: int
    title: str
    description: str
    country: str
    thematic_area: str
    evidence: str
    actors: list[str]
    contributions: list[int]


class GoodPracticeIn(In):
    title: str = Field(max_length=250)
    description: str
    country: str = Field("", max_length=60)
    thematic_area: str = ""
    evidence: str = ""
    organisation_ids: list[Id] = Field([], max_length=100)
    contribution_ids: list[Id] = Field([], max_length=500)


class ActionFilters(Schema):
    country: str = ""
    status: str = ""


def _consultation(request, slug: str):
    return consultation_selectors.consultation_get(slug=slug, user=request.user)


def _action(request, action_id: int) -> Action:
    found = Action.objects.filter(pk=action_id).select_related("consultation").first()
    if found is None:
        raise Http404
    consultation = _consultation(request, found.consultation.slug)
    return selectors.action_get(consultation=consultation, pk=action_id)


def _relations(data: dict) -> dict:
    """The payload's ids and codes as the objects the service takes; an unknown one is refused by name."""
    errors = {}
    if "recommendation_ids" in data:
        ids = data.pop("recommendation_ids")
        data["recommendations"] = list(Recommendation.objects.filter(pk__in=ids).select_related("consultation"))
        if len(data["recommendations"]) != len(set(ids)):
            errors["recommendation_ids"] = ["Some recommendation ids are unknown."]
    if "partners" in data:
        parts = data["partners"]
        orgs = Organisation.objects.in_bulk([p["organisation_id"] for p in parts])
        missing = [p["organisation_id"] for p in parts if p["organisation_id"] not in orgs]
        if missing:
            errors["partners"] = [f"Unknown organisation ids: {', '.join(map(str, missing))}."]
        data["partners"] = [(orgs[p["organisation_id"]], p["role"]) for p in parts if p["organisation_id"] in orgs]
    if "indicators" in data:
        codes = data["indicators"]
        data["indicators"] = list(Series.objects.filter(code__in=codes))
        if len(data["indicators"]) != len(set(codes)):
            errors["indicators"] = ["Some series codes are not in the catalogue."]
    if "evidence_links" in data:
        data["evidence"] = [{"url": url} for url in data.pop("evidence_links") or []]
    if errors:
        raise ServiceError(errors)
    return data


def _update_out(update: Update) -> dict:
    return {
        "id": update.pk,
        "at": update.at,
        "by": update.by_label,
        "changes": update.changes,
        "note": update.note,
        "status": update.status,
        "progress": update.progress,
        "evidence": [{"label": e.label, "url": e.href} for e in update.evidence.all()],
    }


def _detail(action: Action) -> dict:
    money = [
        {
            "id": m.pk,
            "year": m.year,
            "kind": m.kind,
            "amount": str(m.amount),
            "currency": m.currency,
            "source_type": m.source_type,
        }
        for m in action.money.all()
    ]
    return {**action_data(action), "money": money}


@router.get(
    "/consultations/{slug}/actions",
    response={200: list[ActionOut], **ERRORS},
    summary="Actions taken on the recommendations",
    openapi_extra=OPTIONAL,
)
@paginate(Page)
def action_list(request, slug: str, filters: Query[ActionFilters]):
    consultation = _consultation(request, slug)
    status = filters.status if filters.status in ActionStatus.values else ""
    rows = selectors.action_list(consultation=consultation, country=filters.country.upper(), status=status)
    return [action_data(a) for a in rows]


@router.post(
    "/consultations/{slug}/actions",
    response={201: ActionDetailOut, **ERRORS},
    auth=TokenAuth(),
    summary="Add an action (focal points for their country, representatives for their organisation, conveners)",
)
def action_create(request, slug: str, payload: ActionIn):
    consultation = _consultation(request, slug)
    data = _relations(payload.dict())
    made = services.action_create(actor=request.auth, consultation=consultation, **data)
    return Status(201, _detail(selectors.action_get(consultation=consultation, pk=made.pk)))


@router.get("/actions/{action_id}", response={200: ActionDetailOut, **ERRORS}, openapi_extra=OPTIONAL)
def action_detail(request, action_id: int):
    return _detail(_action(request, action_id))


@router.patch("/actions/{action_id}", response={200: ActionDetailOut, **ERRORS}, auth=TokenAuth())
def action_update(request, action_id: int, payload: ActionPatch):
    """A change of the fields sent; with ``note`` and ``evidence_links`` it becomes one entry of the history."""
    action = _action(request, action_id)
    sent = payload.dict(exclude_unset=True)
    data = _relations({k: v for k, v in sent.items() if v is not None or k in ("start_date", "due_date")})
    services.action_update(actor=request.auth, action=action, **data)
    return _detail(selectors.action_get(consultation=action.consultation, pk=action.pk))


@router.get(
    "/actions/{action_id}/updates",
    response={200: list[UpdateOut], **ERRORS},
    summary="The action's history, the latest first",
    openapi_extra=OPTIONAL,
)
@paginate(Page)
def update_list(request, action_id: int):
    return [_update_out(u) for u in selectors.updates_of(actions=[_action(request, action_id)])]


class UpdateIn(In):
    status: Status_ = None
    progress: Percent = None
    due_date: dt.date | None = None
    note: str = ""
    evidence_links: list[str] = Field([], max_length=20)


@router.post(
    "/actions/{action_id}/updates",
    response={201: UpdateOut, **ERRORS},
    auth=TokenAuth(),
    summary="Record where an action stands (status, progress, a note, evidence links)",
)
def update_create(request, action_id: int, payload: UpdateIn):
    action = _action(request, action_id)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k == "due_date"}
    data = _relations(data)
    update = services.action_update(actor=request.auth, action=action, **data)
    return Status(201, _update_out(update))


@router.post("/actions/{action_id}/money", response={201: MoneyOut, **ERRORS}, auth=TokenAuth())
def money_create(request, action_id: int, payload: MoneyIn):
    line = services.money_add(actor=request.auth, action=_action(request, action_id), **payload.dict())
    return Status(201, {**payload.dict(), "id": line.pk, "amount": str(line.amount), "currency": line.currency})


def _practice_out(p) -> dict:
    return {
        "id": p.pk,
        "title": p.title,
        "description": p.description,
        "country": p.country,
        "thematic_area": p.thematic_area,
        "evidence": p.evidence,
        "actors": [o.name for o in p.organisations.all()],
        "contributions": [c.pk for c in p.contributions.all()],
    }


@router.get(
    "/consultations/{slug}/good-practices",
    response={200: list[GoodPracticeOut], **ERRORS},
    openapi_extra=OPTIONAL,
)
@paginate(Page)
def good_practice_list(request, slug: str):
    return [_practice_out(p) for p in selectors.good_practice_list(consultation=_consultation(request, slug))]


@router.post(
    "/consultations/{slug}/good-practices",
    response={201: GoodPracticeOut, **ERRORS},
    auth=TokenAuth(),
    summary="Add a good practice (conveners)",
)
def good_practice_create(request, slug: str, payload: GoodPracticeIn):
    consultation = _consultation(request, slug)
    data = payload.dict()
    organisations = list(Organisation.objects.filter(pk__in=data.pop("organisation_ids")))
    contributions = list(consultation.contributions.filter(pk__in=data.pop("contribution_ids")))
    made = services.good_practice_save(
        actor=request.auth, consultation=consultation, organisations=organisations, contributions=contributions, **data
    )
    return Status(201, _practice_out(made))
