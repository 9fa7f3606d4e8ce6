"""Reading the observation store: what the data say today, a vintage, the differences between two vintages.

What the data say today is, for each key (series, area, year, sex, age, urbanisation, reporting type), the
observation of the latest vintage that holds it: a later import of a few countries revises those countries and
leaves the others as they were. The public sees the published vintages; statisticians see all of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from target87.engines import sdmx

from .models import Observation, Series, Vintage

KEY_FIELDS = ("series_id", "ref_area", "time_period", "sex", "age", "urbanisation", "reporting_type")
COMPARED = ("value", "value_text", "lower_bound", "upper_bound", "unit_measure", "nature", "source")


def may_see_unpublished(user) -> bool:
    return bool(user is not None and user.has_perm("indicators.view_observations"))


def vintages_visible(user) -> QuerySet[Vintage]:
    queryset = Vintage.objects.select_related("created_by").annotate(rows=Count("observations"))
    return queryset if may_see_unpublished(user) else queryset.filter(published=True)


def current(*, user=None, published_only: bool | None = None, **filters) -> list[Observation]:
    """Today's observations (the latest vintage holding each key), filtered by Observation fields."""
    if published_only is None:
        published_only = not may_see_unpublished(user)
    queryset = Observation.objects.filter(vintage__isnull=False, **filters).select_related("series", "vintage")
    if published_only:
        queryset = queryset.filter(vintage__published=True)
    latest: dict[tuple, Observation] = {}
    for obs in queryset.order_by("-vintage__created_at", "-vintage_id"):
        latest.setdefault(tuple(getattr(obs, f) for f in KEY_FIELDS), obs)
    return sorted(latest.values(), key=lambda o: (o.series.position, o.series.code, o.ref_area, o.time_period,
                                                 o.reporting_type, o.sex, o.age, o.urbanisation))  # fmt: skip


def record_of(obs: Observation) -> sdmx.Record:
    """The observation as the engine's record, for the SDMX-CSV and Open SDG writers."""
    return sdmx.Record(
        series=obs.series.code,
        ref_area=obs.ref_area,
        time_period=obs.time_period,
        value=obs.value,
        sex=obs.sex,
        age=obs.age,
        urbanisation=obs.urbanisation,
        reporting_type=obs.reporting_type,
        value_text=obs.value_text,
        lower=obs.lower_bound,
        upper=obs.upper_bound,
        unit=obs.unit_measure or obs.series.unit,
        nature=obs.nature,
        source=obs.source,
    )


def vintage_observations(vintage: Vintage) -> QuerySet[Observation]:
    return vintage.observations.select_related("series").order_by(
        "series__position", "series__code", "ref_area", "time_period", "reporting_type", "sex", "age", "urbanisation"
    )


@dataclass
class Change:
    kind: str  # "added", "removed", "revised"
    key: str
    before: Observation | None
    after: Observation | None

    @property
    def fields(self) -> list[str]:
        if self.before is None or self.after is None:
            return []
        return [f for f in COMPARED if getattr(self.before, f) != getattr(self.after, f)]


def _key(obs: Observation) -> tuple:
    return tuple(getattr(obs, f) for f in KEY_FIELDS)


def _label(obs: Observation) -> str:
    return " ".join([obs.series.code, obs.ref_area, obs.time_period, obs.sex, obs.age, obs.urbanisation,
                     obs.reporting_type])  # fmt: skip


def vintage_diff(before: Vintage, after: Vintage, *, series: Series | None = None) -> list[Change]:
    """What changed from one vintage to another: observations added, removed and revised (in any field)."""
    query = Q(series=series) if series is not None else Q()
    old = {_key(o): o for o in vintage_observations(before).filter(query)}
    new = {_key(o): o for o in vintage_observations(after).filter(query)}
    changes = []
    for key in sorted(set(old) | set(new), key=lambda k: tuple(str(p) for p in k)):
        a, b = old.get(key), new.get(key)
        if a is None:
            changes.append(Change("added", _label(b), None, b))
        elif b is None:
            changes.append(Change("removed", _label(a), a, None))
        elif any(getattr(a, f) != getattr(b, f) for f in COMPARED):
            changes.append(Change("revised", _label(a), a, b))
    return changes
