"""Journeys of the plenary: voting on a phone while the projector follows, and contributing offline."""

from playwright.sync_api import expect

from factories import ConsultationFactory, KeyQuestionFactory, convener_of
from factories_deliberation import participant
from target87.deliberation.models import Contribution
from target87.people import services as people
from target87.people.models import Participation
from target87.priorities.models import Ballot, BallotPaper, PairwiseChoice, Vote


def _newcomer(*ballots) -> Participation:
    """An approved participant of the demo who has not voted on these ballots yet."""
    voted = BallotPaper.objects.filter(ballot__in=ballots).values("participation_id")
    return (
        Participation.objects.filter(consultation__slug="bangkok-2016", status="approved", role="participant")
        .exclude(pk__in=voted)
        .order_by("pk")
        .first()
    )


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_phone_makes_ten_pairwise_choices_and_votes_on_statements_while_the_screen_follows(
    demo, live_server, page_factory
):
    from django.contrib.auth import get_user_model

    from target87.demo import bangkok

    pairwise = Ballot.objects.get(consultation__slug="bangkok-2016", status="open", method="bradley-terry")
    statements = Ballot.objects.get(consultation__slug="bangkok-2016", status="open", method="consensus")
    delegate = _newcomer(pairwise, statements)
    convener = get_user_model().objects.get(username=bangkok.CONVENER_USERNAME)
    token = people.access_link_issue(actor=convener, participation=delegate)

    screen = page_factory(viewport={"width": 1280, "height": 720})
    screen.goto(f"/ballots/{pairwise.pk}/screen/")
    choices_before = int(screen.locator("[data-votes]").inner_text())
    screen.evaluate("window.notReloaded = true")
    _fits(screen, 1280)
    # the three lists and the QR code fit on a 1280×720 projector without scrolling
    for part in ("[data-leading]", "[data-consensus]", "[data-divisive]", ".screen-join svg"):
        box = screen.locator(part).bounding_box()
        assert box["x"] + box["width"] <= 1280 and box["y"] + box["height"] <= 720, part

    phone = page_factory(phone=True)
    phone.goto(f"/a/{token}/ballots/{pairwise.pk}/")
    expect(phone.get_by_role("heading", level=1)).to_have_text(pairwise.title)
    for n in range(1, 11):
        phone.locator("button.choice").nth(n % 2).click()
        expect(phone.locator("[data-count]")).to_have_text("1 choice made" if n == 1 else f"{n} choices made")
    _fits(phone, 390)
    assert PairwiseChoice.objects.filter(ballot=pairwise, participation=delegate).count() == 10
    # the projector shows the new count within two seconds, without reloading
    expect(screen.locator("[data-votes]")).to_have_text(str(choices_before + 10), timeout=3000)
    assert screen.evaluate("window.notReloaded") is True

    screen.set_viewport_size({"width": 1920, "height": 1080})
    screen.goto(f"/ballots/{statements.pk}/screen/")
    _fits(screen, 1920)
    assert float(screen.locator(".screen-col li").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 28
    people_before = int(screen.locator("[data-participants]").inner_text())
    votes_before = int(screen.locator("[data-votes]").inner_text())

    phone.goto(f"/ballots/{statements.pk}/vote/")
    cast = []
    for n, answer in enumerate(["Agree", "Disagree", "Agree", "Pass / unsure"], start=1):
        code = phone.locator("[data-statement]").get_attribute("data-statement")
        phone.get_by_role("button", name=answer, exact=True).click()
        expect(phone.locator("[data-count]")).to_have_text(f"statements voted: {n} of 9")
        cast.append((code, {"Agree": 1, "Disagree": -1}.get(answer, 0)))
    stored = dict(Vote.objects.filter(ballot=statements, participation=delegate).values_list("item__code", "value"))
    assert stored == dict(cast)
    expect(screen.locator("[data-participants]")).to_have_text(str(people_before + 1), timeout=3000)
    expect(screen.locator("[data-votes]")).to_have_text(str(votes_before + 4), timeout=3000)


def test_a_contribution_typed_offline_is_sent_when_the_connection_returns(transactional_db, live_server, page_factory):
    consultation = ConsultationFactory(slug="offline-check")
    KeyQuestionFactory(consultation=consultation, position=1, short_title="Policy")
    delegate = participant(consultation, "workers")
    token = people.access_link_issue(actor=convener_of(consultation), participation=delegate)
    page = page_factory(phone=True)
    page.goto(f"/a/{token}/contribute/")
    page.get_by_label("Your contribution").fill("Audit recruitment agencies in the fishing ports.")
    page.get_by_label("Proposal").check()
    page.get_by_label("Key question").select_option(label="Q1. Policy")

    page.context.set_offline(True)
    page.get_by_role("button", name="Send").click()
    status = page.locator("[data-offline-status]")
    expect(status).to_contain_text("You are offline: your contribution is kept on this phone")
    expect(page.get_by_label("Your contribution")).to_have_value("")
    assert Contribution.objects.count() == 0

    page.context.set_offline(False)
    expect(status).to_contain_text("The connection is back: your kept contribution was sent.", timeout=5000)
    assert list(Contribution.objects.values_list("text", "kind", "author_id", "stakeholder_group")) == [
        ("Audit recruitment agencies in the fishing ports.", "proposal", delegate.pk, "workers")
    ]
    page.reload()
    assert "Audit recruitment agencies in the fishing ports." in page.locator(".contributions").inner_text()
    assert Contribution.objects.count() == 1
