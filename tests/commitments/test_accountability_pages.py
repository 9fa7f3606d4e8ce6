"""What the public sees: the tree recommendations → actions with filters, an action's history, what has happened
since a recommendation, the feed, the exports, the widget (the only framable page), alignment, partnerships and
the finance view."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse

from target87.commitments import finance, selectors, services
from target87.commitments.models import ExchangeRate

ATOM = "{http://www.w3.org/2005/Atom}"


def _url(world, name, **kwargs):
    return reverse(f"commitments:{name}", kwargs={"slug": world.consultation.slug, **kwargs})


def test_tree_shows_each_recommendation_with_its_actions_and_progress(world, client):
    page = client.get(_url(world, "accountability")).content.decode()
    assert page.index("R1. ") < page.index("Inspectors trained on fishing vessels") < page.index("R2. ")
    assert '<progress class="bar" max="100" value="20">' in page
    assert "No action answers this recommendation yet." in page  # R3


@pytest.mark.parametrize(
    "query, shown, hidden",
    [
        ("country=KHM", "Child-labour-free zones", "Inspectors trained"),
        ("status=in_progress", "Inspectors trained", "Child-labour-free zones"),
        ("area=child_labour", "Child-labour-free zones", "Inspectors trained"),
    ],
)
def test_filters(world, client, query, shown, hidden):
    page = client.get(_url(world, "accountability") + "?" + query).content.decode()
    assert shown in page
    assert hidden not in page


def test_filter_by_actor(world, client):
    page = client.get(_url(world, "accountability") + f"?actor={world.union.pk}").content.decode()
    assert "Inspectors trained" in page
    assert "Child-labour-free zones" not in page


def test_overdue_action_is_flagged(world, client):
    page = client.get(world.khm.get_absolute_url()).content.decode()
    assert '<span class="overdue">Overdue</span>' in page
    assert '<span class="overdue">' not in client.get(world.tha.get_absolute_url()).content.decode()


def test_since_page_and_feed_show_an_update_with_its_evidence(world, client):
    services.action_update(
        actor=world.focal_tha,
        action=world.tha,
        progress=60,
        note="Half the provinces covered.",
        evidence=[{"url": "https://example.org/report.pdf", "label": "Inspection report"}],
    )
    page = client.get(_url(world, "since", number=1)).content.decode()
    assert "Half the provinces covered." in page
    assert 'href="https://example.org/report.pdf"' in page
    feed = client.get(_url(world, "feed"))
    assert feed["Content-Type"].startswith("application/atom+xml")
    entries = ET.fromstring(feed.content).findall(f"{ATOM}entry")
    assert entries[0].find(f"{ATOM}title").text == "Inspectors trained on fishing vessels: In progress, 60 %"
    assert "Inspection report" in entries[0].find(f"{ATOM}summary").text
    assert len(entries) == 3  # the update and the two creations


def test_csv_and_json_exports(world, client):
    response = client.get(_url(world, "export", exporter="csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["title"], r["country"], r["lead"], r["recommendations"]) for r in rows] == [
        ("Child-labour-free zones", "KHM", "Children First Cambodia", "R2"),
        ("Inspectors trained on fishing vessels", "THA", "Ministry of Labour of Thailand", "R1"),
    ]
    data = json.loads(client.get(_url(world, "export", exporter="json")).content)
    assert [a["overdue"] for a in data["actions"]] == [True, False]
    assert data["actions"][1]["updates"][0]["changes"]["progress"] == [None, 20]


def test_widget_is_the_only_page_that_may_be_framed(world, client):
    widget = client.get(_url(world, "widget"))
    assert widget.status_code == 200
    assert "X-Frame-Options" not in widget
    assert "frame-ancestors https:" in widget["Content-Security-Policy"]
    page = client.get(_url(world, "accountability"))
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def _closed_ballot(world, convener, places) -> None:
    """A closed approval ballot "Priorities" whose result gives each recommendation its place, in that order."""
    from target87.priorities import services as priorities
    from target87.priorities.models import Ballot

    made = priorities.ballot_create(
        actor=convener,
        consultation=world.consultation,
        title="Priorities",
        method="approval",
        recommendations=[rec for rec, _place in places],
    )
    codes = {i.recommendation_id: i.code for i in made.items.all()}
    ranking = [{"item": codes[rec.pk], "rank": place} for rec, place in places]
    Ballot.objects.filter(pk=made.pk).update(status="closed", result={"method": "approval", "overall": ranking})


def test_alignment_names_orphan_priorities_and_actions_serving_none(world, client, convener):
    # R3 first, R1 second, R2 third: with three items, the top third (one place) is a priority
    _closed_ballot(world, convener, [(world.r3, 1), (world.r1, 2), (world.r2, 3)])
    assert [r.number for r in selectors.orphan_priorities(consultation=world.consultation)] == [3]
    data = selectors.alignment(consultation=world.consultation)
    assert {a.title for a in data["no_priority"]} == {
        "Inspectors trained on fishing vessels",
        "Child-labour-free zones",
    }
    page = client.get(_url(world, "alignment")).content.decode()
    assert "R3. Recommendation" in page.split('id="orphans"')[1].split('id="no-priority"')[0]
    services.action_update(actor=convener, action=world.khm, recommendations=[world.r2, world.r3])
    assert selectors.orphan_priorities(consultation=world.consultation) == []
    assert [a.title for a in selectors.alignment(consultation=world.consultation)["no_priority"]] == [
        "Inspectors trained on fishing vessels"
    ]


def test_recommendations_tied_at_the_last_priority_place_are_all_priorities(world, convener):
    # R2 and R1 share the first place (listed by item code), R3 comes third; one place is a priority
    _closed_ballot(world, convener, [(world.r2, 1), (world.r1, 1), (world.r3, 3)])
    places = selectors.priority_places(consultation=world.consultation)
    assert places == {world.r1.pk: [("Priorities", 1)], world.r2.pk: [("Priorities", 1)]}


def test_statements_ranked_above_the_recommendations_do_not_push_them_out_of_the_priorities(world, convener):
    from target87.priorities.models import Ballot, BallotItem

    _closed_ballot(world, convener, [(world.r1, 3), (world.r2, 4), (world.r3, 5)])
    ballot = Ballot.objects.get(title="Priorities")
    for code in ("S1", "S2"):  # two statements of the audience, ranked first and second
        BallotItem.objects.create(ballot=ballot, code=code, label=f"Statement {code}", position=10 + int(code[1]))
    ballot.result["overall"] = [{"item": "S1", "rank": 1}, {"item": "S2", "rank": 2}, *ballot.result["overall"]]
    ballot.save(update_fields=["result"])
    # three recommendations: the top third is one, the first of them, at the ballot's place 3
    assert selectors.priority_places(consultation=world.consultation) == {world.r1.pk: [("Priorities", 3)]}


def test_partnerships_count_actions_shared_by_stakeholder_groups(world, client):
    data = selectors.partnerships(consultation=world.consultation)
    pairs = dict(data["pairs"])
    assert pairs[("development_partner", "government")] == 1
    assert pairs[("civil_society", "development_partner")] == 1
    assert pairs[("government", "workers")] == 1
    assert ("civil_society", "government") not in pairs
    page = client.get(_url(world, "partnerships")).content.decode()
    assert page.count('<line class="edge"') == 4
    assert page.count('<circle class="node"') == 4


def test_finance_totals_in_a_chosen_currency(world, client):
    ExchangeRate.objects.create(currency="THB", valid_from="2017-01-01", per_usd=Decimal("35"))
    ExchangeRate.objects.create(currency="THB", valid_from="2020-01-01", per_usd=Decimal("31"))
    add = dict(actor=world.convener, kind="committed", source_type="domestic")
    services.money_add(action=world.tha, year=2019, amount="3500000", currency="THB", **add)  # 100,000 USD at 35
    services.money_add(action=world.tha, year=2020, amount="310000", currency="THB", **add)  # 10,000 USD at 31
    services.money_add(
        action=world.khm, year=2020, amount="5000", currency="USD", **{**add, "source_type": "oda_grant"}
    )
    services.money_add(action=world.khm, year=2020, amount="999", currency="KHR", **add)  # no rate: left out
    data = finance.totals(consultation=world.consultation, currency="USD")
    assert data["committed"] == Decimal("115000")
    assert data["missing"] == ["KHR"]
    assert {r["key"]: r["committed"] for r in data["by_year"]} == {2019: Decimal(100000), 2020: Decimal(15000)}
    in_thb = finance.totals(consultation=world.consultation, currency="THB")
    # 2020 amounts at 31 THB to the dollar: 310,000 THB + 5,000 USD × 31
    assert {r["key"]: r["committed"] for r in in_thb["by_year"]}[2020] == Decimal("465000")
    page = client.get(_url(world, "finance") + "?currency=THB").content.decode()
    assert "<svg" in page
    assert "Amounts in KHR are left out" in page


def test_pages_read_the_same_number_of_queries_however_many_actions(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(name):
        with CaptureQueriesContext(connection) as seen:
            assert client.get(_url(world, name)).status_code == 200
        return len(seen)

    before = {name: queries(name) for name in ("accountability", "alignment", "widget")}
    for n in range(4):
        services.action_create(
            actor=world.convener,
            consultation=world.consultation,
            title=f"More {n}",
            country="KHM",
            recommendations=[world.r1, world.r3],
            partners=[(world.ngo, "lead"), (world.union, "partner")],
        )
    assert {name: queries(name) for name in before} == before


def test_followup_summary_for_the_report(world):
    summary = selectors.followup_summary(consultation=world.consultation)
    assert summary["actions"] == 2
    assert summary["by_status"] == {"planned": 0, "in_progress": 1, "completed": 0, "delayed": 1, "dropped": 0}
    assert [a.title for a in summary["overdue"]] == ["Child-labour-free zones"]
    assert summary["orphan_priorities"] == []  # no closed ballot: nothing is a priority yet


def test_action_page_says_whether_its_indicators_moved(world, client):
    from target87.indicators.models import Observation, Series, Vintage

    series, _created = Series.objects.get_or_create(code="SL_TLF_CHLDEC", defaults={"name": "Child labour"})
    published = Vintage.objects.create(kind="sdmx-csv", label="Survey", published=True)
    hidden = Vintage.objects.create(kind="sdmx-csv", label="Not yet published", published=False)
    for year, value, vintage in (("2012", 19.1, published), ("2019", 12.3, published), ("2022", 9.9, hidden)):
        Observation.objects.create(
            series=series, ref_area="KHM", time_period=year, value=value, source="Survey", vintage=vintage
        )
    Observation.objects.create(
        series=series, ref_area="THA", time_period="2019", value=5.0, source="Survey", vintage=published
    )
    services.action_update(actor=world.convener, action=world.khm, indicators=[series])
    [row] = selectors.indicator_movement(action=world.khm)
    assert (row["latest"].value, row["previous"].value, round(row["change"], 1)) == (12.3, 19.1, -6.8)
    page = client.get(world.khm.get_absolute_url()).content.decode()
    assert "12.3 (2019), 19.1 in 2012: a change of -6.8" in page
    assert "9.9" not in page  # the unpublished vintage is not shown to the public
