"""The report's contents: priorities, support per stakeholder group, consensus, dissent, channels, annexes."""

import pytest
from django.utils import translation
from factories_reports import SPEAKERS, filled

from target87.reports.contents import report_contents
from target87.reports.models import Channel, Route

pytestmark = pytest.mark.django_db


def test_report_contents_orders_recommendations_by_priority_with_group_support(consultation, convener):
    made = filled(consultation, convener)
    with translation.override("en"):
        r = report_contents(consultation=consultation)
    assert [q["short_title"] for q in r["key_questions"]] == [
        "Policy measures and good practices",
        "Institutional frameworks and partnerships",
        "Technical systems and tools",
        "Alignment of NGO and donor action",
        "Development finance",
    ]
    first = r["key_questions"][0]["recommendations"]
    assert [rec["title"] for rec in first] == ["National action plans", "Labour inspection in farms"]
    support = first[0]["support"]
    # approval: 6 of 9 voters approve R1 (governments and workers), employers place it after R3
    assert (support["rank"], support["score"], support["of"]) == (1, 6, 3)
    by_group = {g["group"]: (g["rank"], g["priority"]) for g in support["groups"]}
    assert by_group == {"employers": (2, False), "government": (1, True), "workers": (1, True)}
    assert support["groups_of"] == 3  # every group placed the same three recommendations
    assert support["consensus"] == "partial"
    assert [g["group"] for g in support["minority"]] == ["employers"]
    assert made["recs"][0].code == first[0]["code"]


def test_report_contents_dissent_good_practices_and_key_messages(consultation, convener):
    filled(consultation, convener)
    with translation.override("en"):
        r = report_contents(consultation=consultation)
    q1 = r["key_questions"][0]
    assert q1["key_messages"] == []  # none written by the rapporteur: none made up
    assert [c["text"] for c in q1["good_practices"]] == ["Viet Nam's child labour survey is repeated every five years."]
    inspection = q1["recommendations"][1]
    assert [d["text"] for d in inspection["dissent"]] == [
        "Farms are family businesses: inspection alone will not work."
    ]


def test_report_contents_annexes_count_people_and_name_only_speakers(consultation, convener):
    filled(consultation, convener, voters_per_group=2)
    with translation.override("en"):
        r = report_contents(consultation=consultation)
    participation = r["annexes"]["participation"]
    # 5 speakers + 6 voters + the convener
    assert participation["total"] == 12
    assert {row["label"]: row["count"] for row in participation["by_gender"]}["Woman"] == 5
    speakers = [p["name"] for s in r["annexes"]["programme"] for p in s["speakers"]]
    assert speakers == list(SPEAKERS.values())
    assert r["annexes"]["methods"]["voting"][0]["method_label"] == "Approval"


def test_report_for_a_country_channel_keeps_its_recommendations_and_contributions(consultation, convener):
    made = filled(consultation, convener)
    cambodia = Channel.objects.get(consultation=consultation, country="KHM")
    Route.objects.create(channel=cambodia, recommendation=made["recs"][1])
    with translation.override("en"):
        r = report_contents(consultation=consultation, channel=cambodia)
    codes = [rec["code"] for q in r["key_questions"] for rec in q["recommendations"]]
    assert codes == [made["recs"][1].code]
    q1 = r["key_questions"][0]
    assert [c["text"] for c in q1["country_contributions"]] == ["Inspectors lack transport in Cambodia."]
    assert q1["good_practices"] == []
    assert r["channel"]["name"] == "Country-level initiatives: Cambodia"


def test_report_of_a_consultation_without_recommendations_says_so(consultation):
    with translation.override("en"):
        r = report_contents(consultation=consultation)
    assert r["empty"] is True
    assert r["summary"]["paragraphs"][-1] == (
        "No recommendations have been drafted yet: this report will list them once they are."
    )


def test_report_contents_in_french(consultation, convener):
    filled(consultation, convener)
    with translation.override("fr"):
        r = report_contents(consultation=consultation)
    assert r["language"] == "fr"
    assert r["key_questions"][0]["recommendations"][0]["level_label"] == "National"
