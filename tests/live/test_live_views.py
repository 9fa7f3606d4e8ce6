"""The pages: asking and upvoting on a phone through the access link (with and without htmx), the projector, the
moderator's queue, the now page, the export and the API."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from factories import RoomFactory, SessionFactory
from factories_deliberation import participant
from target87.live import selectors, services
from target87.live.models import Question, Upvote
from target87.people import services as people
from target87.people.models import AccessLink


def _open(client, session, convener, who):
    token = people.access_link_issue(actor=convener, participation=who)
    response = client.get(f"/a/{token}/live/{session.pk}/")
    assert (response.status_code, response["Location"]) == (302, f"/live/sessions/{session.pk}/")
    return token


def test_a_participant_asks_without_javascript_and_sees_it_waiting(client, lunch_talk, convener, delegate):
    _open(client, lunch_talk, convener, delegate)
    response = client.post(
        f"/live/sessions/{lunch_talk.pk}/ask/", {"text": "¿Qué miden las encuestas?", "language": "es"}
    )
    assert (response.status_code, response["Location"]) == (303, f"/live/sessions/{lunch_talk.pk}/?asked=1")
    page = client.get(response["Location"]).content.decode()
    assert "Your question is sent: the moderator will show it to the room." in page
    assert "¿Qué miden las encuestas?" in page and "waiting for the moderator" in page
    assert Question.objects.get().language == "es"


def test_a_too_long_question_comes_back_with_the_message_and_the_text(client, lunch_talk, convener, delegate):
    _open(client, lunch_talk, convener, delegate)
    response = client.post(f"/live/sessions/{lunch_talk.pk}/ask/", {"text": "y" * 300, "language": "en"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Keep your question to 280 characters (it has 300)" in page and "y" * 300 in page
    assert Question.objects.count() == 0


def test_the_room_does_not_see_a_pending_question_or_an_anonymous_author(client, lunch_talk, delegate, other, convener):
    pending = services.question_ask(participant=delegate, session=lunch_talk, text="Pending one", language="en")
    shown = services.question_ask(
        participant=other, session=lunch_talk, text="Shown one", language="en", anonymous=True
    )
    services.question_approve(actor=convener, question=shown, version=0)
    page = client.get(f"/live/sessions/{lunch_talk.pk}/").content.decode()
    assert "Shown one" in page and pending.text not in page
    assert other.person.name not in page and "Anonymous" in page
    assert "open your personal access link first" in page


def test_an_upvote_with_htmx_changes_only_its_button(client, lunch_talk, convener, delegate, other):
    question = services.question_ask(participant=delegate, session=lunch_talk, text="Up?", language="en")
    _open(client, lunch_talk, convener, other)
    response = client.post(f"/live/questions/{question.pk}/upvote/", HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert response.status_code == 200 and fragment.startswith('<form class="vote"')
    assert "<span data-votes>1</span>" in fragment and 'aria-pressed="true"' in fragment
    response = client.post(f"/live/questions/{question.pk}/upvote/", {"withdraw": "1"}, HTTP_HX_REQUEST="true")
    assert "<span data-votes>0</span>" in response.content.decode()
    assert Upvote.objects.count() == 0


def test_an_upvote_without_a_link_is_refused_as_on_the_voting_pages(client, lunch_talk, delegate):
    question = services.question_ask(participant=delegate, session=lunch_talk, text="Up?", language="en")
    response = client.post(f"/live/questions/{question.pk}/upvote/")
    assert response.status_code == 403
    assert "Open your personal access link first" in response.content.decode()
    assert Upvote.objects.count() == 0


def test_a_forged_or_expired_link_is_refused(client, lunch_talk, convener, delegate):
    response = client.get(f"/a/not-a-real-token/live/{lunch_talk.pk}/")
    assert response.status_code == 403 and "This access link is not valid" in response.content.decode()
    _open(client, lunch_talk, convener, delegate)
    AccessLink.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = client.post(f"/live/sessions/{lunch_talk.pk}/ask/", {"text": "Still here?", "language": "en"})
    assert response.status_code == 403 and "expired" in response.content.decode()
    assert Question.objects.count() == 0


def test_an_observer_reads_but_has_no_form(client, lunch_talk, convener):
    observer = participant(lunch_talk.consultation, role="observer")
    _open(client, lunch_talk, convener, observer)
    page = client.get(f"/live/sessions/{lunch_talk.pk}/").content.decode()
    assert "Observers may read the questions but not ask or upvote." in page and 'name="text"' not in page
    response = client.post(f"/live/sessions/{lunch_talk.pk}/ask/", {"text": "Can I?", "language": "en"})
    assert response.status_code == 403 and Question.objects.count() == 0


def test_the_projector_shows_the_pinned_question_and_the_top_ones(client, lunch_talk, delegate, other, convener):
    first = services.question_ask(participant=delegate, session=lunch_talk, text="First question", language="en")
    second = services.question_ask(participant=other, session=lunch_talk, text="Second question", language="en")
    services.question_approve(actor=convener, question=first, version=0)
    services.question_pin(actor=convener, question=second, version=0)
    fragment = client.get(f"/live/sessions/{lunch_talk.pk}/screen/live/").content.decode()
    pinned = fragment.split("data-pinned", 1)[1].split("data-top", 1)[0]
    assert "Second question" in pinned and "First question" in fragment.split("data-top", 1)[1]
    assert 'hx-trigger="every 2s"' in fragment
    page = client.get(f"/live/sessions/{lunch_talk.pk}/screen/").content.decode()
    assert '<meta http-equiv="refresh" content="5">' in page and "<svg" in page


def test_the_moderator_approves_from_the_queue_and_a_stale_page_is_told(client, lunch_talk, delegate, convener):
    question = services.question_ask(participant=delegate, session=lunch_talk, text="Queue me", language="en")
    client.force_login(convener)
    slug = lunch_talk.consultation.slug
    page = client.get(f"/manage/{slug}/live/{lunch_talk.pk}/").content.decode()
    assert "Queue me" in page and delegate.person.name in page
    url = f"/manage/{slug}/live/questions/{question.pk}/"
    response = client.post(url, {"action": "approve", "version": "0"}, follow=True)
    assert "Approved: it is shown to the room." in response.content.decode()
    response = client.post(url, {"action": "pin", "version": "0"}, follow=True)
    assert "Another moderator changed this question a moment ago" in response.content.decode()


def test_a_participant_may_not_open_the_queue(client, lunch_talk):
    from factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(f"/manage/{lunch_talk.consultation.slug}/live/{lunch_talk.pk}/").status_code == 403


def test_the_overview_shows_the_time_planned_beside_the_time_used(client, lunch_talk, convener):
    start = timezone.now() - dt.timedelta(minutes=30)
    services.clock_act(actor=convener, session=lunch_talk, action="start", now=start)
    services.clock_act(actor=convener, session=lunch_talk, action="end", now=start + dt.timedelta(minutes=12))
    client.force_login(convener)
    page = client.get(f"/manage/{lunch_talk.consultation.slug}/live/").content.decode()
    row = page.split(f'data-session="{lunch_talk.pk}"', 1)[1].split("</tr>", 1)[0]
    assert f"data-planned>{lunch_talk.duration_minutes}<" in row and "data-used>12.0<" in row


def test_the_now_page_shows_each_room_with_the_time_left(client, consultation, convener):
    now = timezone.now()
    room = RoomFactory(consultation=consultation, name="Plenary Hall")
    panel = SessionFactory(
        consultation=consultation,
        kind="expert_panel",
        room=room,
        title="Panel now",
        start=now - dt.timedelta(minutes=10),
        end=now + dt.timedelta(minutes=50),
        deliberation_minutes=20,
    )
    services.clock_act(actor=convener, session=panel, action="start", now=now - dt.timedelta(minutes=5))
    page = client.get(f"/consultations/{consultation.slug}/now/").content.decode()
    assert "Panel now" in page and "Plenary Hall" in page
    left = page.split("data-left>", 1)[1].split("</p>", 1)[0]
    assert "<strong>14:5" in left or "<strong>15:00" in left


def test_where_now_is_the_session_on_in_the_room(consultation, delegate):
    now = timezone.now()
    panel = SessionFactory(
        consultation=consultation,
        kind="expert_panel",
        start=now - dt.timedelta(minutes=5),
        end=now + dt.timedelta(minutes=5),
    )
    where = selectors.where_now(delegate, now=now)
    assert (where.session, where.room_name) == (panel, panel.room.name)
    assert selectors.where_now(delegate, now=now + dt.timedelta(hours=3)) is None


def test_the_csv_names_the_authors_for_the_moderators(client, lunch_talk, delegate, convener):
    services.question_ask(participant=delegate, session=lunch_talk, text="=SUM(1)", language="en", anonymous=True)
    client.force_login(convener)
    response = client.get(f"/manage/{lunch_talk.consultation.slug}/live/questions.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["text"], r["author"], r["anonymous_to_the_room"], r["votes"]) for r in rows] == [
        ("'=SUM(1)", delegate.person.name, "yes", "0")
    ]


@pytest.mark.parametrize("moderator", [False, True])
def test_the_api_lists_what_the_room_sees_and_all_to_a_moderator(
    client, lunch_talk, delegate, other, convener, moderator
):
    shown = services.question_ask(participant=delegate, session=lunch_talk, text="Shown", language="fr")
    services.question_ask(participant=other, session=lunch_talk, text="Pending", language="en")
    services.question_approve(actor=convener, question=shown, version=0)
    services.upvote(participant=other, question_id=shown.pk)
    if moderator:
        client.force_login(convener)
    body = client.get(f"/api/v1/consultations/{lunch_talk.consultation.slug}/questions").json()
    expected = [
        {
            "id": shown.pk,
            "session_id": lunch_talk.pk,
            "text": "Shown",
            "language": "fr",
            "status": "approved",
            "votes": 1,
            "answered": False,
        }
    ]
    assert body["count"] == (2 if moderator else 1)
    assert body["items"][:1] == expected


def test_the_moderators_page_says_when_new_questions_came_in(client, lunch_talk, delegate, convener):
    client.force_login(convener)
    url = f"/manage/{lunch_talk.consultation.slug}/live/{lunch_talk.pk}/waiting/?shown=0"
    assert "New questions" not in client.get(url).content.decode()
    services.question_ask(participant=delegate, session=lunch_talk, text="Fresh one", language="en")
    fragment = client.get(url).content.decode()
    assert "1 question waiting for approval" in fragment and "New questions: show them" in fragment


def test_the_agenda_links_each_session_that_takes_questions(consultation, lunch_talk, delegate):
    from target87.live.agenda import question_notes

    breakout = SessionFactory(consultation=consultation, kind="breakout")
    notes = question_notes(participation=delegate, sessions=[lunch_talk, breakout])
    assert [(n.text, n.url) for n in notes[lunch_talk.pk]] == [
        ("Questions: ask and upvote", f"/live/sessions/{lunch_talk.pk}/")
    ]
    assert breakout.pk not in notes


def test_the_author_of_a_hidden_question_reads_why(client, lunch_talk, convener, delegate):
    question = services.question_ask(participant=delegate, session=lunch_talk, text="Dinner tonight?", language="en")
    services.question_hide(actor=convener, question=question, version=0, reason="Not a question to the panel.")
    _open(client, lunch_talk, convener, delegate)
    item = client.get(f"/live/sessions/{lunch_talk.pk}/").content.decode().split(f'id="q{question.pk}"', 1)[1]
    assert "hidden by the moderator" in item.split("</li>", 1)[0]
    assert "Not a question to the panel." in item.split("</li>", 1)[0]


def test_the_speakers_view_shows_the_questions_to_them_and_to_the_panel(client, lunch_talk, delegate, other, convener):
    from factories import PersonFactory
    from target87.consultations.models import SessionSpeaker

    ana, ben = (SessionSpeaker.objects.create(session=lunch_talk, person=PersonFactory(name=n)) for n in ("Ana", "Ben"))
    for who, text, to in ((delegate, "To Ana", ana.pk), (other, "To Ben", ben.pk), (delegate, "To all", "")):
        q = services.question_ask(participant=who, session=lunch_talk, text=text, language="en", speaker=to)
        services.question_approve(actor=convener, question=q, version=0)
    page = client.get(f"/live/sessions/{lunch_talk.pk}/speaker/?speaker={ana.pk}").content.decode()
    assert "To Ana" in page and "To all" in page and "To Ben" not in page
