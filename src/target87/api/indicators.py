"""Indicators of target 8.7: the catalogue, today's observations and the vintages they come from.

Reads are public for published vintages; a token of a statistician shows every vintage, as the web pages do.
Observations are in the SDG shape (series, REF_AREA as ISO3 or an aggregate's code with its UN M49 number
beside it, TIME_PERIOD, SEX, AGE, URBANISATION, REPORTING_TYPE, OBS_VALUE and its bounds); a value given without a
number ("<0.1", "NA") has ``value`` null and the text in ``value_text``.
"""

# No ``from __future__ import annotations``: ninja reads a paginated endpoint's annotations in its own namespace.

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from target87.engines import sdmx
from target87.indicators import data
from target87.indicators.models import Series, Vintage

from .auth import OPTIONAL, OptionalTokenAuth
from .inputs import Page
from .schemas import ERRORS

router = Router(tags=["indicators"], auth=OptionalTokenAuth())


class SeriesOut(Schema):
    code: str
    name: str
    indicator: str
    kind: str
    unit: str
    direction: str
    target_value: float | None
    target_year: int | None
    source: str
    definition: str


class ObservationOut(Schema):
    series: str
    ref_area: str
    ref_area_m49: str
    time_period: str
    sex: str
    age: str
    urbanisation: str
    reporting_type: str
    value: float | None
    value_text: str
    lower_bound: float | None
    upper_bound: float | None
    unit_measure: str
    nature: str
    source: str
    vintage: str
    illustrative: bool


class VintageOut(Schema):
    uuid: str
    kind: str
    label: str
    file_name: str
    published: bool
    illustrative: bool
    created_at: str
    flagged: list[dict]


class ObservationFilters(Schema):
    series: str = Field("", max_length=40, description="A series code, e.g. SL_TLF_CHLDEC")
    ref_area: str = Field("", max_length=12, description="ISO3 code of a country, or an aggregate's code")


def _observation_out(obs) -> dict:
    return {
        "series": obs.series.code,
        "ref_area": obs.ref_area,
        "ref_area_m49": sdmx.m49(obs.ref_area),
        "time_period": obs.time_period,
        "sex": obs.sex,
        "age": obs.age,
        "urbanisation": obs.urbanisation,
        "reporting_type": obs.reporting_type,
        "value": obs.value,
        "value_text": obs.value_text,
        "lower_bound": obs.lower_bound,
        "upper_bound": obs.upper_bound,
        "unit_measure": obs.unit_measure or obs.series.unit,
        "nature": obs.nature,
        "source": obs.source,
        "vintage": str(obs.vintage.uuid),
        "illustrative": obs.vintage.illustrative,
    }


def _vintage_out(vintage: Vintage) -> dict:
    return {
        "uuid": str(vintage.uuid),
        "kind": vintage.kind,
        "label": vintage.label,
        "file_name": vintage.file_name,
        "published": vintage.published,
        "illustrative": vintage.illustrative,
        "created_at": vintage.created_at.isoformat(),
        "flagged": vintage.flagged,
    }


@router.get("/indicators/series", response={200: list[SeriesOut], **ERRORS}, openapi_extra=OPTIONAL)
def series_list(request):
    """The catalogue: unit, desired direction, target value and year, source and definition of each series."""
    return list(Series.objects.all())


@router.get(
    "/indicators/observations",
    response={200: list[ObservationOut], **ERRORS},
    summary="Today's observations: the latest vintage holding each key",
    openapi_extra=OPTIONAL,
)
@paginate(Page)
def observation_list(request, filters: Query[ObservationFilters]):
    query = {}
    if filters.series:
        query["series__code"] = filters.series
    if filters.ref_area:
        query["ref_area"] = filters.ref_area.upper() if len(filters.ref_area) == 3 else filters.ref_area
    return [_observation_out(o) for o in data.current(user=request.user, **query)]


@router.get("/indicators/vintages", response={200: list[VintageOut], **ERRORS}, openapi_extra=OPTIONAL)
@paginate(Page)
def vintage_list(request):
    return [_vintage_out(v) for v in data.vintages_visible(request.user)]


@router.get(
    "/indicators/vintages/{uuid}/observations",
    response={200: list[ObservationOut], **ERRORS},
    openapi_extra=OPTIONAL,
)
@paginate(Page)
def vintage_observations(request, uuid: str):
    vintage = get_object_or_404(data.vintages_visible(request.user), uuid=uuid)
    return [_observation_out(o) for o in data.vintage_observations(vintage).select_related("vintage")]
