"""The official progress assessments of a series, side by side, each with the probability that its label holds.

The methods are those of :mod:`target87.engines.progress` (UNSD's Progress Chart 2022 and 2023, ESCAP's current
status and anticipated progress indices, Open SDG's measure); this module gives them their names and their labels
in the reader's language, and keeps the results a while: a dashboard asks again for the same series often.
"""

from __future__ import annotations

from dataclasses import dataclass

from cachetools import TTLCache, cached
from django.utils.translation import gettext_lazy as _

METHODS = {
    "unsd-2022": _("UN Progress Chart 2022 (ratio of growth rates)"),
    "unsd-2023": _("UN Progress Chart 2023 (expected value)"),
    "escap-csi": _("ESCAP current status index"),
    "escap-api": _("ESCAP anticipated progress index"),
    "opensdg": _("Open SDG progress measure"),
}
LABELS = {
    "on_track": _("On track"),
    "fair": _("Fair progress, acceleration needed"),
    "limited": _("Limited or no progress"),
    "deterioration": _("Deterioration"),
    "stagnation_or_regression": _("Stagnation or regression"),
    "maintain": _("Maintain progress to achieve the target"),
    "accelerate": _("Accelerate progress to achieve the target"),
    "reverse": _("Reverse the trend to achieve the target"),
    "substantial_progress": _("Substantial progress, or target achieved"),
    "moderate_progress": _("Moderate progress"),
    "limited_progress": _("Limited progress"),
    "target_achieved": _("Target achieved"),
    "achieved": _("Target achieved"),
    "not_available": _("Not enough data"),
    "insufficient_data": _("Not enough data"),
    "": _("A score, no label"),
}
#: a class for the label's colour: good, middle, bad, none
TONES = {
    "on_track": "good", "maintain": "good", "substantial_progress": "good", "target_achieved": "good",
    "achieved": "good", "fair": "middle", "accelerate": "middle", "moderate_progress": "middle",
    "limited": "bad", "deterioration": "bad", "stagnation_or_regression": "bad", "reverse": "bad",
    "limited_progress": "bad",
}  # fmt: skip
BASE_YEAR = 2015
DRAWS = 1000


@dataclass(frozen=True)
class Verdict:
    method: str
    label: str
    score: float | None
    probability: float | None
    base_year: int | None
    latest_year: int | None
    notes: tuple[str, ...] = ()

    @property
    def method_name(self) -> str:
        return str(METHODS.get(self.method, self.method))

    @property
    def label_text(self) -> str:
        return str(LABELS.get(self.label, self.label))

    @property
    def tone(self) -> str:
        return TONES.get(self.label, "none")


Point = tuple[int, float, float | None, float | None]


def available() -> bool:
    try:
        from target87.engines import progress  # noqa: F401
    except ImportError:
        return False
    return True


@cached(TTLCache(maxsize=2048, ttl=600))
def assess_all(
    points: tuple[Point, ...], *, target_value: float, target_year: int, direction: str, draws: int = DRAWS
) -> tuple[Verdict, ...]:
    """Every method on ``points`` (year, value, lower, upper); empty when the engine is not installed.

    A method that refuses the series (a target it cannot use) gives its refusal as a note, not an error.
    """
    try:
        from target87.engines import progress
    except ImportError:
        return ()
    points = tuple(sorted(p for p in points if p[1] is not None))
    # a year with one bound only counts as a year without bounds
    bounds = [(lo, hi) if lo is not None and hi is not None else (None, None) for _y, _v, lo, hi in points]
    bounded = any(lo is not None for lo, _hi in bounds)
    series = progress.Series(
        years=tuple(p[0] for p in points),
        values=tuple(p[1] for p in points),
        lower=tuple(lo for lo, _hi in bounds) if bounded else None,
        upper=tuple(hi for _lo, hi in bounds) if bounded else None,
    )
    verdicts = []
    for method in METHODS:
        try:
            result = progress.assess(
                series, method, target_value=target_value, target_year=target_year, direction=direction,
                base_year=BASE_YEAR, draws=draws,
            )  # fmt: skip
        except ValueError as refusal:
            verdicts.append(Verdict(method, "insufficient_data", None, None, None, None, (str(refusal),)))
            continue
        verdicts.append(
            Verdict(
                method,
                result.label,
                result.score,
                result.probability,
                result.base_year,
                result.latest_year,
                tuple(result.notes),
            )
        )
    return tuple(verdicts)
