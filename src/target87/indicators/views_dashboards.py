"""The dashboards: a country's indicators and the sub-region's comparison, each chart with its table and its
downloads (SVG, PNG, CSV). Public: they show the published vintages (statisticians see all of them)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from target87.core import countries
from target87.core.exporters import csv_bytes

from . import charts, dashboards, data, progress
from .catalogue import ASSESSED

FORMATS = {"svg": "image/svg+xml", "png": "image/png", "csv": "text/csv; charset=utf-8"}


def _country(iso3: str) -> str:
    code = countries.lookup(iso3)
    if code is None or code != iso3.upper():
        raise Http404
    return code


@require_GET
def country_list(request):
    with_data = {o.ref_area for o in data.current(user=request.user) if len(o.ref_area) == 3 and o.ref_area.isalpha()}
    places = [(c, countries.name(c), c in with_data) for c in sorted(set(dashboards.SUBREGION) | with_data)]
    return render(
        request,
        "indicators/countries.html",
        {"places": sorted(places, key=lambda p: p[1]), "region": dashboards.SUBREGION_NAME},
    )


@require_GET
def country(request, iso3):
    code = _country(iso3)
    panels, ratifications = dashboards.country_panels(iso3=code, user=request.user)
    return render(
        request,
        "indicators/country.html",
        {
            "iso3": code,
            "country": countries.name(code),
            "panels": panels,
            "ratifications": ratifications,
            "methods": progress.METHODS,
            "progress_available": progress.available(),
            "illustrative": any(p.illustrative for p in panels) or any(r["illustrative"] for r in ratifications),
            "in_region": code in dashboards.SUBREGION,
        },
    )


def _download(body: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _render(spec: dict, fmt: str, table: tuple[list[str], list[list]], name: str) -> HttpResponse:
    if fmt == "svg":
        return _download(charts.svg(spec).encode("utf-8"), fmt, f"{name}.svg")
    if fmt == "png":
        return _download(charts.png(spec), fmt, f"{name}.png")
    header, rows = table
    return _download(csv_bytes(header, rows), fmt, f"{name}.csv")


@require_GET
def country_chart(request, iso3, code, fmt):
    iso3 = _country(iso3)
    if fmt not in FORMATS:
        raise Http404
    panel = dashboards.panel_get(iso3=iso3, code=code, user=request.user)
    if panel is None:
        raise Http404
    rows = [[p.year, p.value, p.lower, p.upper, p.obs.value_text, p.obs.source] for p in panel.points]
    table = (["year", "value", "lower_bound", "upper_bound", "value_as_given", "source"], rows)
    return _render(panel.spec, fmt, table, f"{iso3}-{code}")


@require_GET
def region(request):
    return render(
        request,
        "indicators/region.html",
        {
            "region": dashboards.SUBREGION_NAME,
            "comparisons": dashboards.region_comparisons(user=request.user),
            "method_name": progress.METHODS["escap-api"],
            "progress_available": progress.available(),
            "members": [(c, countries.name(c)) for c in dashboards.SUBREGION],
        },
    )


@require_GET
def region_chart(request, code, chart, fmt):
    if fmt not in FORMATS or chart not in ("intervals", "map"):
        raise Http404
    comparison = dashboards.comparison_get(user=request.user, code=code)
    if comparison is None or comparison.series.kind not in ASSESSED:
        raise Http404
    spec = comparison.interval_spec if chart == "intervals" else comparison.map_spec
    rows = [[r.code, r.name, r.point.year, r.point.value, r.point.lower, r.point.upper, r.population]
            for r in comparison.rows]  # fmt: skip
    rows += [["", a.label, "", a.value, a.lower, a.upper, ""] for a in comparison.aggregates]
    table = (["ref_area", "name", "year", "value", "lower_bound", "upper_bound", "population_5_17"], rows)
    return _render(spec, fmt, table, f"region-{code}-{chart}")
