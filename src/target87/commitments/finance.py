"""Money in one currency: totals of committed and spent amounts by source type, year and country, as tables and
charts (Altair, rendered to SVG on the server by vl-convert; no script reaches the browser).

An amount of year Y in currency C is converted with the latest rate of C dated on or before 31 December of Y
(the earliest rate after it when there is none before). The US dollar is the pivot: a rate says how many units
of a currency one dollar buys; between two other currencies the amount goes through the dollar. An amount whose
currency has no rate is left out of the totals and counted in ``missing``.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from target87.core import countries

from .enums import MoneyKind, SourceType
from .models import ExchangeRate, MoneyLine


class Rates:
    """The exchange rates as they are stored, loaded once."""

    def __init__(self) -> None:
        table: dict[str, list[tuple[dt.date, Decimal]]] = defaultdict(list)
        for row in ExchangeRate.objects.order_by("currency", "valid_from"):
            table[row.currency].append((row.valid_from, row.per_usd))
        self.table = dict(table)

    def per_usd(self, currency: str, year: int) -> Decimal | None:
        if currency == "USD":
            return Decimal(1)
        rows = self.table.get(currency)
        if not rows:
            return None
        index = bisect_right([day for day, _rate in rows], dt.date(year, 12, 31))
        return rows[index - 1][1] if index else rows[0][1]

    def convert(self, amount: Decimal, currency: str, to: str, year: int) -> Decimal | None:
        if currency == to:
            return amount
        source, target = self.per_usd(currency, year), self.per_usd(to, year)
        if source is None or target is None:
            return None
        return amount / source * target

    def currencies(self) -> list[str]:
        return sorted({"USD", *self.table})


def totals(*, consultation, currency: str = "USD") -> dict:
    """Committed and spent amounts in ``currency`` by source type, by year and by country, and overall."""
    rates = Rates()
    by = {"source": defaultdict(Decimal), "year": defaultdict(Decimal), "country": defaultdict(Decimal)}
    overall = defaultdict(Decimal)
    rows, missing = [], set()
    lines = MoneyLine.objects.filter(action__consultation=consultation).select_related("action")
    for line in lines:
        value = rates.convert(line.amount, line.currency, currency, line.year)
        if value is None:
            missing.add(line.currency)
            continue
        place = line.action.country or line.action.region
        by["source"][(line.source_type, line.kind)] += value
        by["year"][(line.year, line.kind)] += value
        by["country"][(place, line.kind)] += value
        overall[line.kind] += value
        rows.append(
            {"source": line.source_type, "year": line.year, "country": place, "kind": line.kind, "value": value}
        )
    sources = dict(SourceType.choices)

    def table(name, keys, label):
        return [
            {
                "key": key,
                "label": label(key),
                "committed": by[name].get((key, MoneyKind.COMMITTED), Decimal(0)),
                "spent": by[name].get((key, MoneyKind.SPENT), Decimal(0)),
            }
            for key in keys
        ]

    return {
        "currency": currency,
        "currencies": rates.currencies(),
        "missing": sorted(missing),
        "committed": overall[MoneyKind.COMMITTED],
        "spent": overall[MoneyKind.SPENT],
        "by_source": table(
            "source", [s for s in sources if any(k[0] == s for k in by["source"])], lambda k: sources[k]
        ),
        "by_year": table("year", sorted({k[0] for k in by["year"]}), str),
        "by_country": table(
            "country", sorted({k[0] for k in by["country"]}), lambda k: countries.name(k) if len(k) == 3 else k
        ),
        "rows": rows,
    }


def _svg(chart) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(chart.to_dict())


def charts(data: dict) -> dict[str, str]:
    """Three bar charts as SVG: committed and spent by source type, by year, by country."""
    if not data["rows"]:
        return {}
    import altair as alt
    import pandas as pd

    kinds = dict(MoneyKind.choices)
    sources = dict(SourceType.choices)
    frame = pd.DataFrame(
        [
            {
                "source": str(sources[r["source"]]),
                "year": str(r["year"]),
                "country": countries.name(r["country"]) if len(r["country"]) == 3 else r["country"],
                "kind": str(kinds[r["kind"]]),
                "value": float(r["value"]),
            }
            for r in data["rows"]
        ]
    )
    amount = _("Amount (%(currency)s)") % {"currency": data["currency"]}
    colour = alt.Color("kind:N", title=None, scale=alt.Scale(range=["#0b5cad", "#b35c00"]))
    made = {}
    for name, column, title in (
        ("source", "source", _("Source")),
        ("year", "year", _("Year")),
        ("country", "country", _("Country or region")),
    ):
        chart = (
            alt.Chart(frame)
            .mark_bar()
            .encode(
                y=alt.Y(f"{column}:N", title=title, sort="ascending" if name == "year" else "-x"),
                x=alt.X("sum(value):Q", title=amount),
                color=colour,
                yOffset="kind:N",
            )
            .properties(width=420)
        )
        made[name] = _svg(chart)
    return made
