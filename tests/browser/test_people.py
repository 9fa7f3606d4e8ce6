"""What people meet around the engines, in a real browser: QR codes that a phone can scan, facilitators invited by
e-mail who land on their group's capture page, …"""

import io
import re

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image
from smtp_sink import Sink  # tests/people, put on the path by conftest

from factories import ConsultationFactory, ParticipationFactory, PersonFactory, convener_of
from factories_deliberation import ballot

PASSWORD = "a-long-test-password"


@pytest.fixture
def event(transactional_db):
    consultation = ConsultationFactory(slug="bangkok-test")
    convener = convener_of(consultation)
    delegate = ParticipationFactory(consultation=consultation, person=PersonFactory(name="Sokha Chan"))
    return consultation, convener, delegate


def decode(locator):
    """The QR codes read from a screenshot of the element, as a phone's camera would read them."""
    image = Image.open(io.BytesIO(locator.screenshot())).convert("L")
    return zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)


def test_the_badge_qr_code_scans_and_opens_the_participants_agenda(event, page_factory):
    consultation, convener, _delegate = event
    page = page_factory(viewport={"width": 1280, "height": 900}, signed_in=(convener.username, PASSWORD))
    page.goto(reverse("people:badges", kwargs={"slug": consultation.slug}))
    badge = page.locator(".name-badge", has_text="Sokha Chan")
    code = badge.locator("svg")
    box = code.bounding_box()
    assert round(box["width"]) == round(box["height"]) == 113  # 3 cm
    [read] = decode(code)
    assert "/a/" in read.text
    phone = page_factory(phone=True)
    phone.goto(read.text)
    assert "Sokha Chan" in phone.locator("h1").inner_text()


def test_the_projector_qr_code_fills_its_box_and_scans(event, page_factory):
    consultation, convener, _delegate = event
    opened = ballot(consultation, convener, "approval")
    page = page_factory(viewport={"width": 1920, "height": 1080}, signed_in=(convener.username, PASSWORD))
    page.goto(reverse("priorities:screen", kwargs={"pk": opened.pk}))
    code = page.locator(".qr svg")
    [read] = decode(code)
    assert read.text.endswith(f"/ballots/{opened.pk}/vote/")
    box = code.bounding_box()
    drawn = read.position.top_right.x - read.position.top_left.x
    assert drawn > 0.7 * box["width"]  # the code fills its box, but for the quiet zone of 4 modules a side
    assert box["width"] > 250


def test_the_access_link_page_qr_code_scans(event, page_factory):
    consultation, convener, _delegate = event
    page = page_factory(phone=True, signed_in=(convener.username, PASSWORD))
    page.goto(reverse("people:manage_participants", kwargs={"slug": consultation.slug}))
    page.locator("tr", has_text="Sokha Chan").get_by_role("button", name="Access link").click()
    [read] = decode(page.locator(".qr svg"))
    assert read.text == page.locator("[data-access-link]").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_facilitator_invited_by_e_mail_records_their_groups_contributions_on_a_phone(
    event, smtp, page_factory, settings
):
    from factories_breakouts import breakout_slot, participants
    from target87.breakouts import services as breakouts
    from target87.breakouts.models import Allocation

    consultation, convener, _delegate = event
    slot = breakout_slot(consultation, rooms=2, capacity=10)
    participants(consultation, 9)
    lead = ParticipationFactory(
        consultation=consultation, role="facilitator", person=PersonFactory(name="Nalin", email="nalin@example.org")
    )
    breakouts.allocation_run(actor=convener, session=slot[0], time_limit=1)
    allocation = breakouts.allocation_publish(actor=convener, allocation=Allocation.objects.get())
    group = allocation.published_run.groups.get(facilitator=lead)

    desk = page_factory(viewport={"width": 1280, "height": 900}, signed_in=(convener.username, PASSWORD))
    desk.goto(reverse("people:manage_participants", kwargs={"slug": consultation.slug}))
    desk.locator("tr", has_text="Nalin").get_by_role("button", name="Invite to sign in").click()
    desk.get_by_text("Done · 100 %").wait_for()
    [message] = smtp.to("nalin@example.org")
    link = re.search(r"https?://\S+/invitation/\S+/", Sink.body(message)).group(0)

    phone = page_factory(phone=True)
    phone.goto(link)
    phone.get_by_label("New password", exact=True).fill("Gr0up-two-notes!")
    phone.get_by_label("New password confirmation").fill("Gr0up-two-notes!")
    phone.get_by_role("button", name="Save and sign in").click()
    phone.wait_for_url("**/contributions/")
    assert f"Your group: {group.number} — {group.room.name}" in phone.locator("[data-own-group]").inner_text()
    tabs = phone.locator("ul.tabs a")
    assert tabs.all_inner_texts() == ["Contributions", "Recommendations", "Synthesis", "Live sessions", "Public page"]
    session = phone.get_by_label("Breakout group")
    question = phone.get_by_label("Key question")
    chosen = (session.input_value(), question.input_value())
    assert chosen[0] == str(group.session_id)
    phone.get_by_label("Contribution", exact=True).fill("Interpreters for labour inspectors.")
    phone.get_by_text("Proposal", exact=True).click()
    phone.get_by_role("button", name="Record").click()
    phone.get_by_text("Contribution recorded.").wait_for()
    assert (session.input_value(), question.input_value()) == chosen
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_participant_on_a_phone_sees_their_own_breakout_and_contributes_from_it(event, page_factory):
    from factories_breakouts import breakout_slot, participants
    from target87.breakouts import services as breakouts
    from target87.breakouts.models import Allocation, GroupAssignment
    from target87.deliberation.models import Contribution
    from target87.people import services

    consultation, convener, _delegate = event
    slot = breakout_slot(consultation, rooms=2, capacity=10)
    participants(consultation, 10)
    breakouts.allocation_run(actor=convener, session=slot[0], time_limit=1)
    allocation = breakouts.allocation_publish(actor=convener, allocation=Allocation.objects.get())
    seat = GroupAssignment.objects.filter(run=allocation.published_run).select_related("group__session").first()
    own, other = seat.group.session, next(s for s in slot if s != seat.group.session)
    token = services.access_link_issue(actor=convener, participation=seat.participation)

    phone = page_factory(phone=True)
    phone.goto(f"/a/{token}/")
    bar = phone.get_by_role("navigation", name="Your consultation")
    assert bar.get_by_role("link").all_inner_texts() == ["Agenda", "Contribute", "Vote"]
    sessions = phone.locator("li.session h3").all_inner_texts()
    assert own.title in sessions and other.title not in sessions
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.locator("li.session", has_text=own.title).get_by_role("link", name="Contribute from this group").click()
    assert phone.get_by_label("Breakout group").input_value() == str(own.pk)
    phone.get_by_label("Your contribution").fill("Interpreters for labour inspectors.")
    phone.get_by_text("Proposal", exact=True).click()
    phone.get_by_role("button", name=re.compile("Send")).click()
    phone.get_by_text("Thank you: your contribution was recorded.").wait_for()
    assert Contribution.objects.get().session_id == own.pk
    bar.get_by_role("link", name="Vote").click()
    assert phone.locator('[aria-current="page"]').inner_text() == "Vote"
    phone.goto(reverse("deliberation:contributions", kwargs={"slug": consultation.slug}))
    published = phone.locator("li.card", has_text="Interpreters for labour inspectors.").inner_text()
    assert seat.participation.person.name not in published  # without the author's name unless they ask


def test_an_observer_on_a_phone_is_told_they_follow_but_do_not_vote(event, page_factory):
    from target87.people import services

    consultation, convener, _delegate = event
    ballot(consultation, convener, "approval")
    observer = ParticipationFactory(consultation=consultation, role="observer", person=PersonFactory(name="Obs"))
    token = services.access_link_issue(actor=convener, participation=observer)
    phone = page_factory(phone=True)
    phone.goto(f"/a/{token}/")
    assert "you do not vote" in phone.locator("[data-observer]").inner_text()
    phone.get_by_role("navigation", name="Your consultation").get_by_role("link", name="Results").click()
    assert phone.get_by_role("link", name=re.compile("ballot")).count() >= 1
    assert phone.locator("a.button.big").count() == 0


def test_a_dots_ballot_on_a_phone_counts_the_dots_left_and_keeps_a_refused_vote(event, page_factory):
    from target87.people import services

    consultation, convener, delegate = event
    dots = ballot(consultation, convener, "dots", dots=10)
    token = services.access_link_issue(actor=convener, participation=delegate)
    phone = page_factory(phone=True)
    messages = []
    phone.on("console", lambda m: messages.append(m.text) if m.type == "error" else None)
    phone.goto(f"/a/{token}/ballots/{dots.pk}/")
    left = phone.locator("[data-dots-left]")
    assert left.inner_text() == "10 dots left"
    first, second = phone.locator('input[type="number"]').all()[:2]
    first.fill("6")
    assert left.inner_text() == "4 dots left"
    second.fill("6")
    assert left.inner_text() == "2 dots too many"
    phone.get_by_role("button", name="Vote").click()
    phone.get_by_text("You placed 12 dots but have 10").wait_for()
    assert (first.input_value(), second.input_value()) == ("6", "6")  # nothing typed is lost
    second.fill("4")
    assert left.inner_text() == "0 dots left"
    phone.get_by_role("button", name="Vote").click()
    phone.get_by_text("Your vote is saved").wait_for()
    phone.get_by_role("navigation", name="Your consultation").get_by_role("link", name="Vote").click()
    assert "voted ✓" in phone.locator("li.card", has_text=dots.title).inner_text()
    assert not [m for m in messages if "Content Security Policy" in m and "script" in m]


def test_pages_with_htmx_load_without_a_content_security_policy_error(event, page_factory):
    from target87.people import services

    consultation, convener, delegate = event
    opened = ballot(consultation, convener, "approval")
    token = services.access_link_issue(actor=convener, participation=delegate)
    phone = page_factory(phone=True)
    errors = []
    phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    for url in (f"/a/{token}/", f"/a/{token}/ballots/{opened.pk}/", f"/consultations/{consultation.slug}/"):
        phone.goto(url)
        phone.wait_for_load_state("networkidle")
        assert phone.evaluate("typeof htmx") == "object"
    assert [e for e in errors if "Content Security Policy" in e] == []


def test_registering_on_a_phone_tells_nobody_whether_an_address_is_registered(event, smtp, page_factory):
    consultation, _convener, _delegate = event

    def register(name):
        phone = page_factory(phone=True)
        phone.goto(reverse("people:register", kwargs={"slug": consultation.slug}))
        phone.get_by_label("Full name").fill(name)
        phone.get_by_label("E-mail").fill("dara@example.org")
        phone.get_by_label("Organisation").fill("Migrant Workers' Aid")
        phone.get_by_label("Stakeholder group").select_option("civil_society")
        phone.get_by_label("Country").select_option("LAO")
        phone.get_by_role("button", name=re.compile("register|Register|Send|send")).click()
        phone.get_by_role("heading", name="Registration received").wait_for()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        return phone.locator("main").inner_text()

    assert register("Dara Keomany") == register("Someone Else")
    assert consultation.participations.filter(person__email="dara@example.org").count() == 1
    [message] = smtp.to("dara@example.org")
    assert "already registered" in Sink.body(message)
