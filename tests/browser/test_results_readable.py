"""Results people can read, on a 390-px phone, at 1280 px and on a 1920×1080 projector; results hidden until the
ballot closes."""

import pytest
from playwright.sync_api import expect

from factories import ConsultationFactory, convener_of
from factories_deliberation import participant
from target87.people.enums import StakeholderGroup
from target87.priorities import services

PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}
GROUPS = sorted(StakeholderGroup.values)  # the nine groups, in the order the results list them
LONG = (
    "Progress on target 8.7 should be reported every year, with figures on child labour and forced labour broken "
    "down by sex, age, sector and region, and published in the national languages so that workers, employers and "
    "survivors can hold the government to its commitments."
)
STATEMENTS = [LONG, "Labour inspection needs twice the inspectors.", "Survivors sit on every national committee."]


@pytest.fixture
def voted(transactional_db):
    """A new agree/disagree ballot, open, with three statements voted by three people in each of nine groups."""
    consultation = ConsultationFactory(slug="readable")
    convener = convener_of(consultation)
    ballot = services.ballot_create(
        actor=convener, consultation=consultation, title="Statements", method="consensus", statements=STATEMENTS
    )
    ballot = services.ballot_open(actor=convener, ballot=ballot)
    for group in GROUPS:
        for n in range(3):
            voter = participant(consultation, group)
            answers = {"S1": 1 if n < (1 if group == "employers" else 2) else -1, "S2": 1 if n == 0 else -1}
            answers["S3"] = 1 if group in ("survivor_led", "civil_society") else (0 if n else -1)
            for code, value in answers.items():
                services.statement_vote(participation=voter, ballot=ballot, item=code, value=value)
    return consultation, convener, ballot


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _no_console_errors(page) -> list:
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


def test_on_a_phone_the_results_read_as_cards_with_full_text_percentages_and_the_lowest_group(voted, page_factory):
    _consultation, _convener, ballot = voted
    phone = page_factory(phone=True)
    errors = _no_console_errors(phone)
    phone.goto(f"/ballots/{ballot.pk}/results/")
    _fits(phone, 390)
    body = phone.locator("main").inner_text()
    assert "0.000" not in body and "0.00" not in body
    row = phone.locator('tr[data-item="S1"]')
    text = row.locator(".item-text")
    expect(text).to_have_text(LONG)
    box = text.bounding_box()
    assert box["width"] >= 280  # the text takes the card's width, several lines, nothing cut
    assert text.evaluate("e => e.scrollWidth <= e.clientWidth + 1 && e.getClientRects().length > 2")
    expect(row.locator("[data-agree-percent]")).to_have_text("63 % agree")
    expect(row.locator("[data-lowest]")).to_contain_text("33 %")
    expect(row.locator("[data-lowest]")).to_contain_text("Employers' organisation: 1 of 3 agree")
    # the groups as labelled tiles, each with its percentage, none off the screen
    tiles = row.locator("td.heat")
    assert tiles.count() == 9
    for i in range(9):
        tile = tiles.nth(i).bounding_box()
        assert tile["x"] >= 0 and tile["x"] + tile["width"] <= 390
    employers = row.locator("td.heat.heat-1")
    assert employers.evaluate("e => getComputedStyle(e, '::before').content").strip('"') == "Employers' organisation"
    assert employers.inner_text().replace("\n", " ").endswith("33 %")
    assert errors == []


def test_at_1280_the_text_column_is_wide_and_the_group_columns_compact(voted, page_factory):
    _consultation, _convener, ballot = voted
    page = page_factory(viewport={"width": 1280, "height": 900})
    page.goto(f"/ballots/{ballot.pk}/results/")
    _fits(page, 1280)
    item = page.locator('tr[data-item="S1"] td.item-col').bounding_box()
    groups = page.locator('tr[data-item="S1"] td.heat')
    widths = [groups.nth(i).bounding_box()["width"] for i in range(groups.count())]
    assert item["width"] >= 380 and max(widths) <= 56, (item, widths)
    # the bar is drawn at the share agreeing: 17 of 27 voters
    bar = page.locator('tr[data-item="S1"] svg.bar').bounding_box()
    agree = page.locator('tr[data-item="S1"] svg.bar rect.agree').bounding_box()
    assert abs(agree["width"] / bar["width"] - 17 / 27) < 0.01
    # the opinion map has its legend
    if page.locator(".opinion-map").count():
        expect(page.locator("[data-legend]")).to_be_visible()


def test_the_projector_shows_full_texts_percentages_and_each_statement_once(voted, page_factory):
    _consultation, _convener, ballot = voted
    screen = page_factory(**PROJECTOR)
    errors = _no_console_errors(screen)
    screen.goto(f"/ballots/{ballot.pk}/screen/")
    _fits(screen, 1920)
    listed = screen.locator(".screen-col li[data-item]")
    codes = [listed.nth(i).get_attribute("data-item") for i in range(listed.count())]
    assert sorted(codes) == ["S1", "S2", "S3"]  # three statements, three columns, none twice
    label = screen.locator('li[data-item="S1"] .label')
    expect(label).to_have_text(LONG)
    assert label.evaluate("e => e.scrollHeight <= e.clientHeight + 1")  # not clamped
    expect(screen.locator('li[data-item="S1"] [data-percent]')).to_have_text("63 %")
    for code in codes:
        item = screen.locator(f'li[data-item="{code}"]')
        expect(item.locator("svg.bar")).to_be_visible()
        box = item.bounding_box()
        assert box["y"] + box["height"] <= 1080, code
    assert float(listed.first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 28
    assert errors == []


def test_results_hidden_until_the_ballot_closes_on_the_screen_and_the_results_page(voted, page_factory):
    consultation, convener, ballot = voted
    desk = page_factory(viewport={"width": 1280, "height": 900}, signed_in=(convener.username, "a-long-test-password"))
    desk.goto(f"/manage/{consultation.slug}/ballots/{ballot.pk}/")
    desk.get_by_role("button", name="Hide results until the ballot closes").click()
    expect(desk.locator("[data-results-hidden]")).to_have_text("results hidden until the ballot closes")

    screen = page_factory(**PROJECTOR)
    screen.goto(f"/ballots/{ballot.pk}/screen/")
    expect(screen.locator("[data-results-hidden]")).to_have_text("Results will be shown when the ballot closes.")
    assert screen.locator(".screen-col").count() == 0 and "%" not in screen.locator("body").inner_text()
    expect(screen.locator("[data-participants]")).to_have_text("27")
    phone = page_factory(phone=True)
    phone.goto(f"/ballots/{ballot.pk}/results/")
    expect(phone.locator("[data-results-hidden]")).to_have_text("Results will be shown when the ballot closes.")
    assert phone.locator("tr[data-item]").count() == 0
    _fits(phone, 390)

    desk.get_by_role("button", name="Close the ballot").click()
    # the screen follows on its own: the results appear at the closing
    expect(screen.locator('li[data-item="S1"] [data-percent]')).to_have_text("63 %", timeout=5000)
    phone.reload()
    expect(phone.locator('tr[data-item="S1"] [data-agree-percent]')).to_have_text("63 % agree")


NINE = [
    "Labour inspection should focus first on the formal sector, where it can act.",
    "Progress on 8.7 should be reported every year with the same indicators across the sub-region.",
    "Survivors should be paid for their time when they help design services.",
    "Recruitment fees should always be paid by employers, never by workers.",
    "Business should be left to set its own due-diligence rules.",
    "Donor funding should go through national plans rather than separate projects.",
    "Children above the minimum age may do light work that does not harm their schooling.",
    "Every country of the sub-region should run a forced labour survey before 2020.",
    "Labour inspectors should bring interpreters for the languages of migrant workers.",
]


def test_nine_statements_fill_the_projector_once_each_without_scrolling(transactional_db, page_factory):
    consultation = ConsultationFactory(slug="nine")
    convener = convener_of(consultation)
    ballot = services.ballot_create(
        actor=convener, consultation=consultation, title="Statements for the closing declaration", method="consensus",
        statements=NINE,
    )  # fmt: skip
    ballot = services.ballot_open(actor=convener, ballot=ballot)
    for g, group in enumerate(GROUPS):
        for n in range(2):
            voter = participant(consultation, group)
            for i in range(1, 10):
                value = 1 if (i + g + n) % 3 else (-1 if i % 2 else 0)
                services.statement_vote(participation=voter, ballot=ballot, item=f"S{i}", value=value)
    screen = page_factory(**PROJECTOR)
    screen.goto(f"/ballots/{ballot.pk}/screen/")
    listed = screen.locator(".screen-col li[data-item]")
    codes = [listed.nth(i).get_attribute("data-item") for i in range(listed.count())]
    assert sorted(codes) == [f"S{i}" for i in range(1, 10)]
    for column in ("[data-leading]", "[data-consensus]", "[data-divisive]"):
        assert screen.locator(f"{column} li[data-item]").count() == 3, column
    assert screen.evaluate("document.documentElement.scrollHeight") <= 1080
    assert screen.evaluate("document.documentElement.scrollWidth") <= 1920
    # every statement in full, with its percentage
    for i, text in enumerate(NINE, start=1):
        expect(screen.locator(f'li[data-item="S{i}"] .label')).to_have_text(text)
    assert screen.locator("[data-percent]").count() >= 6
    # and on a smaller 1280×720 projector
    screen.set_viewport_size({"width": 1280, "height": 720})
    screen.reload()
    assert screen.evaluate("document.documentElement.scrollHeight") <= 720
    assert screen.locator(".screen-col li[data-item]").count() == 9
