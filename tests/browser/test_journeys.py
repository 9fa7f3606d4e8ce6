"""The main journeys, as a person would make them."""

import itertools

import icalendar
from django.urls import reverse

from target87.demo import bangkok
from target87.people import services
from target87.people.models import Participation


def _access_link(live_server) -> tuple[Participation, str]:
    participation = Participation.objects.filter(
        consultation__slug="bangkok-2016", status="approved", role="panellist"
    ).first()
    from django.contrib.auth import get_user_model

    convener = get_user_model().objects.get(username=bangkok.CONVENER_USERNAME)
    token = services.access_link_issue(actor=convener, participation=participation)
    return participation, live_server.url + reverse("people:agenda", kwargs={"token": token})


def test_participant_opens_their_link_on_a_phone_and_takes_the_agenda(demo, live_server, page_factory, tmp_path):
    participation, url = _access_link(live_server)
    page = page_factory(phone=True, timezone_id="Europe/Paris")
    page.goto(url)
    assert page.get_by_role("heading", level=1).inner_text() == f"Agenda of {participation.person.name}"
    assert "times in Asia/Bangkok" in page.locator("main").inner_text()
    # Bangkok time whatever the phone's own zone: the opening plenary starts at 09:00
    opening = page.locator("li.session", has_text="Opening: towards an Alliance 8.7")
    assert opening.locator(".time").inner_text() == "09:00–09:45"
    assert page.locator("li.session", has_text="You speak here").count() >= 1
    # nothing is wider than the phone's screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to my calendar").click()
    path = tmp_path / "agenda.ics"
    download.value.save_as(path)
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    events = list(calendar.walk("VEVENT"))
    # the programme's 31 sessions less the parallel breakouts of the other groups (4 slots of 4 breakouts)
    assert len(events) == 31 - 4 * 3
    breakouts = sorted(
        (e.decoded("DTSTART"), e.decoded("DTEND")) for e in events if str(e["SUMMARY"]).startswith("Breakout")
    )
    assert len(breakouts) == 4  # one a slot: their own group's
    assert all(end <= start for (_s, end), (start, _e) in itertools.pairwise(breakouts))  # none overlaps another
    assert {e.decoded("DTSTART").date().isoformat() for e in events} == {"2016-09-14", "2016-09-15"}
    assert {e["DTSTART"].params["TZID"] for e in events} == {"Asia/Bangkok"}


def test_convener_adds_a_clashing_session_and_reads_why(demo, live_server, page_factory):
    page = page_factory(
        viewport={"width": 1280, "height": 900}, signed_in=(bangkok.CONVENER_USERNAME, bangkok.CONVENER_PASSWORD)
    )
    page.goto("/manage/bangkok-2016/timetable/?day=2016-09-14")
    page.get_by_role("link", name="Add a session").click()
    page.get_by_label("Kind").select_option("expert_panel")
    page.get_by_label("Title", exact=True).fill("Extra panel on recruitment fees")
    page.get_by_label("Day").fill("2016-09-14")
    page.get_by_label("Start").fill("10:00")
    page.get_by_label("End").fill("11:00")
    page.get_by_label("Room", exact=True).select_option(label="Plenary Hall")
    # the check runs as the form changes, before anything is saved
    problems = page.locator("[data-problems]")
    problems.wait_for()
    message = problems.inner_text()
    assert (
        "“Extra panel on recruitment fees” and “Expert panel: what works to end forced labour and child labour” would both be in Plenary Hall"
        in message
    )
    assert page.locator(".cell.clash").count() == 2  # this session and the panel it clashes with
    assert "10:00–11:00" in page.locator("[data-draft]").inner_text()  # the grid speaks Bangkok time
    # saving anyway is refused with the same message, and nothing is stored
    page.get_by_role("button", name="Save").click()
    assert "would both be in Plenary Hall" in page.locator("[data-problems]").inner_text()
    from target87.consultations.models import Session

    assert not Session.objects.filter(title="Extra panel on recruitment fees").exists()
    # moved to a free room, it is saved
    page.get_by_label("Room", exact=True).select_option(label="Meeting Room A")
    page.get_by_text("No clash: the session fits the timetable.").wait_for()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/timetable/?day=2016-09-14")
    assert Session.objects.filter(title="Extra panel on recruitment fees", room__name="Meeting Room A").exists()


def test_visitor_switches_the_programme_to_french(demo, live_server, page_factory):
    page = page_factory(viewport={"width": 1280, "height": 900})
    page.goto("/consultations/bangkok-2016/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_label("Language").select_option("fr")
    page.wait_for_function("document.documentElement.lang === 'fr'")
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Atelier de consultation sous-régionale sur la réalisation de la cible 8.7 des ODD"
    )
    body = page.locator("main").inner_text()
    assert "Jour 1" in body and "Plénière" in body
    page.get_by_role("link", name="Jour 2", exact=False).click()
    assert "Jour 2" in page.locator("[aria-current=page]").inner_text()
