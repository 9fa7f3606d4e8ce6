"""The back office's overview lists what waits for the convener, each with a count and the page that handles it."""

import re

from factories import ParticipationFactory, SessionFactory, UserFactory
from factories_breakouts import breakout_slot, participants
from target87.breakouts import services as breakout_services
from target87.breakouts.models import Allocation
from target87.consultations.attention import attention_list


def _items(page: str) -> dict[str, tuple[str, str]]:
    """The overview's list: kind → (link, text)."""
    found = re.findall(r'<li data-attention="([a-z]+)"><a href="([^"]+)" data-count="\d+">([^<]+)</a>', page)
    return {kind: (href.replace("&amp;", "&"), text) for kind, href, text in found}


def test_pending_registrations_are_counted_and_link_to_the_filtered_participants(consultation, convener_client):
    for _i in range(3):
        ParticipationFactory(consultation=consultation, status="requested")
    ParticipationFactory(consultation=consultation, status="declined")
    page = convener_client.get(f"/manage/{consultation.slug}/").content.decode()
    href, text = _items(page)["registrations"]
    assert text == "3 pending registrations"
    assert href == f"/manage/{consultation.slug}/participants/?status=requested"
    listed = convener_client.get(href).content.decode()
    assert listed.count('form="bulk-approve"') == 3


def test_nothing_waiting_says_so(consultation, convener_client):
    page = convener_client.get(f"/manage/{consultation.slug}/").content.decode()
    assert _items(page) == {}
    assert "Nothing waits for you" in page


def test_people_approved_after_a_slot_was_published_are_listed_for_that_slot(consultation, convener):
    slot = breakout_slot(consultation, rooms=2, capacity=10)
    participants(consultation, 8)
    breakout_services.allocation_run(actor=convener, session=slot[0], time_limit=1)
    breakout_services.allocation_publish(actor=convener, allocation=Allocation.objects.get())
    assert [i.kind for i in attention_list(consultation=consultation)] == []
    late = ParticipationFactory(consultation=consultation, status="requested")
    late.status = "approved"
    late.save()
    participants(consultation, 1, start=8)
    [item] = attention_list(consultation=consultation)
    assert item.kind == "unplaced" and item.count == 2
    assert item.text == "2 approved people in no group of the published breakout slot at Wed 14 Sep, 11:00"
    assert item.url == f"/manage/{consultation.slug}/sessions/{slot[0].pk}/groups/"


def test_a_draft_allocation_is_not_counted_as_leaving_people_out(consultation, convener):
    slot = breakout_slot(consultation, rooms=2, capacity=10)
    participants(consultation, 6)
    breakout_services.allocation_run(actor=convener, session=slot[0], time_limit=1)
    participants(consultation, 1, start=6)
    assert attention_list(consultation=consultation) == []


def test_open_amendments_and_ballots_and_waiting_questions_are_listed(consultation, convener, convener_client):
    from factories_deliberation import RecommendationFactory, ballot
    from target87.deliberation.models import Feedback
    from target87.live.models import Question

    recommendation = RecommendationFactory(consultation=consultation)
    for status in ("open", "open", "accepted"):
        Feedback.objects.create(
            recommendation=recommendation, kind="amendment", text="Why", proposed_text="New text", status=status
        )
    ballot(consultation, convener, "approval")
    ballot(consultation, convener, "approval", open_=False)
    session = SessionFactory(consultation=consultation, title="Opening plenary")
    asker = ParticipationFactory(consultation=consultation)
    for text, status in (("When?", "pending"), ("How?", "approved")):
        Question.objects.create(
            consultation=consultation,
            session=session,
            author=asker,
            text=text,
            fingerprint=text.lower(),
            language="en",
            status=status,
        )
    items = _items(convener_client.get(f"/manage/{consultation.slug}/").content.decode())
    assert items["amendments"] == (f"/manage/{consultation.slug}/recommendations/", "2 open amendments")
    assert items["ballots"] == (f"/manage/{consultation.slug}/ballots/", "1 open ballot")
    assert items["questions"] == (
        f"/manage/{consultation.slug}/live/{session.pk}/",
        "1 question waiting for the moderator in “Opening plenary”",
    )
    for href, _text in items.values():
        assert convener_client.get(href).status_code == 200


def test_contributions_held_until_reviewed_are_listed_only_when_held(consultation):
    from factories_deliberation import ContributionFactory

    ContributionFactory(consultation=consultation)
    assert attention_list(consultation=consultation) == []
    consultation.hold_contributions = True
    consultation.save()
    [item] = attention_list(consultation=consultation)
    assert (item.kind, item.count) == ("contributions", 1)


def test_only_conveners_see_the_overview(client, consultation):
    ParticipationFactory(consultation=consultation, status="requested")
    client.force_login(UserFactory())
    assert client.get(f"/manage/{consultation.slug}/").status_code == 403
