"""A statement proposed from a phone during an agree/disagree ballot: the convener accepts it from the ballot's page
(which shows it without being reloaded); the proposer's agreement is counted and they may change it, and another
participant gets it to vote on."""

from playwright.sync_api import expect

from factories import ConsultationFactory, convener_of
from factories_deliberation import ballot, participant
from target87.people import services as people
from target87.priorities.models import StatementProposal, Vote

TEXT = "Labour inspectors bring interpreters for the languages of migrant workers."


def _fits(page, width: int = 390) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_participant_proposes_a_statement_the_convener_accepts_and_everyone_votes_on_it(
    transactional_db, live_server, page_factory
):
    consultation = ConsultationFactory(slug="proposals-check")
    convener = convener_of(consultation)
    b = ballot(consultation, convener, "consensus", items=2, takes_proposals=True)
    delegate = participant(consultation, "workers")
    token = people.access_link_issue(actor=convener, participation=delegate)

    desk = page_factory(phone=True, signed_in=(convener.username, "a-long-test-password"))
    desk.goto(f"/manage/{consultation.slug}/ballots/{b.pk}/")
    expect(desk.locator("#proposals")).to_contain_text("No statement is waiting for review.")
    desk.evaluate("window.notReloaded = true")

    phone = page_factory(phone=True)
    phone.goto(f"/a/{token}/ballots/{b.pk}/")
    for n, answer in enumerate(["Agree", "Disagree"], start=1):
        phone.get_by_role("button", name=answer, exact=True).click()
        expect(phone.locator("[data-count]")).to_have_text(f"statements voted: {n} of 2")
    expect(phone.locator(".done")).to_have_text("You have voted on every statement. Thank you!")
    phone.get_by_text("Propose a statement").click()
    phone.get_by_label("Your statement").fill(TEXT)
    phone.get_by_role("button", name="Send for review").click()
    expect(phone.locator("[data-proposed]")).to_contain_text("your statement was sent to the organisers")
    expect(phone.locator("#my-proposals")).to_contain_text("Waiting for review")
    _fits(phone)
    assert list(StatementProposal.objects.values_list("text", "status")) == [(TEXT, "pending")]

    # the convener's page shows the proposal within the next poll, without reloading
    pending = desk.locator("#proposals li", has_text=TEXT)
    expect(pending).to_be_visible(timeout=8000)
    assert desk.evaluate("window.notReloaded") is True
    _fits(desk)
    pending.get_by_role("button", name="Accept").click()
    expect(desk.locator("#proposals")).to_contain_text("Accepted as S3: participants now vote on it.")
    expect(desk.locator("#proposals")).to_contain_text("No statement is waiting for review.")

    # the proposer agrees with their statement from the moment it is put to the vote (as in Pol.is); they see it
    # among their votes and may change their mind like on any other statement
    phone.reload()
    expect(phone.locator("[data-count]")).to_have_text("statements voted: 3 of 3")
    expect(phone.locator("#my-proposals")).to_contain_text("accepted as S3")
    phone.get_by_text("Your votes (you can change them)").click()
    mine = phone.locator(".my-votes li", has_text=TEXT[:40])
    expect(mine).to_contain_text("Agree")
    mine.get_by_role("link").click()
    expect(phone.locator("[data-statement]")).to_have_attribute("data-statement", "S3")
    expect(phone.locator(".statement-text")).to_have_text(TEXT)
    expect(phone.locator(".proposed-by")).to_have_text("Proposed by a participant")
    phone.get_by_role("button", name="Disagree", exact=True).click()
    expect(phone.locator("[data-count]")).to_have_text("statements voted: 3 of 3")
    _fits(phone)
    assert list(Vote.objects.filter(participation=delegate, item__code="S3").values_list("value", flat=True)) == [-1]

    # another participant gets the new statement to vote on
    other = participant(consultation, "government")
    other_page = page_factory(phone=True)
    other_page.goto(f"/a/{people.access_link_issue(actor=convener, participation=other)}/ballots/{b.pk}/")
    for n in range(1, 3):  # the statements come in a random order: S3 within the first three
        if other_page.locator("[data-statement]").get_attribute("data-statement") == "S3":
            break
        other_page.get_by_role("button", name="Agree", exact=True).click()
        expect(other_page.locator("[data-count]")).to_have_text(f"statements voted: {n} of 3")
    expect(other_page.locator("[data-statement]")).to_have_attribute("data-statement", "S3")
    expect(other_page.locator(".proposed-by")).to_have_text("Proposed by a participant")
