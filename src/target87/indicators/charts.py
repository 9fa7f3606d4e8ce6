"""The dashboards' charts: Vega-Lite specifications made with Altair, drawn on the server by vl-convert.

No script runs in the browser and nothing is fetched from elsewhere: each chart is an SVG (shown in the page and
downloadable), a PNG (downloadable) and the table of its data (shown under it and downloadable as CSV). A drawn
chart is kept, keyed by its specification, and so is a specification, keyed by its data: Altair takes a few
tenths of a second to build one. Altair and pandas are imported where a specification is made, not when the site
starts: together they take most of a second to import, and most processes never draw a chart.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from cachetools import LRUCache, cached

WIDTH = 320
BAND = "#9ecae1"
LINE = "#08519c"
TARGET = "#b2182b"
FONT = "sans-serif"

if TYPE_CHECKING:
    import altair as alt


def _key(*args, **kwargs) -> str:
    return json.dumps([args, kwargs], sort_keys=True, default=str)


def _config(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return chart.configure(font=FONT).configure_view(strokeWidth=0).configure_axis(labelFontSize=11, titleFontSize=11)


@cached(LRUCache(maxsize=512), key=_key)
def trend_spec(
    points: list[dict], *, unit: str, target_value: float | None, target_year: int | None, title: str
) -> dict:
    """Line of the values by year over the band of their intervals; the target as a red diamond at its year,
    with a dashed line at its value. ``points``: [{"year", "value", "lower", "upper"}]."""
    import altair as alt
    import pandas as pd

    frame = pd.DataFrame(points, columns=["year", "value", "lower", "upper"])
    years = [p["year"] for p in points] + ([target_year] if target_year else [])
    x = alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1),
              scale=alt.Scale(domain=[min(years) - 1, max(years) + 1] if years else [2000, 2030]))  # fmt: skip
    base = alt.Chart(frame).encode(x=x)
    layers = []
    if frame["lower"].notna().any():
        banded = frame.dropna(subset=["lower", "upper"])
        layers.append(alt.Chart(banded).mark_area(color=BAND, opacity=0.6).encode(x=x, y="lower:Q", y2="upper:Q"))
    layers.append(base.mark_line(color=LINE, point=alt.OverlayMarkDef(color=LINE, size=40)).encode(
        y=alt.Y("value:Q", title=unit, scale=alt.Scale(zero=True)),
        tooltip=["year:Q", "value:Q", "lower:Q", "upper:Q"],
    ))  # fmt: skip
    if target_value is not None and target_year:
        target = pd.DataFrame([{"year": target_year, "value": target_value}])
        layers.append(alt.Chart(target).mark_rule(color=TARGET, strokeDash=[4, 3]).encode(y="value:Q"))
        layers.append(alt.Chart(target).mark_point(shape="diamond", size=90, filled=True, color=TARGET).encode(
            x=x, y="value:Q"
        ))  # fmt: skip
    chart = alt.layer(*layers).properties(width=WIDTH, height=180, title=title)
    return _config(chart).to_dict(validate=False)


@cached(LRUCache(maxsize=512), key=_key)
def intervals_spec(rows: list[dict], *, unit: str, title: str) -> dict:
    """One line per area: a dot at the value, a bar over its interval. ``rows``: [{"area", "value", "lower",
    "upper", "year"}], in the order to show."""
    import altair as alt
    import pandas as pd

    frame = pd.DataFrame(rows, columns=["area", "value", "lower", "upper", "year"])
    order = list(frame["area"])
    y = alt.Y("area:N", sort=order, title=None)
    bars = alt.Chart(frame.dropna(subset=["lower", "upper"])).mark_rule(color=BAND, strokeWidth=6).encode(
        y=y, x="lower:Q", x2="upper:Q"
    )  # fmt: skip
    dots = alt.Chart(frame).mark_point(color=LINE, filled=True, size=50).encode(
        y=y, x=alt.X("value:Q", title=unit, scale=alt.Scale(zero=True)), tooltip=["area", "value", "year"]
    )  # fmt: skip
    chart = alt.layer(bars, dots).properties(width=WIDTH - 60, height=max(60, 18 * len(rows)), title=title)
    return _config(chart).to_dict(validate=False)


@cached(LRUCache(maxsize=512), key=_key)
def tile_map_spec(tiles: list[dict], *, unit: str, title: str) -> dict:
    """A tile-grid map: one square per country at its place on the grid, coloured by its value (grey without
    one). ``tiles``: [{"code", "col", "row", "value", "text"}]."""
    import altair as alt
    import pandas as pd

    frame = pd.DataFrame(tiles, columns=["code", "col", "row", "value", "text"])
    x = alt.X("col:O", axis=None)
    y = alt.Y("row:O", axis=None)
    squares = alt.Chart(frame).mark_rect(stroke="white", strokeWidth=2).encode(
        x=x, y=y,
        color=alt.condition("isValid(datum.value)", alt.Color("value:Q", title=unit, scale=alt.Scale(scheme="oranges")),
                            alt.value("#d9d9d9")),
        tooltip=["code", "text"],
    )  # fmt: skip
    codes = alt.Chart(frame).mark_text(dy=-6, fontSize=10, fontWeight="bold").encode(x=x, y=y, text="code")
    values = alt.Chart(frame).mark_text(dy=7, fontSize=9).encode(x=x, y=y, text="text")
    chart = alt.layer(squares, codes, values).properties(width=WIDTH, height=260, title=title)
    return _config(chart).to_dict(validate=False)


@cached(LRUCache(maxsize=256), key=lambda spec: json.dumps(spec, sort_keys=True))
def svg(spec: dict) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(spec)


def png(spec: dict) -> bytes:
    import vl_convert

    return vl_convert.vegalite_to_png(spec, scale=2)
