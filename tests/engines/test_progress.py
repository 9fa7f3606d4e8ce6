"""Progress assessment methods on published worked values and on values computed by hand.

Published: the scores and statuses that Open SDG's progress calculation (sdg-build 2.4.0) wrote for
Statistics Canada's Canadian Indicator Framework platform, file ``indicator_calculation_components.yml``
of github.com/sdg-data-canada-odd-donnees/cif-data-donnees-cic (the 14.5 → 10.2 example is the 2023
version of its indicator 1-1-1; the others are from the July 2026 version). Each case is the base and
latest values the file gives, its target or limit, and the score and status it publishes.

Hand-computed: the formulas of the UNSD Progress Chart technical notes (2022: CR, 2023: expected value)
and of ESCAP's indices, written out in each test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from target87.engines.progress import METHODS, Series, assess

# indicator, base year, base value, latest year, latest value, direction, target, target year, limit,
# published score, published status
OPENSDG_PUBLISHED = [
    ("1-1-1 (2023)", 2015, 14.5, 2023, 10.2, "decrease", 7.25, 2030, None, 2.5185563910306596, "substantial_progress"),
    ("1-1-1", 2015, 14.5, 2023, 10.4, "decrease", 7.25, 2030, None, 2.1506954374096354, "moderate_progress"),
    ("11-3-1", 2005, 63.0, 2020, 74.0, "increase", 85.0, 2030, None, 2.106761907621266, "moderate_progress"),
    ("12-1-1", 2015, 0.37, 2025, 9.53, "increase", 60.0, 2030, None, 2.502962076738248, "substantial_progress"),
    ("14-1-1", 2015, 0.9, 2024, 15.5, "increase", 30.0, 2030, None, 5.0, "substantial_progress"),
    ("11-6-1", 2014, 699.0, 2024, 666.6, "decrease", 490.0, 2030, None, -1.601539480333006, "limited_progress"),
    ("15-4-1", 2015, 10.1, 2023, 13.7, "increase", 30.0, 2030, None, -0.34995572813974585, "limited_progress"),
    ("11-5-1", 2016, 19.3, 2021, 13.9, "increase", 22.0, 2030, None, -5.0, "deterioration"),
    ("3-4-1", 2015, 8.1, 2024, 6.8, "decrease", 8.0, 2025, None, 5.0, "target_achieved"),
    # without a target
    ("1-4-1", 2015, 70900.0, 2024, 75500.0, "increase", None, 2030, None, 0.502285315447466, "moderate_progress"),
    ("1-3-1", 2015, 178.8, 2025, 173.3, "decrease", None, 2030, None, -0.9402545761714709, "limited_progress"),
    ("11-2-1", 2018, 11.3, 2022, 11.6, "decrease", None, 2030, None, -3.321511894781385, "deterioration"),
    ("10-2-1", 2015, 3.8, 2024, 11.9, "decrease", None, 2030, None, -5.0, "deterioration"),
    ("16-6-1", 2015, 87.93, 2023, 77.78, "decrease", None, 2030, None, 2.6075756245539417, "substantial_progress"),
    # without a target, with the natural limit 100 (the scaling factor C)
    ("1-2-1", 2016, 66.6, 2023, 71.4, "increase", None, 2030, 100, 1.739752850099936, "moderate_progress"),
    ("15-1-1", 2015, 79.82, 2020, 80.0, "increase", None, 2030, 100, -2.1437311547039553, "limited_progress"),
    ("16-1-1", 2021, 79.0, 2022, 79.0, "increase", None, 2030, 100, -2.5, "limited_progress"),
    ("11-4-1", 2023, 75.3, 2024, 74.6, "increase", None, 2030, 100, -3.6620185922974757, "deterioration"),
    ("13-3-1 bridges", 2016, 28.45, 2022, 41.03, "increase", None, 2030, 100, 5.0, "substantial_progress"),
]


@pytest.mark.parametrize("case", OPENSDG_PUBLISHED, ids=[c[0] for c in OPENSDG_PUBLISHED])
def test_opensdg_gives_the_published_scores(case):
    _name, b, vb, t, vt, direction, target, target_year, limit, score, status = case
    got = assess(
        Series((b, t), (vb, vt)),
        "opensdg",
        target_value=target,
        target_year=target_year,
        direction=direction,
        base_year=b,
        limit=limit,
    )
    assert got.label == status
    assert got.score == pytest.approx(score, rel=1e-12, abs=1e-12)
    assert (got.base_year, got.latest_year) == (b, t)


def test_opensdg_issue_example_to_ten_digits():
    got = assess(
        Series((2015, 2023), (14.5, 10.2)), "opensdg", target_value=7.25, target_year=2030, direction="decrease"
    )
    assert f"{got.score:.10f}" == "2.5185563910"
    assert got.label == "substantial_progress"


def test_opensdg_base_year_is_the_first_year_with_data_from_the_one_asked():
    s = Series((2012, 2016, 2018, 2022), (20.0, 18.0, 17.0, 15.0))
    got = assess(s, "opensdg", target_value=10, target_year=2030, direction="decrease", base_year=2015)
    assert got.base_year == 2016  # Open SDG's rule: not 2014's nearest neighbour 2012
    # P = -CAGR_o / |CAGR_T|, CAGR_o = (15/18)^(1/6) - 1, CAGR_T = (10/18)^(1/14) - 1
    p = -((15 / 18) ** (1 / 6) - 1) / abs((10 / 18) ** (1 / 14) - 1)
    expected = min(7.1429 * p - 4.2857, 5) if p >= 0.6 else max(4.1667 * p - 2.5, -5)
    assert got.score == pytest.approx(expected, rel=1e-12)
    after = assess(s, "opensdg", target_value=10, target_year=2030, direction="decrease", base_year=2023)
    assert after.label == "not_available"


def test_opensdg_target_zero_becomes_0001():
    # 8.7.1: 10.4 % (2016) → 8.1 % (2020), end child labour by 2025 (target 0 → 0.001)
    got = assess(Series((2016, 2020), (10.4, 8.1)), "opensdg", target_value=0, target_year=2025, direction="decrease")
    p = -((8.1 / 10.4) ** (1 / 4) - 1) / abs((0.001 / 10.4) ** (1 / 9) - 1)
    assert got.score == pytest.approx(max(4.1667 * p - 2.5, -5), rel=1e-12)
    assert got.label == "limited_progress"
    assert any("0.001" in n for n in got.notes)


def test_opensdg_negative_values_flip_the_direction():
    # all values negative: s = -1, so a fall from -10 to -12 (CAGR_o = 0.2^(1/…) > 0) is a deterioration
    # when an increase is desired
    got = assess(Series((2015, 2020), (-10.0, -12.0)), "opensdg", direction="increase")
    cagr = (-12 / -10) ** (1 / 5) - 1
    assert got.score == pytest.approx(max(125 * (-cagr) - 2.5, -5))
    assert got.label == "deterioration"
    mixed = assess(Series((2015, 2020), (-1.0, 2.0)), "opensdg", direction="increase")
    assert mixed.label == "not_available"


def test_opensdg_base_at_the_limit_with_no_loss_scores_five():
    got = assess(Series((2015, 2020), (100.0, 100.0)), "opensdg", direction="increase", limit=100)
    assert (got.score, got.label) == (5.0, "substantial_progress")


# -- UNSD 2022: CR ----------------------------------------------------------------------------------
def test_unsd_2022_cr_by_hand():
    # 40 (2015) → 30 (2022), target 10 by 2030, decrease desired
    cagr_a = (30 / 40) ** (1 / 7) - 1
    cagr_r = (10 / 40) ** (1 / 15) - 1
    got = assess(
        Series((2015, 2022), (40.0, 30.0)), "unsd-2022", target_value=10, target_year=2030, direction="decrease"
    )
    assert got.score == pytest.approx(cagr_a / cagr_r, rel=1e-12)
    assert got.score == pytest.approx(0.4561115232371577, rel=1e-12)
    assert got.label == "limited"


def _series_with_cr(cr, vb=50.0, target=100.0, b=2015, t=2022, T=2030):
    """A series whose CR is ``cr``: v_t = v_b (1 + CR · CAGR_r)^(t − b)."""
    cagr_r = (target / vb) ** (1 / (T - b)) - 1
    return Series((b, t), (vb, vb * (1 + cr * cagr_r) ** (t - b)))


@pytest.mark.parametrize(
    ("cr", "label"),
    [
        (0.95 + 1e-7, "on_track"),
        (0.95 - 1e-7, "fair"),
        (0.5 + 1e-7, "fair"),
        (0.5 - 1e-7, "limited"),
        (-0.1 + 1e-7, "limited"),
        (-0.1 - 1e-7, "deterioration"),
    ],
)
def test_unsd_2022_label_boundaries(cr, label):
    got = assess(_series_with_cr(cr), "unsd-2022", target_value=100, target_year=2030, direction="increase")
    assert got.score == pytest.approx(cr, abs=1e-9)
    assert got.label == label


def test_unsd_2022_target_zero_uses_0001_in_the_required_rate():
    got = assess(Series((2015, 2020), (10.0, 8.0)), "unsd-2022", target_value=0, target_year=2025, direction="decrease")
    expected = ((8 / 10) ** (1 / 5) - 1) / ((0.001 / 10) ** (1 / 10) - 1)
    assert got.score == pytest.approx(expected, rel=1e-12)
    assert got.label == "limited"


# -- UNSD 2023: expected value ----------------------------------------------------------------------
def test_unsd_2023_expected_value_by_hand():
    # 40 (2015) → 30 (2022): v_T = 30 (1 + CAGR_a)^8, R = (v_T − 40) / (10 − 40)
    cagr_a = (30 / 40) ** (1 / 7) - 1
    v_T = 30 * (1 + cagr_a) ** 8
    got = assess(
        Series((2015, 2022), (40.0, 30.0)), "unsd-2023", target_value=10, target_year=2030, direction="decrease"
    )
    assert got.score == pytest.approx((v_T - 40) / (10 - 40), rel=1e-12)
    assert got.score == pytest.approx(0.6135316259918061, rel=1e-12)
    assert got.label == "fair"


@pytest.mark.parametrize(
    ("r", "label"),
    [
        (0.95 + 1e-7, "on_track"),
        (0.95 - 1e-7, "fair"),
        (0.10 + 1e-7, "fair"),
        (0.10 - 1e-7, "stagnation_or_regression"),
    ],
)
def test_unsd_2023_label_boundaries(r, label):
    # v_b = 50, TV = 100, T = 2030, t = 2022: v_T = 50 + 50 R = v_t (v_t / 50)^(8/7) → v_t = 50 (v_T / 50)^(7/15)
    v_T = 50 + 50 * r
    vt = 50 * (v_T / 50) ** (7 / 15)
    got = assess(
        Series((2015, 2022), (50.0, vt)), "unsd-2023", target_value=100, target_year=2030, direction="increase"
    )
    assert got.score == pytest.approx(r, abs=1e-9)
    assert got.label == label


def test_unsd_2023_target_zero_needs_no_replacement():
    # 10 (2016) → 8 (2020), target 0 by 2025: v_T = 8 (0.8^(1/4))^5, R = (v_T − 10) / (0 − 10)
    v_T = 8 * (0.8 ** (1 / 4)) ** 5
    got = assess(Series((2016, 2020), (10.0, 8.0)), "unsd-2023", target_value=0, target_year=2025, direction="decrease")
    assert got.score == pytest.approx((v_T - 10) / -10, rel=1e-12)
    assert got.label == "fair"


def test_base_year_is_the_nearest_year_with_data():
    s = Series((2010, 2014, 2017, 2022), (50.0, 45.0, 44.0, 40.0))
    assert assess(s, "unsd-2022", target_value=20, direction="decrease", base_year=2015).base_year == 2014
    assert assess(s, "unsd-2022", target_value=20, direction="decrease", base_year=2016).base_year == 2017
    # equally near (2012: 2010 and 2014): the earlier
    assert assess(s, "unsd-2022", target_value=20, direction="decrease", base_year=2012).base_year == 2010
    # never the latest year itself
    assert assess(s, "unsd-2022", target_value=20, direction="decrease", base_year=2023).base_year == 2017


# -- ESCAP ----------------------------------------------------------------------------------------
def test_escap_csi_by_hand_and_capped_at_one():
    # D (v_t − v_b) / |TV − v_b| with D = −1: −(30 − 40) / |10 − 40| = 1/3
    got = assess(Series((2015, 2022), (40.0, 30.0)), "escap-csi", target_value=10, direction="decrease")
    assert got.score == pytest.approx(1 / 3)
    assert got.label == ""
    worse = assess(Series((2015, 2022), (40.0, 45.0)), "escap-csi", target_value=10, direction="decrease")
    assert worse.score == pytest.approx(-5 / 30)
    done = assess(Series((2015, 2022), (40.0, 5.0)), "escap-csi", target_value=10, direction="decrease")
    assert (done.score, done.label) == (1.0, "achieved")


def test_escap_api_weighted_regression_by_hand():
    years = np.array([2000.0, 2010.0, 2015.0, 2020.0])
    values = np.array([60.0, 52.0, 47.0, 45.0])
    # w_i = (T − t_min) / (T − t_i), T = 2030: 30/30, 30/20, 30/15, 30/10 = 1, 1.5, 2, 3
    w = np.array([1.0, 1.5, 2.0, 3.0])
    # weighted least squares with numpy: polyfit weights multiply the residuals, hence √w
    slope, intercept = np.polyfit(years, values, 1, w=np.sqrt(w))
    anticipated = intercept + slope * 2030
    a = -(anticipated - 47.0) / abs(20.0 - 47.0)
    got = assess(Series(tuple(years), tuple(values)), "escap-api", target_value=20, direction="decrease")
    assert got.base_year == 2015
    assert got.score == pytest.approx(a, rel=1e-10)
    assert got.label == "accelerate"  # 0 ≤ A < 1


def test_escap_api_ignores_data_before_2000_and_labels_each_side():
    s = Series((1990, 2005, 2015, 2020), (0.0, 30.0, 40.0, 45.0))
    with_1990 = Series((2005, 2015, 2020), (30.0, 40.0, 45.0))
    a = assess(s, "escap-api", target_value=60, direction="increase")
    b = assess(with_1990, "escap-api", target_value=60, direction="increase")
    assert a.score == pytest.approx(b.score)
    # fitted line through 30, 40, 45 rises ~1 a year: 2030 ≈ 55+, A = (v̂ − 40) / 20 < 1
    assert a.label == "accelerate"
    fast = assess(Series((2015, 2020), (40.0, 55.0)), "escap-api", target_value=60, direction="increase")
    assert fast.label == "maintain" and fast.score >= 1  # two points: the line through them, 2030 → 85
    assert fast.score == pytest.approx((85 - 40) / 20)
    back = assess(Series((2015, 2020), (40.0, 35.0)), "escap-api", target_value=60, direction="increase")
    assert back.label == "reverse" and back.score < 0


def test_escap_target_zero_is_taken_as_it_is():
    got = assess(Series((2015, 2020), (10.0, 8.0)), "escap-csi", target_value=0, target_year=2025, direction="decrease")
    assert got.score == pytest.approx(0.2)  # −(8 − 10) / |0 − 10|


# -- common rules ----------------------------------------------------------------------------------
@pytest.mark.parametrize("method", list(METHODS))
def test_one_point_is_insufficient_not_an_error(method):
    got = assess(Series((2020,), (12.0,)), method, target_value=5, direction="decrease")
    assert got.label == ("not_available" if method == "opensdg" else "insufficient_data")
    assert got.score is None
    assert got.latest_year == 2020


@pytest.mark.parametrize("method", list(METHODS))
def test_latest_value_meeting_the_target(method):
    got = assess(Series((2015, 2021), (12.0, 4.9)), method, target_value=5, direction="decrease")
    assert got.label == ("target_achieved" if method == "opensdg" else "achieved")
    up = assess(Series((2015, 2021), (12.0, 20.0)), method, target_value=20, direction="increase")
    assert up.label == got.label


# -- uncertainty -----------------------------------------------------------------------------------
def test_probability_from_the_intervals_matches_the_normal_model():
    # Base fixed, latest 51 ± 1.959964 (sd 1): no target, increase desired → deterioration iff the
    # latest draw falls below 50, probability Φ(−1) = 0.158655
    s = Series((2015, 2020), (50.0, 51.0), lower=(None, 51 - 1.959963984540054), upper=(None, 51 + 1.959963984540054))
    got = assess(s, "opensdg", direction="increase", draws=20000, seed=3)
    assert got.probabilities["deterioration"] == pytest.approx(0.158655, abs=0.008)
    assert sum(got.probabilities.values()) == pytest.approx(1.0)
    assert got.probability == got.probabilities[got.label]
    again = assess(s, "opensdg", direction="increase", draws=20000, seed=3)
    assert again.probabilities == got.probabilities  # seeded
    assert any("95%" in n for n in got.notes)


def test_no_bounds_no_probability_and_tight_bounds_near_certainty():
    plain = assess(Series((2015, 2022), (40.0, 30.0)), "unsd-2022", target_value=10, direction="decrease")
    assert plain.probability is None and plain.probabilities == {}
    tight = Series((2015, 2022), (40.0, 30.0), lower=(39.99, 29.99), upper=(40.01, 30.01))
    got = assess(tight, "unsd-2022", target_value=10, direction="decrease", draws=500)
    assert got.label == "limited" and got.probability == 1.0


def test_draws_below_zero_are_cut_at_zero_for_non_negative_series():
    s = Series((2015, 2020), (2.0, 0.5), lower=(1.0, 0.0), upper=(3.0, 4.0))
    got = assess(s, "unsd-2022", target_value=0, target_year=2025, direction="decrease", draws=300)
    assert "achieved" in got.probabilities  # a draw at 0 meets the target of 0
    assert math.isfinite(got.score)


# -- bad input -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"method": "unsd-2030"}, "Unknown progress method"),
        ({"direction": "up"}, "increase or decrease"),
        ({"target_value": None}, "needs a target value"),
        ({"target_value": float("nan")}, "finite"),
        ({"target_year": 2010}, "must come after the base year"),
        ({"target_year": 2030.5}, "must be a year"),
        ({"draws": -1}, "draws"),
    ],
)
def test_bad_arguments_raise_value_errors(kwargs, words):
    args = {"method": "unsd-2022", "target_value": 10, "direction": "decrease", **kwargs}
    with pytest.raises(ValueError, match=words):
        assess(Series((2015, 2020), (20.0, 15.0)), **args)


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: Series((2015, 2015), (1.0, 2.0)), "repeated: 2015"),
        (lambda: Series((2015, 2016), (1.0,)), "2 years but 1 values"),
        (lambda: Series((2015, 2016), (1.0, float("nan"))), "2016 is not a finite number"),
        (lambda: Series((2015.5,), (1.0,)), "whole numbers"),
        (lambda: Series((2015, 2016), (1.0, 2.0), lower=(0.5, 2.5), upper=(1.5, 3.0)), "do not enclose"),
        (lambda: Series((2015,), (1.0,), lower=(0.5,), upper=(None,)), "one bound but not the other"),
    ],
)
def test_bad_series_raise_value_errors(make, words):
    with pytest.raises(ValueError, match=words):
        make()


@pytest.mark.parametrize(
    ("method", "label"),
    [("unsd-2022", "deterioration"), ("unsd-2023", "stagnation_or_regression"), ("escap-api", "reverse")],
)
def test_target_equal_to_the_base_value_leaves_the_score_empty(method, label):
    # 10 (2015) → 12 (2020), decrease desired, target 10: no change was required, the value moved away
    got = assess(Series((2015, 2020), (10.0, 12.0)), method, target_value=10, direction="decrease")
    assert got.score is None
    assert got.label == label
