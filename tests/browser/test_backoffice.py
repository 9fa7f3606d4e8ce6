"""The convener's back office in a real browser, on a desktop and on a 390-px phone: the overview's list of what
needs attention, approving registrations together, the participants download, and the timetable grid."""

import csv
import io
from pathlib import Path

import pytest

from factories import ConsultationFactory, ParticipationFactory, PersonFactory, RoomFactory, SessionFactory, at
from factories_breakouts import breakout_slot, participants
from target87.breakouts import services as breakout_services
from target87.breakouts.models import Allocation, GroupAssignment

PASSWORD = "a long convener password"
SCREENS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"phone": True},
}
#: room names and titles with long words, which a narrow column used to cut in two
ROOMS = ["Plenary Hall", "Conference Room 1", "Conference Room 2", "Registration Desk", "Interpretation Booths"]


@pytest.fixture
def office(transactional_db):
    from django.contrib.auth import get_user_model

    consultation = ConsultationFactory(slug="bangkok-test")
    user = get_user_model().objects.create_user("convener", "convener@example.org", PASSWORD)
    ParticipationFactory(consultation=consultation, person=PersonFactory(user=user), role="convener")
    rooms = [RoomFactory(consultation=consultation, name=name, position=k) for k, name in enumerate(ROOMS)]
    long = SessionFactory(
        consultation=consultation,
        room=rooms[0],
        title="Registration, welcome and intergovernmental introductions",
        start=at(2, "09:00"),
        end=at(2, "10:30"),
    )
    short = SessionFactory(
        consultation=consultation, room=rooms[1], title="Coffee", kind="break", start=at(2, "09:00"), end=at(2, "09:30")
    )
    SessionFactory(
        consultation=consultation,
        room=rooms[4],
        title="Interpretation arrangements",
        kind="other",
        start=at(2, "10:00"),
        end=at(2, "11:00"),
    )
    SessionFactory(  # a quarter of an hour: the rows become quarters
        consultation=consultation,
        room=rooms[2],
        title="Group photograph",
        kind="other",
        start=at(2, "10:30"),
        end=at(2, "10:45"),
    )
    for title, start, end in (("Side meeting on data", "09:00", "10:00"), ("Side meeting on law", "09:30", "10:30")):
        SessionFactory(  # two sessions at once in one room: a clash the grid shows
            consultation=consultation, room=rooms[2], title=title, start=at(2, start), end=at(2, end)
        )
    for name in ("Ana Lima", "Ben Okafor", "Chai Somsak"):
        ParticipationFactory(
            consultation=consultation,
            status="requested",
            person=PersonFactory(name=name, email=f"{name.split()[0].lower()}@example.org"),
        )
    return {"consultation": consultation, "user": user, "long": long, "short": short}


def _signed_in(page_factory, screen):
    page = page_factory(**SCREENS[screen], signed_in=("convener", PASSWORD))
    return page


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_the_overview_lists_the_pending_registrations_with_a_link_that_leads_to_them(office, page_factory, screen):
    page = _signed_in(page_factory, screen)
    page.goto("/manage/bangkok-test/")
    link = page.get_by_role("link", name="3 pending registrations")
    assert link.is_visible()
    link.click()
    page.wait_for_url("**/manage/bangkok-test/participants/?status=requested")
    assert page.locator('input[type=checkbox][form="bulk-approve"]').count() == 3
    assert page.locator('.tabs a[aria-current="page"]').inner_text() == "Participants"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_bulk_approve_approves_the_ticked_registrations_only(office, page_factory, screen):
    consultation = office["consultation"]
    page = _signed_in(page_factory, screen)
    page.goto("/manage/bangkok-test/participants/?status=requested")
    page.get_by_label("Choose Ana Lima").check()
    page.get_by_label("Choose Chai Somsak").check()
    page.get_by_role("button", name="Approve the ticked registrations").click()
    page.get_by_text("2 registrations approved.").wait_for()
    statuses = dict(consultation.participations.values_list("person__name", "status"))
    assert [statuses[n] for n in ("Ana Lima", "Ben Okafor", "Chai Somsak")] == ["approved", "requested", "approved"]
    page.goto("/manage/bangkok-test/")
    assert page.get_by_role("link", name="1 pending registration").is_visible()


def test_the_participants_export_downloads_and_holds_each_persons_group(office, page_factory):
    consultation, user = office["consultation"], office["user"]
    slot = breakout_slot(consultation, rooms=2, capacity=10, day=1)
    people = participants(consultation, 8)
    breakout_services.allocation_run(actor=user, session=slot[0], time_limit=1)
    allocation = breakout_services.allocation_publish(actor=user, allocation=Allocation.objects.get())
    group = GroupAssignment.objects.get(run=allocation.published_run, participation=people[3]).group
    page = _signed_in(page_factory, "desktop")
    page.goto("/manage/bangkok-test/participants/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the participants (CSV)").click()
    download = info.value
    assert download.suggested_filename == "bangkok-test-participants.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    row = next(r for r in rows if r["name"] == people[3].person.name)
    assert row["breakout 2016-09-14 11:00"] == f"Group {group.number} — {group.room.name}"
    assert row["status"] == "Approved" and row["email"] == people[3].person.email
    assert {r["name"] for r in rows if r["status"] == "Requested"} == {"Ana Lima", "Ben Okafor", "Chai Somsak"}


def _session_cell(session):
    """The grid's cell that holds the session's link."""
    return f'.timetable td:has(a[href$="/sessions/{session.pk}/"])'


def _box(page, selector):
    box = page.locator(selector).bounding_box()
    return box["y"], box["y"] + box["height"]


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_a_ninety_minute_session_is_drawn_over_the_rows_of_its_ninety_minutes(office, page_factory, screen):
    page = _signed_in(page_factory, screen)
    page.goto("/manage/bangkok-test/timetable/?day=2016-09-15")
    top, bottom = _box(page, _session_cell(office["long"]))
    first_top, _ = _box(page, 'tr[data-time="09:00"]')
    next_top, _ = _box(page, 'tr[data-time="10:30"]')  # the first row after the 90 minutes
    assert abs(top - first_top) <= 1.5 and abs(bottom - next_top) <= 1.5
    short_top, short_bottom = _box(page, _session_cell(office["short"]))
    assert 2.5 <= (bottom - top) / (short_bottom - short_top) <= 3.5  # 90 minutes three times as tall as 30


#: every word of the grid whose letters sit on more than one line (a word cut in two)
BROKEN_WORDS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.querySelector('.timetable table'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(/[^\\s–—-]+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(match[0]);
    }
  }
  return broken;
}"""


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_no_word_of_the_grid_is_cut_in_two(office, page_factory, screen):
    page = _signed_in(page_factory, screen)
    page.goto("/manage/bangkok-test/timetable/?day=2016-09-15")
    page.locator(".timetable table").wait_for()
    assert page.evaluate(BROKEN_WORDS) == []
    # the page itself does not widen: the grid scrolls in its own box
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert page.locator(".timetable").get_by_text("Interpretation arrangements").count() == 1


def test_sessions_overlapping_in_one_room_share_a_block_over_both_their_times(office, page_factory):
    page = _signed_in(page_factory, "desktop")
    page.goto("/manage/bangkok-test/timetable/?day=2016-09-15")
    block = '.timetable td:has-text("Side meeting on data"):has-text("Side meeting on law")'
    top, bottom = _box(page, block)
    first_top, _ = _box(page, 'tr[data-time="09:00"]')
    next_top, _ = _box(page, 'tr[data-time="10:30"]')
    assert abs(top - first_top) <= 1.5 and abs(bottom - next_top) <= 1.5
