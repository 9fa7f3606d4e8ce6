"""Charts of priority results by stakeholder group, drawn on the server without a network: a heat map (one row per
recommendation, one column per stakeholder group, darker for a higher place or a stronger agreement) written
directly as SVG for the page and the PDF, and turned into PNG for the Word file by ``vl-convert``'s SVG
rasteriser. Each chart is also given as a table beside it, so that what it shows can be read without seeing it.

Why the SVG is written here rather than by Altair/Vega-Lite: the chart is a grid of rectangles with labels, and
the Vega route costs a JavaScript runtime that ``vl-convert`` starts in each process (about 1 s of CPU and 4 s
of wall time on this machine before the first chart, then 0.15 s a chart, plus 0.4 s to import Altair) — a
tenth of the PDF's budget for two small pictures. Written here, a chart takes about a millisecond, and
``svg_to_png`` needs no JavaScript runtime. What it costs in reading: :func:`chart_svg` and its helpers below
(the layout is fixed sizes; label widths are estimated from the number of characters, wide East Asian
characters counting double). The colours are ColorBrewer's "Blues" scale, as Vega's ``blues`` scheme used.
No font is named beyond the report's own: the page or the PDF draws the labels in its font stack, so names in
any script are drawn."""

from __future__ import annotations

import base64
import unicodedata
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import gettext as _

#: ColorBrewer "Blues" (9 classes), light to dark; the lightest is left out so that every cell shows on white.
BLUES = ["#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"]
FONT = "Noto Sans, sans-serif"
CELL_W, CELL_H, LABEL_PX = 45, 20, 11
LABEL_MAX = 60  # characters of a row's label before it is cut with "…"
LEGEND_W = 150


def _label(row: dict) -> str:
    label = f"{row['code']}. {row['title']}"
    return label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1] + "…"


def _text_width(text: str, size: float = LABEL_PX) -> float:
    """An estimate of the width of ``text`` in pixels: wide (East Asian) characters one em, others 0.56 em."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else 0.56 * size for ch in text)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def colour(t: float) -> str:
    """The colour at ``t`` (0 light … 1 dark) of the Blues scale, interpolated between its steps."""
    t = min(1.0, max(0.0, t))
    position = t * (len(BLUES) - 1)
    low = min(int(position), len(BLUES) - 2)
    frac = position - low
    a, b = _rgb(BLUES[low]), _rgb(BLUES[low + 1])
    return "#" + "".join(f"{round(x + (y - x) * frac):02x}" for x, y in zip(a, b, strict=True))


def _scale(chart: dict) -> tuple[float, float, bool]:
    """The domain of the chart's values and whether low values are dark (places: 1 is the darkest)."""
    if chart["measure"] != "rank":
        return 0.0, 100.0, False
    values = [v for row in chart["rows"] for v in row["cells"].values() if v is not None]
    return (min(values, default=1), max(values, default=1), True)


def _shade(value: float, low: float, high: float, reverse: bool) -> str:
    t = 0.5 if high == low else (value - low) / (high - low)
    return colour(1 - t if reverse else t)


def _text(x: float, y: float, text: str, **attrs: str) -> str:
    extra = "".join(f" {k.replace('_', '-')}={quoteattr(v)}" for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(text)}</text>'


def _legend(x: float, y: float, title: str, low: float, high: float, reverse: bool) -> list[str]:
    parts = [_text(x, y, title, font_weight="bold")]
    steps = 5
    width = LEGEND_W / steps
    for i in range(steps):
        value = low + (high - low) * i / (steps - 1)
        fill = _shade(value, low, high, reverse)
        parts.append(f'<rect x="{x + i * width:.1f}" y="{y + 6}" width="{width:.1f}" height="12" fill="{fill}"/>')
    parts.append(_text(x, y + 32, f"{low:g}"))
    parts.append(_text(x + LEGEND_W, y + 32, f"{high:g}", text_anchor="end"))
    return parts


def chart_svg(chart: dict) -> str:
    """The chart as an SVG document: title, one labelled row per recommendation, the stakeholder groups below at
    an angle, and a legend of the scale on the right."""
    labels = [_label(row) for row in chart["rows"]]
    groups = chart["groups"]
    left = 10 + max((_text_width(label) for label in labels), default=0)
    top = 30
    grid_w, grid_h = CELL_W * len(groups), CELL_H * len(labels)
    longest_group = max((_text_width(g["label"]) for g in groups), default=0)
    bottom = 20 + longest_group * 0.58  # the group labels are drawn at -35°: sin 35° ≈ 0.57
    title = (
        _("Place in each stakeholder group")
        if chart["measure"] == "rank"
        else _("Agreement in each stakeholder group (%)")
    )
    width = left + grid_w + 30 + max(LEGEND_W, _text_width(title) * 1.1) + 10
    height = top + grid_h + bottom
    low, high, reverse = _scale(chart)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" font-family="{FONT}" font-size="{LABEL_PX}" fill="#222">',
        f"<title>{escape(chart['ballot'])}</title>",
        '<rect width="100%" height="100%" fill="white"/>',
        _text(left + grid_w / 2, 18, chart["ballot"], font_size="13", font_weight="bold", text_anchor="middle"),
    ]
    for r, (row, label) in enumerate(zip(chart["rows"], labels, strict=True)):
        y = top + r * CELL_H
        parts.append(_text(left - 6, y + CELL_H / 2 + 4, label, text_anchor="end"))
        for c, group in enumerate(groups):
            value = row["cells"].get(group["group"])
            if value is not None:
                fill = _shade(value, low, high, reverse)
                parts.append(
                    f'<rect x="{left + c * CELL_W}" y="{y}" width="{CELL_W}" height="{CELL_H}" fill="{fill}"/>'
                )
    for c, group in enumerate(groups):
        x, y = left + c * CELL_W + CELL_W / 2, top + grid_h + 8
        parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="end" transform="rotate(-35 {x:.1f} {y:.1f})">'
            f"{escape(group['label'])}</text>"
        )
    parts += _legend(left + grid_w + 30, top + 4, title, low, high, reverse)
    parts.append("</svg>")
    return "".join(parts)


def chart_png(chart: dict, *, scale: float = 2) -> bytes:
    import vl_convert as vlc

    return vlc.svg_to_png(chart_svg(chart), scale=scale)


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
