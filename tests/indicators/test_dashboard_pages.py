"""The country and sub-region dashboards, on the demonstration's data."""

import math
import re

import pytest
from django.urls import reverse

from target87.demo import indicators as demo
from target87.indicators import dashboards
from target87.indicators.models import Vintage

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    demo.load(consultation=None)


def test_demo_load_is_idempotent(loaded):
    count = Vintage.objects.count()
    demo.load(consultation=None)
    assert count == Vintage.objects.count() == 3
    assert Vintage.objects.filter(illustrative=True).count() == 2


def test_country_page_shows_latest_value_interval_band_target_and_methods(client, loaded):
    html = client.get(reverse("indicators:country", args=["THA"])).content.decode()
    panel = html[html.index('id="SL_TLF_CHLDEC"') :]
    panel = panel[: panel.index("</section>")]
    # release 2: 2022 is 8.3 − 0.5 × 10 = 3.3 ± 0.8
    assert re.search(r'<strong class="value">3.3 %</strong> in 2022', panel)
    assert "95 % interval 2.5 to 4.1" in panel
    assert "Target: 0 by 2025" in panel
    assert 'class="mark-area' in panel  # the interval band, drawn
    assert "illustrative" in panel
    assert "Actions and commitments that aim at it" in panel
    assert panel.count('data-method="') in (0, 5)
    for fmt, kind in (("svg", "image/svg+xml"), ("png", "image/png"), ("csv", "text/csv")):
        response = client.get(reverse("indicators:country_chart", args=["THA", "SL_TLF_CHLDEC", fmt]))
        assert response.status_code == 200 and response["Content-Type"].startswith(kind)
    csv_text = client.get(reverse("indicators:country_chart", args=["THA", "SL_TLF_CHLDEC", "csv"])).content.decode()
    assert csv_text.splitlines()[-1].startswith("2022,3.3,2.5,4.1")
    assert "1969" in html[html.index('id="ratifications"') :]


def test_progress_labels_come_with_their_probability(client, loaded):
    from target87.indicators import progress

    if not progress.available():
        pytest.skip("the progress engine is not installed")
    html = client.get(reverse("indicators:country", args=["KHM"])).content.decode()
    rows = re.findall(r'<tr data-method="([^"]+)">.*?<td class="num">([^<]*)</td><td class="num">([^<]*)</td>', html)
    methods = {m for m, _score, _p in rows}
    assert methods == {"unsd-2022", "unsd-2023", "escap-csi", "escap-api", "opensdg"}
    assert any(p.strip().endswith("%") for _m, _s, p in rows)


def test_region_aggregates_by_hand(client, loaded):
    comparisons = {c.series.code: c for c in dashboards.region_comparisons(user=None, draws=0)}
    child = comparisons["SL_TLF_CHLDEC"]
    latest = {r.code: r.point.value for r in child.rows}
    assert len(latest) == 12
    values = list(latest.values())
    unweighted, weighted = child.aggregates
    assert math.isclose(unweighted.value, sum(values) / 12)
    populations = {code: spec[3] for code, spec in demo.COUNTRIES.items()}
    expected = sum(latest[c] * populations[c] for c in latest) / sum(populations.values())
    assert math.isclose(weighted.value, expected)
    assert unweighted.lower < unweighted.value < unweighted.upper
    html = client.get(reverse("indicators:region")).content.decode()
    assert "Unweighted mean of the countries (ESCAP)" in html and "Population-weighted mean" in html
    assert 'data-chart="map"' in html and 'data-chart="intervals"' in html
    assert (
        "5.6 %" in html
        and "Asia and the Pacific (ILO region)" in html
        and "Child Labour: Global estimates 2020" in html
    )
    assert "illustrative" in html


def test_region_chart_downloads(client, loaded):
    for chart in ("intervals", "map"):
        response = client.get(reverse("indicators:region_chart", args=["SL_TLF_CHLDEC", chart, "svg"]))
        assert response.status_code == 200 and response.content.startswith(b"<svg")
    rows = client.get(reverse("indicators:region_chart", args=["SL_TLF_CHLDEC", "map", "csv"])).content.decode()
    assert "Population-weighted mean" in rows
    assert client.get(reverse("indicators:region_chart", args=["NOPE", "map", "svg"])).status_code == 404


def test_a_country_without_data_and_an_unknown_code(client, loaded):
    page = client.get(reverse("indicators:country", args=["JPN"]))
    assert page.status_code == 200 and "No published observation for this country yet." in page.content.decode()
    assert client.get(reverse("indicators:country", args=["XYZ"])).status_code == 404


def test_the_country_page_lists_the_public_actions_aiming_at_an_indicator(client, loaded):
    from factories import ConsultationFactory
    from target87.commitments.models import Action
    from target87.indicators.models import Series

    child = Series.objects.get(code="SL_TLF_CHLDEC")
    public = ConsultationFactory(status="published")
    draft = ConsultationFactory(status="draft")
    for consultation, title in ((public, "Child-labour-free zones"), (draft, "A plan still in draft")):
        action = Action.objects.create(consultation=consultation, title=title, country="KHM")
        action.indicators.add(child)
    html = client.get(reverse("indicators:country", args=["KHM"])).content.decode()
    panel = html[html.index('id="SL_TLF_CHLDEC"') :]
    panel = panel[: panel.index("</section>")]
    assert "Child-labour-free zones" in panel and "A plan still in draft" not in panel
    other = html[html.index('id="VC_HTF_DETV"') :]
    assert "No public action or commitment for this country names this indicator yet." in other
