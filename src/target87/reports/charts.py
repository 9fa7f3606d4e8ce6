"""Charts of priority results by stakeholder group, drawn on the server without a network: an Altair
(Vega-Lite) heat map turned into SVG (pages and PDF) or PNG (DOCX) by ``vl-convert``. Each chart is also given
as a table beside it, so that what it shows can be read without seeing it."""

from __future__ import annotations

import base64

from django.utils.translation import gettext as _


def _spec(chart: dict) -> dict:
    import altair as alt

    measure = chart["measure"]
    records = []
    for row in chart["rows"]:
        label = f"{row['code']}. {row['title']}"
        label = label if len(label) <= 60 else label[:59] + "…"
        for group in chart["groups"]:
            value = row["cells"].get(group["group"])
            if value is not None:
                records.append({"item": label, "group": group["label"], "value": value, "order": row["overall"]})
    title = _("Place in each stakeholder group") if measure == "rank" else _("Agreement in each stakeholder group (%)")
    scheme = (
        alt.Scale(scheme="blues", reverse=True) if measure == "rank" else alt.Scale(scheme="blues", domain=[0, 100])
    )
    items = [f"{r['code']}. {r['title']}" for r in chart["rows"]]
    items = [i if len(i) <= 60 else i[:59] + "…" for i in items]
    base = alt.Chart(alt.Data(values=records)).encode(
        x=alt.X("group:N", title=None, sort=[g["label"] for g in chart["groups"]], axis=alt.Axis(labelAngle=-35)),
        y=alt.Y("item:N", title=None, sort=items),
    )
    # the figures themselves are in the table beside the chart: no text in the cells (each is drawn as text in
    # the PDF, a second a chart)
    heat = base.mark_rect().encode(
        color=alt.Color("value:Q", title=title, scale=scheme), tooltip=["item:N", "group:N", "value:Q"]
    )
    layered = heat.properties(width=max(200, 45 * len(chart["groups"])), title=chart["ballot"])
    # no named font: the page or the PDF draws the text in its own font stack (and naming one makes vl-convert
    # look it up among every installed font, seconds per chart)
    return layered.configure_view(stroke=None).to_dict(validate=False)


def chart_svg(chart: dict) -> str:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(_spec(chart))


def chart_png(chart: dict, *, scale: float = 2) -> bytes:
    import vl_convert as vlc

    return vlc.vegalite_to_png(_spec(chart), scale=scale)


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def table(chart: dict) -> list[dict]:
    """The chart's figures as table rows: each recommendation, its overall place and its value per group."""
    return [
        {
            "code": row["code"],
            "title": row["title"],
            "overall": row["overall"],
            "values": [row["cells"].get(g["group"]) for g in chart["groups"]],
        }
        for row in chart["rows"]
    ]


def prepare(contents: dict, *, image: str = "svg") -> list[dict]:
    """The report's charts ready to render: each with its table and its picture (``svg`` as a data URI,
    ``png`` as bytes, or ``""`` for none)."""
    prepared = []
    for chart in contents.get("charts", []):
        picture: str | bytes = ""
        if image == "svg":
            picture = svg_data_uri(chart_svg(chart))
        elif image == "png":
            picture = chart_png(chart)
        prepared.append({**chart, "table": table(chart), "image": picture})
    return prepared
