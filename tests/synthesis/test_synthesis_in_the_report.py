"""The outcome report speaks of a merged recommendation once: the recommendations it stands for are not listed
again beside it."""

import pytest
from factories_synthesis import accept, suggest

from target87.reports import services as reports
from target87.reports.contents import report_contents

pytestmark = pytest.mark.django_db


def test_the_report_lists_a_merge_and_not_its_members(consultation, convener, texts):
    first = texts.recommendation("Social partners A", "Workers' and employers' organisations sit on committees.")
    second = texts.recommendation("Social partners B", "Make social partners full members of the committees.")
    other = texts.recommendation("Surveys", "Add the child labour module to household surveys.", question=1)
    merged = accept(convener, suggest(consultation, [first, second])).recommendation
    codes = [
        r["code"] for q in report_contents(consultation=consultation)["key_questions"] for r in q["recommendations"]
    ]
    assert sorted(codes) == sorted([merged.code, other.code])


def test_a_channel_named_without_latin_letters_gets_an_address(consultation, convener):
    thai = reports.channel_save(actor=convener, consultation=consultation, name="ประเทศไทย", kind="other")
    chinese = reports.channel_save(actor=convener, consultation=consultation, name="中国", kind="other")
    assert thai.slug == "channel" and chinese.slug == "channel-2"
