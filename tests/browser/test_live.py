"""Journey of a lunch talk: questions from phones, the moderator's tablet, the projector following without a
reload, and the answered question becoming a contribution."""

from playwright.sync_api import expect

from target87.consultations.models import Session
from target87.demo import bangkok
from target87.live.models import Question, Upvote
from target87.people import services as people
from target87.people.models import Participation

TABLET = {"viewport": {"width": 820, "height": 1180}, "has_touch": True}
TEXT = "Who pays for the survivors' travel when they advise the national committee?"


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _phone(page_factory, participation, session):
    from django.contrib.auth import get_user_model

    convener = get_user_model().objects.get(username=bangkok.CONVENER_USERNAME)
    token = people.access_link_issue(actor=convener, participation=participation)
    page = page_factory(phone=True)
    page.goto(f"/a/{token}/live/{session.pk}/")
    return page


def test_a_lunch_talk_question_is_asked_upvoted_pinned_answered_and_kept(demo, live_server, page_factory):
    talk = Session.objects.get(consultation__slug="bangkok-2016", title__startswith="Lunch talk: survivors")
    # the demonstration has questions in both lunch talks and every expert panel, some of them answered
    for session in Session.objects.filter(consultation__slug="bangkok-2016", kind__in=["lunch_talk", "expert_panel"]):
        asked = Question.objects.filter(session=session, status="approved")
        assert asked.count() >= 2 and asked.filter(answered_at__isnull=False).exists(), session.title
    asker, voter = Participation.objects.filter(
        consultation__slug="bangkok-2016", status="approved", role="participant"
    ).order_by("-pk")[:2]

    screen = page_factory(viewport={"width": 1920, "height": 1080})
    screen.goto(f"/live/sessions/{talk.pk}/screen/")
    screen.evaluate("window.notReloaded = true")
    _fits(screen, 1920)
    assert float(screen.locator("[data-top] li").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 28

    phone = _phone(page_factory, asker, talk)
    expect(phone.get_by_role("heading", level=1)).to_contain_text("survivors")
    phone.get_by_label("Your question", exact=True).fill(TEXT)
    phone.get_by_label("Language of your question").select_option("en")
    phone.get_by_role("button", name="Ask").click()
    expect(phone.get_by_role("status").first).to_have_text(
        "Your question is sent: the moderator will show it to the room."
    )
    expect(phone.locator(".question", has_text=TEXT)).to_contain_text("waiting for the moderator")
    _fits(phone, 390)
    question = Question.objects.get(text=TEXT)
    assert (question.author, question.language, question.status) == (asker, "en", "pending")

    tablet = page_factory(**TABLET, signed_in=(bangkok.CONVENER_USERNAME, bangkok.CONVENER_PASSWORD))
    tablet.goto(f"/manage/bangkok-2016/live/{talk.pk}/")
    item = tablet.locator(f"#q{question.pk}")
    item.get_by_role("button", name="Approve").click()
    expect(tablet.get_by_role("status").first).to_have_text("Approved: it is shown to the room.")
    _fits(tablet, 820)

    other = _phone(page_factory, voter, talk)
    card = other.locator(f"#q{question.pk}")
    card.get_by_role("button", name="Upvote").click()
    expect(card.locator("[data-votes]").first).to_have_text("1")
    expect(card.get_by_role("button", name="Withdraw my vote")).to_be_visible()
    assert Upvote.objects.filter(question=question, participation=voter).count() == 1

    tablet.locator(f"#q{question.pk}").get_by_role("button", name="Pin").click()
    expect(tablet.get_by_role("status").first).to_have_text("Pinned: the projector shows it now.")
    # the projector shows it within a few seconds, without reloading
    expect(screen.locator("[data-pinned]")).to_contain_text(TEXT, timeout=6000)
    assert screen.evaluate("window.notReloaded") is True

    item = tablet.locator(f"#q{question.pk}")
    item.get_by_label("Answer note").fill("The consultation's travel fund pays; the organisers book it.")
    item.get_by_role("button", name="Mark answered").click()
    expect(tablet.get_by_role("status").first).to_have_text("Marked answered.")
    expect(screen.locator("[data-pinned]")).to_have_count(0, timeout=6000)
    item = tablet.locator(f"#q{question.pk}")
    item.get_by_label("Key question").select_option(index=1)
    item.get_by_role("button", name="Make it a contribution").click()
    expect(tablet.get_by_role("status").first).to_have_text("It is now a contribution to the key question.")
    question.refresh_from_db()
    assert question.answered and question.contribution is not None
    assert TEXT in question.contribution.text and question.contribution.author == asker

    expect(phone.locator(f"#q{question.pk} .answer-note")).to_have_text(
        "The consultation's travel fund pays; the organisers book it.", timeout=8000
    )
