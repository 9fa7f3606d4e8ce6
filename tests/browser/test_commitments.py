"""A focal point keeps an action up to date, and the public sees it: the journey of the follow-through."""

import xml.etree.ElementTree as ET

from target87.commitments.models import Action
from target87.demo import commitments as demo_commitments

ATOM = "{http://www.w3.org/2005/Atom}"
TITLE = "Costed national action plan on forced labour, tied to the budget cycle"


def test_focal_point_records_60_percent_with_evidence_and_the_public_sees_it(demo, live_server, page_factory, tmp_path):
    action = Action.objects.get(title=TITLE)
    assert action.progress == 45
    evidence = tmp_path / "budget-line-2021.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% the budget line of the plan\n")

    page = page_factory(
        phone=True, signed_in=(demo_commitments.FOCAL_POINT_USERNAME, demo_commitments.FOCAL_POINT_PASSWORD)
    )
    page.goto("/manage/bangkok-2016/actions/")
    assert "Focal point for Thailand" in page.locator("main").inner_text()
    # only Thailand's actions are theirs to keep
    assert "Child-labour-free zones" not in page.locator("main").inner_text()
    page.locator("li", has_text=TITLE).get_by_role("link", name="Record progress").click()
    page.get_by_label("Progress (%)").fill("60")
    page.get_by_label("What happened").fill("The 2021 budget funds the plan's first three measures.")
    page.get_by_label("What the evidence is").fill("Budget line 2021")
    page.get_by_label("Evidence: a file").set_input_files(str(evidence))
    page.get_by_role("button", name="Record the update").click()
    page.wait_for_url(f"**/follow-up/actions/{action.pk}/")
    assert page.locator(".progress-figure").inner_text() == "60 %"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # the public page, signed out
    public = page_factory(viewport={"width": 1280, "height": 900})
    public.goto("/consultations/bangkok-2016/follow-up/?country=THA")
    line = public.locator(".actions-of li", has_text=TITLE).first
    assert line.locator("progress").get_attribute("value") == "60"
    public.get_by_role("link", name=TITLE).first.click()
    history = public.locator(".history li").first.inner_text()
    assert "The 2021 budget funds the plan's first three measures." in history
    assert "Budget line 2021" in history
    assert "progress: 45 → 60" in history

    # the feed
    feed = public.request.get("/consultations/bangkok-2016/follow-up/updates.atom")
    entry = ET.fromstring(feed.body()).find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == f"{TITLE}: In progress, 60 %"
    assert "Budget line 2021" in entry.find(f"{ATOM}summary").text
