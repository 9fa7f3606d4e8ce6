"""The convener allocates a breakout slot of the demo, moves a person, locks a group and publishes; the
participant's agenda then shows their group and room."""

import re

from django.urls import reverse

from target87.demo import bangkok


def test_convener_allocates_moves_locks_publishes_and_the_participant_sees_their_group(demo, page_factory):
    page = page_factory(
        viewport={"width": 1280, "height": 900}, signed_in=(bangkok.CONVENER_USERNAME, bangkok.CONVENER_PASSWORD)
    )
    page.goto("/manage/bangkok-2016/groups/")
    page.get_by_role("link", name="Thursday 15 September, 10:45–12:15").click()
    page.get_by_role("heading", name="Breakout groups at 10:45").wait_for()

    page.get_by_role("button", name="Allocate again").click()
    page.get_by_text("Allocated 110 people (run 2): optimal, gap 0 %.").wait_for()
    assert "Draft" in page.locator(".breakout-status").inner_text()
    assert page.locator("[data-tripartite]", has_text="Tripartite ✓").count() == 4

    # move someone from group 1 to group 2: the counts change without a reload
    page.evaluate("window.stillThisPage = true")
    one, two = page.locator('article[data-group="1"]'), page.locator('article[data-group="2"]')
    size_one = int(one.locator("[data-size]").inner_text().split(" / ")[0])
    size_two = int(two.locator("[data-size]").inner_text().split(" / ")[0])
    one.locator("summary").click()
    person = one.locator("li[data-person]:has(form.move-form)").first
    name = person.locator(".name").inner_text()
    person_id = person.get_attribute("data-person")
    person.locator("select").select_option("2")
    person.get_by_role("button", name="Move").click()
    two.locator("[data-size]", has_text=f"{size_two + 1} / 30 seats").wait_for()
    assert one.locator("[data-size]").inner_text() == f"{size_one - 1} / 30 seats"
    assert page.locator('[data-figure="moves"] strong').inner_text() == "1"
    assert page.evaluate("window.stillThisPage") is True
    assert two.locator(f'li[data-person="{person_id}"]').count() == 1

    # lock group 2 with the person in it, then publish
    two.get_by_role("button", name="Lock group 2").click()
    two.get_by_role("button", name="Unlock group 2").wait_for()
    assert two.locator("form.move-form").count() == 0
    assert page.evaluate("window.stillThisPage") is True
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Published: participants see their group and room in their agenda.").wait_for()

    # the person's agenda shows their group and room under the breakout session
    from django.contrib.auth import get_user_model

    from target87.people import services
    from target87.people.models import Participation

    participation = Participation.objects.get(pk=person_id)
    convener = get_user_model().objects.get(username=bangkok.CONVENER_USERNAME)
    token = services.access_link_issue(actor=convener, participation=participation)
    phone = page_factory(phone=True)
    phone.goto(reverse("people:agenda", kwargs={"token": token}))
    session = phone.locator("li.session", has_text="Breakout B: reporting on progress")
    assert session.locator(".notes").inner_text().splitlines()[0] == "Your group: 2 — Meeting Room B"
    assert name in phone.locator("h1").inner_text()
    assert re.search(r"Your group: \d — Meeting Room [A-D]", phone.locator("main").inner_text())
