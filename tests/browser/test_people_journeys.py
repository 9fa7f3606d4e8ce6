"""The people around the engines, in a real browser: every approved participant's link sent by e-mail at once,
times in the event's own time zone on a phone set to another, contributions published without the author's name
and held until reviewed, and a refused ranked ballot that keeps what was typed."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.urls import reverse
from smtp_sink import Sink  # tests/people, put on the path by conftest

from factories import (
    ConsultationFactory,
    KeyQuestionFactory,
    ParticipationFactory,
    PersonFactory,
    SessionFactory,
    convener_of,
)
from factories_deliberation import ballot

PASSWORD = "a-long-test-password"
DESK = {"viewport": {"width": 1280, "height": 900}}


def fits_a_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def personal_link(message) -> str:
    return re.search(r"https?://\S+/a/[^/\s]+/", Sink.body(message)).group(0)


# --- E-mail ----------------------------------------------------------------------------------------------------


def test_the_convener_e_mails_every_approved_participant_their_own_link_at_once(transactional_db, smtp, page_factory):
    consultation = ConsultationFactory(slug="links-by-mail")
    convener = convener_of(consultation)
    names = {"Sokha Chan": "sokha@example.org", "Dara Keomany": "dara@example.org", "Mali Suk": "mali@example.org"}
    for name, address in names.items():
        ParticipationFactory(consultation=consultation, person=PersonFactory(name=name, email=address))
    ParticipationFactory(
        consultation=consultation,
        status="requested",
        person=PersonFactory(name="Not Yet", email="requested@example.org"),
    )
    convener_address = consultation.participations.get(role="convener").person.email

    desk = page_factory(**DESK, signed_in=(convener.username, PASSWORD))
    desk.goto(reverse("people:manage_participants", kwargs={"slug": consultation.slug}))
    desk.get_by_role("button", name="E-mail every approved participant their link").click()
    desk.get_by_text("Done · 100 %").wait_for()

    written_to = sorted(address for m in smtp.messages for address in re.findall(r"[\w.]+@example\.org", m["To"]))
    assert written_to == sorted(
        [*names.values(), convener_address]
    )  # one each, none to the registration not yet approved
    links = {name: personal_link(message) for name, address in names.items() for message in smtp.to(address)}
    assert len(set(links.values())) == len(names)

    phone = page_factory(phone=True)
    for name, link in links.items():
        phone.goto(link)
        assert name in phone.locator("h1").inner_text()  # each lands on their own agenda
    assert fits_a_phone(phone)


# --- Times in the event's time zone ----------------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Bangkok"])
def test_a_phone_in_another_time_zone_shows_the_events_own_day_and_time(
    transactional_db, page_factory, monkeypatch, zone
):
    from django.utils import timezone

    from target87.people import services

    day = dt.date(2016, 9, 15)  # a one-day event: a session put on another day would add a day to the programme
    consultation = ConsultationFactory(slug="early-start", time_zone=zone, start_date=day, end_date=day)
    convener = convener_of(consultation)
    start = dt.datetime(2016, 9, 15, 6, 30, tzinfo=zoneinfo.ZoneInfo(zone))
    SessionFactory(consultation=consultation, title="Early start", start=start, end=start + dt.timedelta(minutes=45))
    if zone == "Asia/Bangkok":
        assert start.astimezone(dt.UTC).day == 14  # 23:30 UTC the day before
    delegate = ParticipationFactory(consultation=consultation, person=PersonFactory(name="Sokha Chan"))
    token = services.access_link_issue(actor=convener, participation=delegate)
    # the evening before, so that the agenda shows the session under "Next"
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2016, 9, 14, 20, 0, tzinfo=dt.UTC))

    phone = page_factory(phone=True, timezone_id="Europe/Paris")
    assert phone.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == "Europe/Paris"
    phone.goto(f"/a/{token}/")
    assert "Thursday 15 September" in phone.get_by_role("region", name="Now and next").inner_text()
    for url in (f"/a/{token}/", reverse("consultations:programme", kwargs={"slug": consultation.slug})):
        phone.goto(url)
        days = phone.locator("main h2", has_text="September").all_inner_texts()
        assert days and all("Thursday 15 September" in day for day in days), (url, days)
        item = phone.locator("li.session", has_text="Early start").first
        assert item.locator(".time").inner_text().startswith("06:30"), url
        assert item.locator("time").first.get_attribute("datetime") == start.isoformat(), url
        assert not re.search(r"14 Sep|Wed", phone.locator("main").inner_text()), url
        assert fits_a_phone(phone), url
    item.get_by_role("link", name="Early start").click()
    assert "Thursday 15 September 2016, 06:30–07:15" in phone.locator("main").inner_text()
    assert fits_a_phone(phone)


# --- Safeguarding ----------------------------------------------------------------------------------------------


def file_contribution(phone, token, text, *, show_name):
    phone.goto(f"/a/{token}/")
    phone.get_by_role("navigation", name="Your consultation").get_by_role("link", name="Contribute").click()
    phone.get_by_label("Your contribution").fill(text)
    phone.get_by_text("Proposal", exact=True).click()
    if show_name:
        phone.get_by_label("Show my name with my contribution on public pages").check()
    phone.get_by_role("button", name=re.compile("Send")).click()
    phone.get_by_text("Thank you: your contribution was recorded.").wait_for()
    assert fits_a_phone(phone)


def test_contributions_are_held_until_reviewed_and_published_without_a_name_unless_asked(
    transactional_db, page_factory
):
    from target87.people import services

    consultation = ConsultationFactory(slug="safeguarding")
    KeyQuestionFactory(consultation=consultation)
    convener = convener_of(consultation)
    survivor = ParticipationFactory(consultation=consultation, person=PersonFactory(name="Lin Survivor"))
    advocate = ParticipationFactory(consultation=consultation, person=PersonFactory(name="Vanna Advocate"))
    quiet = "Shelters must not hand victims over to the police."
    named = "Fund legal aid for migrant domestic workers."

    desk = page_factory(**DESK, signed_in=(convener.username, PASSWORD))
    desk.goto(reverse("consultations:edit", kwargs={"slug": consultation.slug}))
    desk.get_by_label("Hold participants' contributions until reviewed").check()
    desk.get_by_role("button", name=re.compile("Save")).click()
    desk.wait_for_load_state()

    phone = page_factory(phone=True)
    file_contribution(phone, services.access_link_issue(actor=convener, participation=survivor), quiet, show_name=False)
    file_contribution(phone, services.access_link_issue(actor=convener, participation=advocate), named, show_name=True)

    public = page_factory(phone=True)
    public.goto(reverse("deliberation:contributions", kwargs={"slug": consultation.slug}))
    shown = public.locator("main").inner_text()
    assert quiet not in shown and named not in shown  # held until the convener has read them

    desk.goto(reverse("deliberation:capture", kwargs={"slug": consultation.slug}))
    for text in (quiet, named):
        desk.locator("tr", has_text=text).get_by_role("button", name="Reviewed: publish").click()
        desk.get_by_text("The contribution is reviewed: it shows on the public pages.").wait_for()

    public.reload()
    assert "Lin Survivor" not in public.locator("li.card", has_text=quiet).inner_text()
    assert "Vanna Advocate" in public.locator("li.card", has_text=named).inner_text()
    assert fits_a_phone(public)


# --- Never lose what someone typed -----------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["borda", "schulze"])
def test_a_refused_ranked_ballot_on_a_phone_keeps_every_position_chosen(transactional_db, page_factory, method):
    from target87.people import services

    consultation = ConsultationFactory(slug=f"ranked-{method}")
    convener = convener_of(consultation)
    delegate = ParticipationFactory(consultation=consultation, person=PersonFactory(name="Sokha Chan"))
    ranked = ballot(consultation, convener, method, items=4)
    token = services.access_link_issue(actor=convener, participation=delegate)

    phone = page_factory(phone=True)
    phone.goto(f"/a/{token}/ballots/{ranked.pk}/")
    chosen = ["2", "1", "2", ""]  # two items given the same place, the last left out
    boxes = phone.locator(".ballot-items select")
    for box, position in zip(boxes.all(), chosen, strict=True):
        box.select_option(position)
    phone.get_by_role("button", name="Vote").click()
    phone.get_by_role("alert").get_by_text("give each item its own position").wait_for()
    assert [box.input_value() for box in boxes.all()] == chosen  # nothing chosen is lost

    boxes.nth(3).select_option("3")
    boxes.nth(2).select_option("")
    phone.get_by_role("button", name="Vote").click()
    phone.get_by_text("Your vote is saved").wait_for()
    assert [box.input_value() for box in boxes.all()] == ["2", "1", "", "3"]
    assert fits_a_phone(phone)
