"""A walk-in at a plenary: the code read off the projector, typed on a phone with an e-mail address, the personal
link received by e-mail and opened; the projector's QR code of the join page scans."""

import io
import re
import time

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image
from smtp_sink import Sink  # tests/people, put on the path by conftest

from factories import ConsultationFactory, ParticipationFactory, PersonFactory, SessionFactory


@pytest.fixture
def plenary(transactional_db):
    consultation = ConsultationFactory(slug="bangkok-walkin")
    session = SessionFactory(consultation=consultation, kind="plenary", title="Opening plenary")
    person = PersonFactory(name="Sokha Chan", email="sokha@example.org")
    ParticipationFactory(consultation=consultation, person=person)
    return session


def decode(locator):
    image = Image.open(io.BytesIO(locator.screenshot())).convert("L")
    return zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)


def _mail_to(smtp, address, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = smtp.to(address)
        if found:
            return found
        time.sleep(0.1)
    return []


def test_a_walk_in_types_the_code_from_the_projector_and_opens_the_link_sent_by_e_mail(plenary, smtp, page_factory):
    projector = page_factory(viewport={"width": 1920, "height": 1080})
    projector.goto(reverse("live:screen", kwargs={"pk": plenary.pk}))
    code = projector.locator("[data-join-code]").inner_text()
    address = projector.locator("[data-join-address]").inner_text()
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{6}", code)
    assert projector.locator("[data-join-code]").bounding_box()["height"] > 60  # read from the back of the room
    assert projector.evaluate("document.documentElement.scrollHeight") <= 1080  # all of it on the screen

    phone = page_factory(phone=True)
    phone.goto(f"http://{address}/")
    phone.get_by_label("Join code").fill(code.lower())
    phone.get_by_label("Your e-mail address").fill("sokha@example.org")
    phone.get_by_role("button", name="E-mail me my link").click()
    assert "a personal link is on its way to sokha@example.org" in phone.locator("[data-join-sent]").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    [message] = _mail_to(smtp, "sokha@example.org")
    link = re.search(r"https?://\S+/a/[^/\s]+/", Sink.body(message)).group(0)
    phone.goto(link)
    assert "Sokha Chan" in phone.locator("h1").inner_text()
    assert phone.get_by_role("navigation", name="Your consultation").get_by_role("link", name="Agenda").count() == 1


def test_the_projectors_join_qr_code_scans_to_the_join_page_with_the_code(plenary, smtp, page_factory, live_server):
    projector = page_factory(viewport={"width": 1920, "height": 1080})
    projector.goto(reverse("live:screen", kwargs={"pk": plenary.pk}))
    code = projector.locator("[data-join-code]").inner_text()
    qr = projector.locator("[data-join-qr] svg")
    [read] = decode(qr)
    assert read.text == f"{live_server.url}/join/?code={code}"
    assert qr.bounding_box()["width"] >= 200
    projector.set_viewport_size({"width": 1280, "height": 720})  # a smaller projector: all of it still shows
    assert projector.evaluate("document.documentElement.scrollHeight") <= 720
    assert projector.locator("[data-join-code]").bounding_box()["height"] > 40

    phone = page_factory(phone=True)
    phone.goto(read.text)
    assert phone.get_by_label("Join code").input_value() == code
    phone.get_by_label("Your e-mail address").fill("nobody@example.org")
    phone.get_by_role("button", name="E-mail me my link").click()
    assert "a personal link is on its way to nobody@example.org" in phone.locator("[data-join-sent]").inner_text()
    time.sleep(0.5)
    assert smtp.messages == []


def test_a_phone_without_its_link_is_led_to_the_join_page(plenary, page_factory):
    consultation = plenary.consultation
    phone = page_factory(phone=True)
    phone.goto(reverse("people:my_agenda", kwargs={"slug": consultation.slug}))
    phone.get_by_role("link", name="Get your personal link by e-mail").click()
    phone.get_by_label("Join code").fill("ABCDEF")
    phone.get_by_label("Your e-mail address").fill("sokha@example.org")
    phone.get_by_role("button", name="E-mail me my link").click()
    assert "is not the join code of" in phone.locator("#field-code").inner_text()
    assert phone.get_by_label("Your e-mail address").input_value() == "sokha@example.org"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
