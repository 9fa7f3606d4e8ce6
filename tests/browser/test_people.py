"""What people meet around the engines, in a real browser: QR codes that a phone can scan, …"""

import io

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from factories import ConsultationFactory, ParticipationFactory, PersonFactory, convener_of
from factories_deliberation import ballot

PASSWORD = "a-long-test-password"


@pytest.fixture
def event(transactional_db):
    consultation = ConsultationFactory(slug="bangkok-test")
    convener = convener_of(consultation)
    delegate = ParticipationFactory(consultation=consultation, person=PersonFactory(name="Sokha Chan"))
    return consultation, convener, delegate


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("User name").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/manage/")


def decode(locator):
    """The QR codes read from a screenshot of the element, as a phone's camera would read them."""
    image = Image.open(io.BytesIO(locator.screenshot())).convert("L")
    return zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)


def test_the_badge_qr_code_scans_and_opens_the_participants_agenda(event, page_factory):
    consultation, convener, _delegate = event
    page = page_factory(viewport={"width": 1280, "height": 900})
    sign_in(page, convener)
    page.goto(reverse("people:badges", kwargs={"slug": consultation.slug}))
    badge = page.locator(".name-badge", has_text="Sokha Chan")
    code = badge.locator("svg")
    box = code.bounding_box()
    assert round(box["width"]) == round(box["height"]) == 113  # 3 cm
    [read] = decode(code)
    assert "/a/" in read.text
    phone = page_factory(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone.goto(read.text)
    assert "Sokha Chan" in phone.locator("h1").inner_text()


def test_the_projector_qr_code_fills_its_box_and_scans(event, page_factory):
    consultation, convener, _delegate = event
    opened = ballot(consultation, convener, "approval")
    page = page_factory(viewport={"width": 1920, "height": 1080})
    sign_in(page, convener)
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
    page = page_factory(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    sign_in(page, convener)
    page.goto(reverse("people:manage_participants", kwargs={"slug": consultation.slug}))
    page.locator("tr", has_text="Sokha Chan").get_by_role("button", name="Access link").click()
    [read] = decode(page.locator(".qr svg"))
    assert read.text == page.locator("[data-access-link]").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
