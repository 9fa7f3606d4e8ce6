"""What the country and sub-region dashboards show, assembled from today's observations.

A series' headline is its total (both sexes, all areas, ages 5–17 or all ages); where a year has both the
global and the national figure, the global one (as the SDG database reports it) is shown. Charts come with their
data as a table; the progress methods are side by side, each with the probability that its label holds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from target87.core import countries

from . import charts
from .catalogue import ASSESSED
from .data import current
from .enums import SeriesKind
from .hooks import actions_aiming_at
from .models import Observation, Series
from .progress import Verdict, assess_all

HEADLINE_AGES = ("Y5T17", "_T")
Z95 = 1.959963984540054

SUBREGION_NAME = gettext_lazy("East and South-East Asia and the Pacific")
#: the sub-region's countries, each at its place on the tile-grid map (column, row)
SUBREGION = {
    "MNG": (4, 0), "PRK": (6, 0), "JPN": (7, 0), "CHN": (4, 1), "KOR": (6, 1),
    "MMR": (2, 2), "LAO": (3, 2), "VNM": (4, 2), "PHL": (6, 2),
    "THA": (2, 3), "KHM": (3, 3), "BRN": (5, 3),
    "MYS": (2, 4), "SGP": (3, 4),
    "IDN": (3, 5), "TLS": (5, 5), "PNG": (6, 5), "SLB": (7, 5), "KIR": (9, 5),
    "VUT": (7, 6), "FJI": (8, 6), "WSM": (9, 6), "TON": (9, 7),
}  # fmt: skip
#: aggregates shown as reference figures on the sub-region page
REFERENCE_AREAS = ("ILO_AP", "753", "35", "30", "9")


@dataclass
class Point:
    year: int
    value: float | None
    lower: float | None
    upper: float | None
    obs: Observation

    @property
    def level_percent(self) -> int:
        """The interval's level: the estimation's own when it came from one, else 95 % (the SDG database's)."""
        level = (self.obs.provenance or {}).get("options", {}).get("level")
        try:
            return round(100 * float(level)) if level else 95
        except (TypeError, ValueError):
            return 95

    def as_dict(self) -> dict:
        return {"year": self.year, "value": self.value, "lower": self.lower, "upper": self.upper}


def headline(observations: list[Observation]) -> list[Point]:
    """One point a year: the total domain, the global figure before the national one."""
    best: dict[int, Observation] = {}
    for obs in observations:
        if obs.sex != "_T" or obs.urbanisation != "_T" or obs.age not in HEADLINE_AGES:
            continue
        try:
            year = int(obs.time_period[:4])
        except ValueError:
            continue
        rank = (obs.reporting_type != "G", HEADLINE_AGES.index(obs.age))
        known = best.get(year)
        if known is None or rank < (known.reporting_type != "G", HEADLINE_AGES.index(known.age)):
            best[year] = obs
    return [Point(y, o.value, o.lower_bound, o.upper_bound, o) for y, o in sorted(best.items())]


def unit_of(series: Series) -> str:
    return series.unit_label or series.get_kind_display()


def verdicts_for(series: Series, points: list[Point], draws: int = 1000) -> tuple[Verdict, ...]:
    if series.kind not in ASSESSED or series.target_value is None or not series.target_year:
        return ()
    usable = tuple((p.year, p.value, p.lower, p.upper) for p in points if p.value is not None)
    if not usable:
        return ()
    return assess_all(usable, target_value=series.target_value, target_year=series.target_year,
                      direction=series.direction, draws=draws)  # fmt: skip


@dataclass
class Panel:
    """One indicator on the country page."""

    series: Series
    points: list[Point]
    verdicts: tuple[Verdict, ...] = ()
    actions: list | None = None
    spec: dict = field(default_factory=dict)

    @property
    def latest(self) -> Point | None:
        numbered = [p for p in self.points if p.value is not None]
        return numbered[-1] if numbered else None

    @property
    def illustrative(self) -> bool:
        return any(p.obs.vintage.illustrative for p in self.points)

    @property
    def sources(self) -> list[str]:
        return sorted({p.obs.source for p in self.points if p.obs.source})

    @property
    def svg(self) -> str:
        return charts.svg(self.spec) if self.spec else ""


def panel_spec(series: Series, points: list[Point]) -> dict:
    return charts.trend_spec(
        [p.as_dict() for p in points if p.value is not None],
        unit=unit_of(series),
        target_value=series.target_value,
        target_year=series.target_year,
        title=series.code,
    )


def country_panels(*, iso3: str, user) -> tuple[list[Panel], list[dict]]:
    """The country's indicator panels (with data) and its ratifications: [{"series", "year", "illustrative"}]."""
    observations = current(user=user, ref_area=iso3)
    by_series: dict[int, list[Observation]] = {}
    for obs in observations:
        by_series.setdefault(obs.series_id, []).append(obs)
    panels, ratifications = [], []
    for series in Series.objects.exclude(kind=SeriesKind.POPULATION):
        points = headline(by_series.get(series.pk, []))
        if series.kind == SeriesKind.RATIFICATION:
            ratified = [p for p in points if p.value]
            ratifications.append({
                "series": series,
                "year": ratified[0].year if ratified else None,
                "illustrative": any(p.obs.vintage.illustrative for p in ratified),
                "source": ratified[0].obs.source if ratified else "",
            })  # fmt: skip
            continue
        if not points:
            continue
        panels.append(Panel(series, points, verdicts_for(series, points), spec=panel_spec(series, points)))
    actions = actions_aiming_at(country=iso3, series_codes=[p.series.code for p in panels])
    for panel in panels:
        panel.actions = None if actions is None else actions.get(panel.series.code, [])
    return panels, ratifications


def panel_get(*, iso3: str, code: str, user) -> Panel | None:
    series = Series.objects.filter(code=code).first()
    if series is None:
        return None
    points = headline(current(user=user, ref_area=iso3, series=series))
    if not points:
        return None
    return Panel(series, points, spec=panel_spec(series, points))


# -- the sub-region ------------------------------------------------------------------------------------------
@dataclass
class Row:
    code: str
    name: str
    point: Point | None
    population: float | None = None
    verdict: Verdict | None = None


@dataclass
class Aggregate:
    label: str
    value: float | None
    lower: float | None
    upper: float | None
    countries: int
    note: str = ""


def _se(point: Point) -> float | None:
    if point.lower is None or point.upper is None:
        return None
    return (point.upper - point.lower) / (2 * Z95)


def aggregates(rows: list[Row]) -> list[Aggregate]:
    """ESCAP-style unweighted mean of the countries' latest values, and the population-weighted mean over the
    countries whose population is given. Each has a 95 % interval when every country has one, taking the
    countries' estimates as independent (and the populations as known)."""
    with_value = [r for r in rows if r.point is not None and r.point.value is not None]
    out = []
    if with_value:
        n = len(with_value)
        mean = sum(r.point.value for r in with_value) / n
        ses = [_se(r.point) for r in with_value]
        half = Z95 * math.sqrt(sum(s * s for s in ses)) / n if all(s is not None for s in ses) else None
        out.append(Aggregate(_("Unweighted mean of the countries (ESCAP)"), mean,
                             None if half is None else mean - half, None if half is None else mean + half, n))  # fmt: skip
    weighted = [r for r in with_value if r.population]
    if weighted:
        total = sum(r.population for r in weighted)
        mean = sum(r.point.value * r.population for r in weighted) / total
        ses = [_se(r.point) for r in weighted]
        half = None
        if all(s is not None for s in ses):
            half = Z95 * math.sqrt(sum((s * r.population) ** 2 for s, r in zip(ses, weighted, strict=True))) / total
        note = _("%(n)d of %(m)d countries have a population given.") % {"n": len(weighted), "m": len(with_value)}
        out.append(Aggregate(_("Population-weighted mean"), mean, None if half is None else mean - half,
                             None if half is None else mean + half, len(weighted), note))  # fmt: skip
    return out


@dataclass
class Comparison:
    series: Series
    rows: list[Row]
    aggregates: list[Aggregate]
    references: list[Observation]
    interval_spec: dict
    map_spec: dict

    @property
    def illustrative(self) -> bool:
        return any(r.point and r.point.obs.vintage.illustrative for r in self.rows)

    @property
    def interval_svg(self) -> str:
        return charts.svg(self.interval_spec)

    @property
    def map_svg(self) -> str:
        return charts.svg(self.map_spec)


def _population(points: list[Point], year: int) -> float | None:
    numbered = [p for p in points if p.value]
    if not numbered:
        return None
    return min(numbered, key=lambda p: (abs(p.year - year), -p.year)).value


def region_comparisons(*, user, method: str = "escap-api", draws: int = 400) -> list[Comparison]:
    observations = current(user=user, ref_area__in=[*SUBREGION, *REFERENCE_AREAS])
    grouped: dict[tuple[str, str], list[Observation]] = {}
    for obs in observations:
        grouped.setdefault((obs.series.code, obs.ref_area), []).append(obs)
    comparisons = []
    for series in Series.objects.filter(kind__in=ASSESSED):
        rows = []
        for code in SUBREGION:
            points = headline(grouped.get((series.code, code), []))
            numbered = [p for p in points if p.value is not None]
            if not numbered:
                continue
            latest = numbered[-1]
            verdict = next((v for v in verdicts_for(series, points, draws) if v.method == method), None)
            population = _population(headline(grouped.get(("SP_POP_5T17", code), [])), latest.year)
            rows.append(Row(code, countries.name(code), latest, population, verdict))
        if not rows:
            continue
        references = [p.obs for area in REFERENCE_AREAS for p in headline(grouped.get((series.code, area), []))]
        comparisons.append(Comparison(series, rows, aggregates(rows), references,
                                      region_interval_spec(series, rows), region_map_spec(series, rows)))  # fmt: skip
    return comparisons


def region_interval_spec(series: Series, rows: list[Row]) -> dict:
    data = [{"area": r.name, "value": r.point.value, "lower": r.point.lower, "upper": r.point.upper,
             "year": r.point.year} for r in sorted(rows, key=lambda r: -r.point.value)]  # fmt: skip
    return charts.intervals_spec(data, unit=unit_of(series), title=series.code)


def region_map_spec(series: Series, rows: list[Row]) -> dict:
    values = {r.code: r.point for r in rows}
    tiles = []
    for code, (col, row) in SUBREGION.items():
        point = values.get(code)
        tiles.append({"code": code, "col": col, "row": row, "value": point.value if point else None,
                      "text": f"{point.value:.3g} ({point.year})" if point else "—"})  # fmt: skip
    return charts.tile_map_spec(tiles, unit=unit_of(series), title=series.code)


def comparison_get(*, user, code: str) -> Comparison | None:
    return next((c for c in region_comparisons(user=user, draws=0) if c.series.code == code), None)
