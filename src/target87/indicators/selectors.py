"""Reading estimations and observations, and shaping a result for the page (tables and chart)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from target87.core import countries

from .data import current
from .enums import TABLE_LABELS, TOTAL, VARIABLE_LABELS, Age
from .models import Estimation, Observation, Series


def estimation_get(*, uuid, user) -> Estimation:
    """The estimation, if ``user`` may use it (404 when it does not exist, 403 when it is someone else's)."""
    estimation = get_object_or_404(Estimation.objects.select_related("job", "created_by"), uuid=uuid)
    if not user.has_perm("indicators.use_estimation", estimation):
        raise PermissionDenied
    return estimation


def estimation_list(*, user, limit: int = 20) -> QuerySet[Estimation]:
    queryset = Estimation.objects.all() if user.is_superuser else Estimation.objects.filter(created_by=user)
    return queryset.defer("result", "columns")[:limit]


def observation_summary() -> list[dict]:
    """One line per series and country of today's data: how many observations, the latest year."""
    rows: dict[tuple[str, str], dict] = {}
    for obs in current(published_only=False):
        row = rows.setdefault(
            (obs.series.code, obs.ref_area),
            {"series__code": obs.series.code, "series__name": obs.series.name, "ref_area": obs.ref_area,
             "count": 0, "latest": obs.time_period},
        )  # fmt: skip
        row["count"] += 1
        row["latest"] = max(row["latest"], obs.time_period)
    return [{**row, "country": countries.name(row["ref_area"])} for row in rows.values()]


def observation_list(*, series: Series, ref_area: str) -> list[Observation]:
    """Today's observations of a series in a country (the latest vintage holding each key), latest year first;
    within a year the age groups in their own order (5–11, 12–14, 15–17, 5–17…), not as text."""
    rows = current(published_only=False, series=series, ref_area=ref_area)
    ages = {code: position for position, code in enumerate(Age.values)}
    rows = sorted(rows, key=lambda o: (o.source, ages.get(o.age, len(ages)), o.sex, o.urbanisation))
    return sorted(rows, key=lambda o: o.time_period, reverse=True)


# -- a result on the page ---------------------------------------------------------------------------------
@dataclass
class Domain:
    label: str
    n: int
    estimate: float | None
    se: float | None
    ci_lower: float | None
    ci_upper: float | None
    number: float | None
    categories: dict

    @property
    def empty(self) -> bool:
        return self.estimate is None


@dataclass
class Table:
    key: str
    title: str
    variables: list[str]
    headers: list[str]
    domains: list[Domain] = field(default_factory=list)


def _category(variable: str, value: str) -> str:
    if value == TOTAL:
        return _("all")
    return value


def result_tables(result: dict) -> list[Table]:
    """The total, then one table per ``by`` asked for, in the order asked."""
    by_key: dict[tuple[str, ...], Table] = {}
    total = Table(key="total", title=_("All children aged 5–17"), variables=[], headers=[])
    by_key[()] = total
    for variables in result.get("tables", []):
        key = ",".join(variables)
        title = str(TABLE_LABELS.get(key, ", ".join(variables)))
        by_key[tuple(variables)] = Table(
            key=key,
            title=title,
            variables=list(variables),
            headers=[str(VARIABLE_LABELS.get(v, v)) for v in variables],
        )
    for row in result.get("rows", []):
        cats = row["categories"]
        used = tuple(v for v in result.get("variables", []) if cats.get(v, TOTAL) != TOTAL)
        table = by_key.get(used)
        if table is None:  # a table whose variables came in another order
            table = next((t for k, t in by_key.items() if set(k) == set(used)), None)
            if table is None:
                continue
        label = " · ".join(_category(v, cats[v]) for v in table.variables) or _("Total")
        table.domains.append(
            Domain(
                label=label,
                n=row["n"],
                estimate=row["estimate"],
                se=row["se"],
                ci_lower=row["ci_lower"],
                ci_upper=row["ci_upper"],
                number=row["number"],
                categories={v: cats[v] for v in table.variables},
            )
        )
    return [t for t in by_key.values() if t.domains]


# -- the chart: estimate by domain with its interval, as SVG ------------------------------------------------
@dataclass
class ChartRow:
    y: float
    label: str
    text: str
    empty: bool
    x: float = 0.0
    x_lower: float = 0.0
    x_upper: float = 0.0

    @property
    def y_top(self) -> float:
        return self.y - 5

    @property
    def y_bottom(self) -> float:
        return self.y + 5


@dataclass
class Chart:
    width: int
    height: int
    left: int
    plot_width: int
    heads: list[tuple[float, str]]
    rows: list[ChartRow]
    ticks: list[tuple[float, str]]
    top: int
    bottom: int
    level: int


ROW_HEIGHT = 22
HEAD_HEIGHT = 26


def result_chart(tables: list[Table], level: float) -> Chart:
    """Horizontal: one line per domain, a dot at the estimate and a bar over the interval, 0 to a round maximum."""
    highest = max(
        [d.ci_upper for t in tables for d in t.domains if d.ci_upper is not None]
        + [d.estimate for t in tables for d in t.domains if d.estimate is not None]
        + [1.0]
    )
    step = 5 if highest <= 25 else 10 if highest <= 60 else 20
    top_value = min(100, step * -(-highest // step))
    width, left, right = 520, 150, 16
    plot = width - left - right
    y = 30.0
    heads, rows = [], []
    for table in tables:
        heads.append((y + 12, table.title))
        y += HEAD_HEIGHT
        for d in table.domains:
            row = ChartRow(
                y=y + ROW_HEIGHT / 2,
                label=d.label,
                empty=d.empty,
                text=_("no child in the sample") if d.empty else f"{d.estimate:.1f} %",
            )
            if not d.empty:

                def pos(v):
                    return round(left + plot * max(0.0, min(v, top_value)) / top_value, 2)

                row.x = pos(d.estimate)
                row.x_lower = pos(d.ci_lower if d.ci_lower is not None else d.estimate)
                row.x_upper = pos(d.ci_upper if d.ci_upper is not None else d.estimate)
            rows.append(row)
            y += ROW_HEIGHT
        y += 6
    ticks = []
    value = 0
    while value <= top_value:
        ticks.append((round(left + plot * value / top_value, 2), f"{value:g} %"))
        value += step
    return Chart(
        width=width,
        height=int(y + 24),
        left=left,
        plot_width=plot,
        heads=heads,
        rows=rows,
        ticks=ticks,
        top=22,
        bottom=int(y),
        level=round(100 * level),
    )
