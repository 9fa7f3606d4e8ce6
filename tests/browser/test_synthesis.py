"""The rapporteur's journey on the demo: ask for suggested merges (in the background, with progress), review
one, accept it, open the traceability of the merged recommendation, go from one of its source contributions back
to it, then build and publish the outcome report and download its PDF and Word file, the merge in both."""

import re

from target87.demo import bangkok


def test_rapporteur_merges_traces_and_publishes_the_report(demo, page_factory, report_words):
    page = page_factory(phone=True, signed_in=(bangkok.RAPPORTEUR_USERNAME, bangkok.RAPPORTEUR_PASSWORD))

    page.get_by_role("link", name="Synthesis").click()
    page.get_by_role("heading", name="Suggested merges").wait_for()
    # the demo's merges are listed, and coverage per key question
    assert page.locator("[data-merge]").count() >= 2
    assert page.locator("[data-coverage]").count() == 5

    # ask again, by words: more than 80 texts, so it runs in the background with its progress
    page.get_by_label("Compare by").select_option("tfidf")
    page.get_by_role("button", name="Suggest merges").click()
    page.wait_for_url("**/jobs/**")
    page.get_by_role("link", name="See the result").click()
    page.wait_for_url(f"**/manage/{bangkok.SLUG}/synthesis/")
    assert page.locator("[data-fallback]").count() == 0  # words were asked for: nothing fell back

    # review the first suggestion that joins a recommendation and a contribution
    card = (
        page.locator("article[data-suggestion]", has=page.locator("li.is-recommendation"))
        .filter(has=page.locator("li.is-contribution"))
        .first
    )
    if not card.is_visible():  # its key question is folded: open it as the rapporteur would
        card.locator("xpath=ancestor::details/summary").click()
    members = card.locator("li[data-member]").count()
    card.get_by_role("link", name=re.compile(r"^Review S\d+$")).click()
    page.get_by_role("heading", name=re.compile(r"^Suggested merge S\d+")).wait_for()
    assert page.locator(".members li[data-member]").count() == members
    page.get_by_label("Title of the merged recommendation").fill("One merged recommendation")
    page.get_by_role("button", name="Accept and merge").click()

    # the merged recommendation's traceability: every source with its breakout group and stakeholder group
    page.get_by_text(re.compile(r"Merged into R\d+: every source contribution is kept with it\.")).wait_for()
    heading = page.get_by_role("heading", name=re.compile(r"^R\d+\. One merged recommendation$"))
    code = heading.inner_text().split(".")[0]
    sources = page.locator("li[data-source]")
    assert sources.count() >= members
    assert "Breakout" in sources.first.inner_text()
    assert "Stakeholder group" in sources.first.inner_text()

    # from one source contribution back to where it ended up
    sources.first.locator("a").first.click()
    page.get_by_role("heading", name="Where this contribution ended up").wait_for()
    destination = page.locator(f'li[data-destination="{code}"]')
    assert destination.count() == 1
    destination.get_by_role("link", name=re.compile(rf"^{code}\. One merged recommendation$")).click()
    page.get_by_role("heading", name=re.compile(rf"^{code}\. One merged recommendation$")).wait_for()
    # nothing spills sideways on a phone
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    # the outcome report with the merge: built in the background, published, downloaded
    page.get_by_role("link", name="Outcome report").click()
    page.get_by_label("Language").last.select_option("en")
    page.get_by_role("button", name="Build the report").click(timeout=180_000)
    page.get_by_text("Done · 100 %").wait_for(timeout=180_000)
    page.get_by_role("link", name="See the result").click()
    publish = page.get_by_role("button", name=re.compile(r"^Publish edition \d+$"))
    number = publish.inner_text().split()[-1]
    publish.click()
    page.get_by_text(f"Edition {number} is published.").wait_for()

    page.goto(f"/consultations/{bangkok.SLUG}/report/")
    page.get_by_role("heading", name=re.compile(rf"^{code}\. One merged recommendation$")).wait_for()
    text, words = report_words(page)
    for position in range(1, 6):
        assert f"Key question {position}" in text and f"Key question {position}" in words
    assert f"{code}. One merged recommendation" in text
    assert f"{code}. One merged recommendation" in words
