"""Progress towards a target from an indicator's time series: the official assessment methods, free of Django.

One interface, :func:`assess`, and a registry of methods (:data:`METHODS`), each as its source defines
it. ``v_b`` is the value in the base year ``b``, ``v_t`` the latest value (year ``t``), ``TV`` the
target value and ``T`` the target year; ``D`` is +1 when an increase is desired, −1 for a decrease.

``unsd-2022`` — UN Statistics Division, *SDG Progress Chart 2022, Technical Note* (the "CR" method)::

    CAGR_a = (v_t / v_b)^(1/(t − b)) − 1        actual compound annual growth rate
    CAGR_r = (TV / v_b)^(1/(T − b)) − 1         growth rate required to meet the target on time
    CR = CAGR_a / CAGR_r
    on_track (CR ≥ 0.95) · fair (0.5 ≤ CR < 0.95) · limited (−0.1 ≤ CR < 0.5) · deterioration (CR < −0.1)

``unsd-2023`` — UN Statistics Division, *SDG Progress Chart 2023, Technical Note* (expected value)::

    v_T = v_t · (1 + CAGR_a)^(T − t)            the value expected at the target year on the present trend
    R = (v_T − v_b) / (TV − v_b)
    on_track (R ≥ 0.95) · fair (0.10 ≤ R < 0.95) · stagnation_or_regression (R < 0.10)

``escap-csi`` — ESCAP, *Asia and the Pacific SDG Progress Report*, technical notes (Current Status
Index, per indicator): ``D · (v_t − v_b) / |TV − v_b|``, capped at 1. A score only: no label but
``achieved`` and ``insufficient_data``.

``escap-api`` — ESCAP Anticipated Progress Index: ``A = D · (v̂_T − v_b) / |TV − v_b|`` where ``v̂_T``
is the value at the target year of a weighted least-squares line through the observations since
2000 (``start_year``), recent years weighing more: maintain (A ≥ 1) · accelerate (0 ≤ A < 1) ·
reverse (A < 0). The weights are those of A. Bidarbakht Nia, *A weighted extrapolation method for
measuring the SDGs progress*, ESCAP Statistics Division Working Paper SD/WP/04, March 2017. The
paper itself could not be consulted here: only the form ``w_i = (T − t_min) / (T − t_i)`` (``t_min``
the first year used, so the first observation weighs 1 and the weights grow as the target year
nears) could be confirmed, from the description of the method, and that is what is implemented. When
the latest observation is at or after the target year there is nothing to extrapolate: ``v̂_T`` is
then the latest value.

``opensdg`` — Open SDG's automatic progress measure (sdg-build ≥ 2.4.0), the methodology of
Statistics Canada (open-sdg ``docs/progress-methodology.md``), matched to the values its calculation
publishes (``indicator_calculation_components.yml`` of Statistics Canada's CIF data repository)::

    d = +1 (increase desired) or −1;  s = −1 when the values are negative (all of them), else +1
    CAGR_o = (y_t / y_0)^(1/(t − t_0)) − 1
    with a target:    P = s·d·CAGR_o / |CAGR_T|,  CAGR_T = (y_T / y_0)^(1/(T − t_0)) − 1
                      score = min(7.1429·P − 4.2857, 5) if P ≥ 0.6 else max(4.1667·P − 2.5, −5)
    without a target: P = s·d·CAGR_o, and with thresholds 0.5 %·C, 1.5 %·C, 2 %·C:
                      score = max(125·P − 2.5, −5) if P < 0; −2.5 → 0 linearly up to 0.5 %·C;
                      0 → 2.5 up to 1.5 %·C; 2.5 → 5 up to 2 %·C; 5 beyond
    C = 1 − (y_0 / y_lim)^4.44 for a maximum limit y_lim (increase desired, 0 ≤ y_0 < y_lim), 0 at or
        beyond it; 1 without a limit. A base value at the limit with P ≥ 0 scores 5.
    substantial_progress [2.5, 5] · moderate_progress [0, 2.5) · limited_progress [−2.5, 0) ·
    deterioration (< −2.5) · target_achieved (score 5) · not_available (fewer than two years)

  The exponent 4.44 is not printed in the methodology (it shows C as an image); it is the exponent
  that reproduces every published score with a limit (seven of them, to 1e-12). The methodology's
  minimum-limit cases (a decrease desired towards a floor) are not published either: this module
  uses the mirror image ``C = 1 − (y_lim / y_0)^4.44`` for ``0 ≤ y_lim ≤ y_0``, unconfirmed. The
  base year is Open SDG's: the year asked for if it has data, else the first year after it with data.

Common rules. ``achieved`` (``target_achieved`` for ``opensdg``) when the latest value meets the
target (at or below it for a decrease, at or above for an increase); ``insufficient_data``
(``not_available``) with fewer than two years of data before and at the latest. The base year is
the year with data nearest to the one asked for (the earlier of two equally near), as the UNSD note
says, among the years before the latest.

Undefined figures. Where a growth rate crosses a change of sign, or the change required is nil (the
target equals the base value), the score is left empty and the label is the lowest of the method
(``unsd-2022``: ``deterioration`` when the value moved away from the target, else ``limited``;
``unsd-2023``: ``stagnation_or_regression``; ``escap-api``: ``reverse``; ``opensdg``: ``not_available``,
as for values of both signs).

A target of 0 — 8.7: end child labour by 2025 — breaks growth rates (``(0 / v_b)^(…)`` is 0,
``CAGR_r`` is −100 %). Statistics Canada's note (the only official note found to say how) replaces a
target or a base value of 0 by 0.001 in the growth rates; ``opensdg`` does exactly that, and so do
``unsd-2022`` (its required rate, and a base or latest value of 0) and ``unsd-2023`` (a base or
latest value of 0 only: its ratio R compares levels, where a target of 0 is harmless). The ESCAP
indices compare levels only and take 0 as it is. Read results near 0 with care: the replacement
value drives ``CAGR_r``.

Uncertainty. Where observations carry lower and upper bounds, :func:`assess` draws ``draws`` series
(seeded, ``seed``): each bounded observation independently from a normal distribution centred on
its value with standard deviation (upper − lower) / (2 · 1.959964), i.e. the interval read as a 95 %
confidence interval; observations without bounds stay fixed; a draw below 0 is set to 0 when every
observed value is ≥ 0 (a percentage or a number cannot be negative). The method is applied to every
draw; ``probability`` is the share of draws that give the label of the point estimate, and
``probabilities`` the share of each label. These assumptions (independent years, symmetric normal
errors) are stated with the result rather than hidden.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from target87.engines.i18n import gettext as _

DIRECTIONS = ("increase", "decrease")
Z95 = 1.959963984540054
ZERO_REPLACEMENT = 0.001
DEFAULT_DRAWS = 1000
OPENSDG_LIMIT_EXPONENT = 4.44


@dataclass(frozen=True)
class Series:
    """One indicator series: a value per year, with optional lower and upper bounds (None where absent)."""

    years: tuple[int, ...]
    values: tuple[float, ...]
    lower: tuple[float | None, ...] | None = None
    upper: tuple[float | None, ...] | None = None

    def __post_init__(self) -> None:
        years = tuple(self.years)
        n = len(years)
        for y in years:
            if isinstance(y, bool) or not float(y).is_integer():
                raise ValueError(_("Years must be whole numbers, not {value!r}.").format(value=y))
        years = tuple(int(y) for y in years)
        if len(set(years)) != n:
            dup = sorted({y for y in years if years.count(y) > 1})
            raise ValueError(
                _("Each year may have one value only; repeated: {years}.").format(years=", ".join(map(str, dup)))
            )
        values = tuple(float(v) for v in self.values)
        if len(values) != n:
            raise ValueError(_("The series has {n} years but {m} values.").format(n=n, m=len(values)))
        for y, v in zip(years, values, strict=True):
            if not math.isfinite(v):
                raise ValueError(_("The value of {year} is not a finite number.").format(year=y))
        bounds = []
        for name, b in (("lower", self.lower), ("upper", self.upper)):
            if b is None:
                bounds.append(None)
                continue
            b = tuple(None if x is None else float(x) for x in b)
            if len(b) != n:
                raise ValueError(
                    _("The series has {n} years but {m} {which} bounds.").format(n=n, m=len(b), which=name)
                )
            bounds.append(b)
        lower, upper = bounds
        for i, y in enumerate(years):
            lo = lower[i] if lower else None
            hi = upper[i] if upper else None
            if (lo is None) != (hi is None):
                raise ValueError(_("The year {year} has one bound but not the other.").format(year=y))
            if lo is not None and not (math.isfinite(lo) and math.isfinite(hi) and lo <= values[i] <= hi):
                raise ValueError(
                    _("In {year} the bounds {lo}–{hi} do not enclose the value {v}.").format(
                        year=y, lo=lo, hi=hi, v=values[i]
                    )
                )
        order = sorted(range(n), key=years.__getitem__)
        object.__setattr__(self, "years", tuple(years[i] for i in order))
        object.__setattr__(self, "values", tuple(values[i] for i in order))
        object.__setattr__(self, "lower", tuple(lower[i] for i in order) if lower else None)
        object.__setattr__(self, "upper", tuple(upper[i] for i in order) if upper else None)

    @property
    def has_bounds(self) -> bool:
        return self.lower is not None and any(x is not None for x in self.lower)


@dataclass(frozen=True)
class Assessment:
    """The result of one method on one series. ``score`` is the method's own figure (CR, R, the CSI,
    A or Open SDG's score); None where it is undefined. ``probability`` is None without bounds."""

    method: str
    base_year: int | None
    latest_year: int | None
    score: float | None
    label: str
    probability: float | None = None
    probabilities: dict[str, float] = field(default_factory=dict)
    draws: int = 0
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Ask:
    """What a method needs, checked."""

    target_value: float | None
    target_year: int
    d: int  # +1 increase desired, -1 decrease
    base_year: int
    limit: float | None
    start_year: int


@dataclass
class _Outcome:
    """A method's result on ``k`` series with the same years: one score and one label per row."""

    base_year: int | None
    latest_year: int | None
    score: np.ndarray  # float, NaN where undefined
    label: np.ndarray  # str


def _fixed(k: int, base_year, latest_year, label: str) -> _Outcome:
    return _Outcome(base_year, latest_year, np.full(k, np.nan), np.full(k, label, dtype=object))


# -- helpers --------------------------------------------------------------------------------------
def _nearest_base(years: Sequence[int], wanted: int) -> int | None:
    """The year with data nearest to ``wanted`` among the years before the latest (earlier on a tie)."""
    candidates = list(years[:-1])
    if not candidates:
        return None
    return min(candidates, key=lambda y: (abs(y - wanted), y))


def _met(value: np.ndarray, target: float, d: int) -> np.ndarray:
    return value >= target if d > 0 else value <= target


def _nonzero(x):
    return np.where(x == 0, ZERO_REPLACEMENT, x)


def _growth(v_end, v_start, years: float) -> np.ndarray:
    """Compound annual growth rate; NaN across a change of sign."""
    ratio = np.asarray(v_end / v_start, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(ratio >= 0, np.abs(ratio) ** (1.0 / years) - 1.0, np.nan)


def _ends(years, V, ask):
    """Base year, its values, latest year and values; None with fewer than two years."""
    if len(years) < 2:
        return None
    b = _nearest_base(years, ask.base_year)
    return b, V[:, years.index(b)], years[-1], V[:, -1]


def _label(conditions, labels, default) -> np.ndarray:
    return np.select(conditions, labels, default).astype(object)


# -- the methods (vectorised over the rows of V: the series and its simulated copies) ------------
def _unsd_2022(years, V, ask: _Ask) -> _Outcome:
    ends = _ends(years, V, ask)
    if ends is None:
        return _fixed(len(V), None, years[-1] if years else None, "insufficient_data")
    b, vb, t, vt = ends
    achieved = _met(vt, ask.target_value, ask.d)
    with np.errstate(divide="ignore", invalid="ignore"):
        actual = _growth(_nonzero(vt), _nonzero(vb), t - b)
        required = _growth(_nonzero(np.float64(ask.target_value)), _nonzero(vb), ask.target_year - b)
        cr = actual / required
    undefined = ~np.isfinite(cr)
    label = _label(
        [achieved, undefined & ((vt - vb) * ask.d < 0), undefined, cr >= 0.95, cr >= 0.5, cr >= -0.1],
        ["achieved", "deterioration", "limited", "on_track", "fair", "limited"],
        "deterioration",
    )
    return _Outcome(b, t, np.where(achieved | undefined, np.nan, cr), label)


def _unsd_2023(years, V, ask: _Ask) -> _Outcome:
    ends = _ends(years, V, ask)
    if ends is None:
        return _fixed(len(V), None, years[-1] if years else None, "insufficient_data")
    b, vb, t, vt = ends
    achieved = _met(vt, ask.target_value, ask.d)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        actual = _growth(_nonzero(vt), _nonzero(vb), t - b)
        expected = vt * (1.0 + actual) ** (ask.target_year - t)
        r = (expected - vb) / (ask.target_value - vb)
    undefined = ~np.isfinite(r)
    label = _label(
        [achieved, undefined, r >= 0.95, r >= 0.10],
        ["achieved", "stagnation_or_regression", "on_track", "fair"],
        "stagnation_or_regression",
    )
    return _Outcome(b, t, np.where(achieved | undefined, np.nan, r), label)


def _escap_csi(years, V, ask: _Ask) -> _Outcome:
    ends = _ends(years, V, ask)
    if ends is None:
        return _fixed(len(V), None, years[-1] if years else None, "insufficient_data")
    b, vb, t, vt = ends
    achieved = _met(vt, ask.target_value, ask.d)
    gap = np.abs(ask.target_value - vb)
    with np.errstate(divide="ignore", invalid="ignore"):
        csi = np.minimum(ask.d * (vt - vb) / gap, 1.0)
    csi = np.where(gap == 0, np.where(achieved, 1.0, np.nan), csi)
    return _Outcome(b, t, csi, np.where(achieved, "achieved", "").astype(object))


def _line_coefficients(xs: Sequence[float], w: Sequence[float], at: float) -> np.ndarray:
    """c such that c · y is the weighted least-squares line through (xs, y), weights w, at ``at``."""
    x, w = np.asarray(xs, dtype=float) - xs[0], np.asarray(w, dtype=float)  # years from the first: no cancellation
    at = at - xs[0]
    xm = (w * x).sum() / w.sum()
    sxx = (w * (x - xm) ** 2).sum()
    return w / w.sum() + w * (x - xm) * (at - xm) / sxx


def _escap_api(years, V, ask: _Ask) -> _Outcome:
    keep = [i for i, y in enumerate(years) if y >= ask.start_year]
    used = [years[i] for i in keep]
    ends = _ends(used, V[:, keep], ask)
    if ends is None:
        return _fixed(len(V), None, years[-1] if years else None, "insufficient_data")
    b, vb, t, vt = ends
    achieved = _met(vt, ask.target_value, ask.d)
    T = ask.target_year
    if t >= T:  # nothing to extrapolate
        anticipated = vt
    else:
        w = [(T - used[0]) / (T - x) for x in used]
        anticipated = V[:, keep] @ _line_coefficients(used, w, T)
    gap = np.abs(ask.target_value - vb)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = ask.d * (anticipated - vb) / gap
    undefined = ~np.isfinite(a)
    label = _label([achieved, undefined, a >= 1, a >= 0], ["achieved", "reverse", "maintain", "accelerate"], "reverse")
    return _Outcome(b, t, np.where(achieved | undefined, np.nan, a), label)


def _opensdg_base(years: Sequence[int], wanted: int) -> int | None:
    if wanted in years:
        return wanted
    later = [y for y in years if y > wanted]
    return min(later) if later else None


def opensdg_limit_factor(base, limit: float | None, d: int) -> np.ndarray:
    """Statistics Canada's scaling factor C of the thresholds near a natural limit (1 without one)."""
    base = np.asarray(base, dtype=float)
    if limit is None:
        return np.ones_like(base)
    with np.errstate(divide="ignore", invalid="ignore"):
        if d > 0:  # a maximum
            c = np.where(base < 0, 1.0, 1.0 - np.abs(base / limit) ** OPENSDG_LIMIT_EXPONENT)
            return np.where(base >= limit, 0.0, c)
        # a minimum (unconfirmed mirror image of the maximum case)
        c = np.where(limit < 0, 1.0, 1.0 - np.abs(limit / base) ** OPENSDG_LIMIT_EXPONENT)
        return np.where(base <= limit, 0.0, c)


def opensdg_score_with_target(p) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(p >= 0.6, np.minimum(7.1429 * p - 4.2857, 5.0), np.maximum(4.1667 * p - 2.5, -5.0))


def opensdg_score_without_target(p, c) -> np.ndarray:
    p, c = np.broadcast_arrays(np.asarray(p, dtype=float), np.asarray(c, dtype=float))
    low, mid, high = 0.005 * c, 0.015 * c, 0.02 * c
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.select(
            [p < 0, c == 0, p < low, p < mid, p < high],
            [
                np.maximum(125.0 * p - 2.5, -5.0),
                5.0,
                -2.5 + 2.5 * p / low,
                2.5 * (p - low) / (mid - low),
                2.5 + 2.5 * (p - mid) / (high - mid),
            ],
            5.0,
        )


def opensdg_label(score) -> np.ndarray:
    score = np.asarray(score, dtype=float)
    return _label(
        [score >= 2.5, score >= 0, score >= -2.5],
        ["substantial_progress", "moderate_progress", "limited_progress"],
        "deterioration",
    )


def _opensdg(years, V, ask: _Ask) -> _Outcome:
    k = len(V)
    if len(years) < 2:
        return _fixed(k, None, years[-1] if years else None, "not_available")
    t = years[-1]
    b = _opensdg_base(years, ask.base_year)
    if b is None or b >= t:
        return _fixed(k, b, t, "not_available")
    negative = (V <= 0).all(axis=1) & (V < 0).any(axis=1)
    mixed = ~negative & ~(V >= 0).all(axis=1)  # values of both signs: the exponential model does not apply
    s = np.where(negative, -1.0, 1.0)
    vb, yt = V[:, years.index(b)], V[:, -1]
    y0 = _nonzero(vb)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        cagr_o = _growth(yt, y0, t - b)
        if ask.target_value is not None:
            target = ZERO_REPLACEMENT if ask.target_value == 0 else ask.target_value
            achieved = _met(yt, target, ask.d)
            cagr_t = _growth(np.float64(target), y0, ask.target_year - b)
            num = s * ask.d * cagr_o
            p = np.where(cagr_t == 0, np.sign(num) * np.inf, num / np.abs(cagr_t))
            p = np.where((cagr_t == 0) & (num == 0), 0.0, p)
            score = opensdg_score_with_target(p)
        else:
            achieved = np.zeros(k, dtype=bool)
            c = np.where(s > 0, opensdg_limit_factor(vb, ask.limit, ask.d), opensdg_limit_factor(vb, ask.limit, -ask.d))
            score = opensdg_score_without_target(s * ask.d * cagr_o, c)
    unavailable = mixed | ~np.isfinite(score)
    label = np.where(unavailable, "not_available", np.where(achieved, "target_achieved", opensdg_label(score))).astype(
        object
    )
    score = np.where(unavailable, np.nan, np.where(achieved, 5.0, score))
    return _Outcome(b, t, score, label)


Method = Callable[[Sequence[int], np.ndarray, _Ask], _Outcome]

#: method name → (function, labels it can give, needs a target value)
METHODS: dict[str, tuple[Method, tuple[str, ...], bool]] = {
    "unsd-2022": (_unsd_2022, ("on_track", "fair", "limited", "deterioration", "achieved", "insufficient_data"), True),
    "unsd-2023": (_unsd_2023, ("on_track", "fair", "stagnation_or_regression", "achieved", "insufficient_data"), True),
    "escap-csi": (_escap_csi, ("", "achieved", "insufficient_data"), True),
    "escap-api": (_escap_api, ("maintain", "accelerate", "reverse", "achieved", "insufficient_data"), True),
    "opensdg": (
        _opensdg,
        (
            "substantial_progress",
            "moderate_progress",
            "limited_progress",
            "deterioration",
            "target_achieved",
            "not_available",
        ),
        False,
    ),
}


def needs_target(method: str) -> bool:
    return METHODS[check_method(method)][2]


def check_method(method: str) -> str:
    if method not in METHODS:
        raise ValueError(
            _("Unknown progress method {method!r}: use one of {methods}.").format(
                method=method, methods=", ".join(METHODS)
            )
        )
    return method


def _whole_year(value, what: str) -> int:
    try:
        f = float(value)
    except (TypeError, ValueError):
        raise ValueError(_("The {what} must be a year, not {value!r}.").format(what=what, value=value)) from None
    if isinstance(value, bool) or not f.is_integer():
        raise ValueError(_("The {what} must be a year, not {value!r}.").format(what=what, value=value))
    return int(f)


def _check(method, target_value, target_year, direction, base_year, limit, start_year) -> _Ask:
    check_method(method)
    if direction not in DIRECTIONS:
        raise ValueError(_("The direction must be increase or decrease, not {value!r}.").format(value=direction))
    if target_value is not None:
        target_value = float(target_value)
        if not math.isfinite(target_value):
            raise ValueError(_("The target value must be a finite number."))
    elif METHODS[method][2]:
        raise ValueError(_("The method {method} needs a target value.").format(method=method))
    if limit is not None:
        limit = float(limit)
        if not math.isfinite(limit):
            raise ValueError(_("The limit must be a finite number."))
    ask = _Ask(
        target_value=target_value,
        target_year=_whole_year(target_year, _("target year")),
        d=1 if direction == "increase" else -1,
        base_year=_whole_year(base_year, _("base year")),
        limit=limit,
        start_year=_whole_year(start_year, _("first year of the regression")),
    )
    if ask.target_year <= ask.base_year:
        raise ValueError(
            _("The target year {target} must come after the base year {base}.").format(
                target=ask.target_year, base=ask.base_year
            )
        )
    return ask


def _zero_replaced(method: str, ask: _Ask, years, values, base_year, score, label) -> bool:
    """Whether the growth rates of the point estimate used 0.001 in place of a 0."""
    if base_year is None or score is None or label in ("achieved", "target_achieved"):
        return False
    vb, vt = values[years.index(base_year)], values[-1]
    if method == "opensdg":
        return vb == 0 or ask.target_value == 0
    if method == "unsd-2022":
        return 0 in (vb, vt, ask.target_value)
    return method == "unsd-2023" and 0 in (vb, vt)


def _draw(series: Series, draws: int, seed: int) -> np.ndarray:
    """``draws`` × years values, each bounded observation normal with its interval as a 95 % CI."""
    values = np.array(series.values)
    sd = np.array(
        [0.0 if lo is None else (hi - lo) / (2 * Z95) for lo, hi in zip(series.lower, series.upper, strict=True)]
    )
    rng = np.random.default_rng(seed)
    out = values + rng.standard_normal((draws, values.size)) * sd
    if (values >= 0).all():
        np.maximum(out, 0.0, out=out)
    return out


def assess(
    series: Series,
    method: str = "unsd-2022",
    *,
    target_value: float | None = None,
    target_year: int = 2030,
    direction: str = "decrease",
    base_year: int = 2015,
    limit: float | None = None,
    start_year: int = 2000,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
) -> Assessment:
    """Assess ``series`` with ``method`` (see the module's documentation); ValueError on bad input.

    ``limit`` (``opensdg`` without a target only) is the natural maximum (increase desired) or minimum
    of the indicator; ``start_year`` the first year of ESCAP's regression. With bounds on the
    observations, the label's probability comes from ``draws`` simulated series (``seed``).
    """
    if not isinstance(series, Series):
        raise ValueError(_("The series must be a Series of years and values."))
    ask = _check(method, target_value, target_year, direction, base_year, limit, start_year)
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 0:
        raise ValueError(_("The number of draws must be a whole number ≥ 0."))
    func = METHODS[method][0]
    years, values = list(series.years), list(series.values)
    point = func(years, np.array([values], dtype=float).reshape(1, len(values)), ask)
    score = float(point.score[0]) if np.isfinite(point.score[0]) else None
    label = str(point.label[0])
    notes: list[str] = []
    if _zero_replaced(method, ask, years, values, point.base_year, score, label):
        notes.append(
            _("A value of 0 was replaced by {z} in the growth rates, as Statistics Canada's note does.").format(
                z=ZERO_REPLACEMENT
            )
        )
    if not series.has_bounds or draws == 0 or label in ("insufficient_data", "not_available"):
        return Assessment(method, point.base_year, point.latest_year, score, label, notes=tuple(notes))
    labels, counts = np.unique(func(years, _draw(series, draws, seed), ask).label.astype(str), return_counts=True)
    order = sorted(range(labels.size), key=lambda i: (-counts[i], labels[i]))
    probabilities = {str(labels[i]): int(counts[i]) / draws for i in order}
    notes.append(
        _(
            "Probability from {n} simulated series: each bounded value normal, its interval read as a 95% "
            "confidence interval, years independent (seed {seed})."
        ).format(n=draws, seed=seed)
    )
    return Assessment(
        method,
        point.base_year,
        point.latest_year,
        score,
        label,
        probability=probabilities.get(label, 0.0),
        probabilities=probabilities,
        draws=draws,
        notes=tuple(notes),
    )
