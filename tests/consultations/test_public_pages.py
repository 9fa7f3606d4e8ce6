import re

import pytest
from django.utils import translation

from factories import ConsultationFactory, KeyQuestionFactory, PersonFactory, RoomFactory, SessionFactory, at
from target87.consultations.models import SessionSpeaker


@pytest.fixture
def programme(consultation):
    room = RoomFactory(consultation=consultation, name="Plenary Hall")
    question = KeyQuestionFactory(
        consultation=consultation, position=3, short_title="Monitoring", text="What systems track 8.7?"
    )
    opening = SessionFactory(
        consultation=consultation,
        room=room,
        title="Opening plenary",
        start=at(1, "09:00"),
        end=at(1, "09:45"),
        thematic_areas=["forced_labour"],
    )
    opening.key_questions.set([question])
    SessionSpeaker.objects.create(
        session=opening, person=PersonFactory(name="Malee Srisuk", email="malee@example.org"), role="chair"
    )
    SessionFactory(
        consultation=consultation,
        room=room,
        kind="breakout",
        title="Breakout on data",
        start=at(2, "10:00"),
        end=at(2, "11:30"),
        thematic_areas=["child_labour"],
    )
    return consultation


def test_programme_shows_the_first_day_in_bangkok_time(client, programme):
    page = client.get("/consultations/bangkok-test/").content.decode()
    assert "Opening plenary" in page and "09:00" in page and "09:45" in page
    assert "Malee Srisuk (chair)" in page and "Plenary Hall" in page and "Q3" in page
    assert "Breakout on data" not in page  # second day is on its own tab
    assert "Day 2" in page


def test_programme_day_tab_and_filters(client, programme):
    day2 = client.get("/consultations/bangkok-test/?day=2016-09-15").content.decode()
    assert "Breakout on data" in day2 and "Opening plenary" not in day2
    only_plenaries = client.get("/consultations/bangkok-test/?day=2016-09-15&kind=plenary").content.decode()
    assert "Breakout on data" not in only_plenaries and "No session matches on this day." in only_plenaries
    child_labour = client.get("/consultations/bangkok-test/?day=2016-09-15&area=child_labour").content.decode()
    assert "Breakout on data" in child_labour


def test_programme_does_not_need_javascript(client, programme):
    page = client.get("/consultations/bangkok-test/").content.decode()
    # the day tabs are links and the filter form has a submit button
    assert 'href="?day=2016-09-15"' in page
    assert '<button type="submit" class="secondary">Filter</button>' in page


def test_session_page(client, programme):
    session = programme.sessions.get(title="Opening plenary")
    page = client.get(f"/consultations/bangkok-test/sessions/{session.pk}/").content.decode()
    assert "Wednesday 14 September 2016, 09:00–09:45 (Asia/Bangkok)" in page
    assert "What systems track 8.7?" in page


def test_unknown_consultation_and_session_give_a_404_page(client, programme):
    response = client.get("/consultations/no-such-thing/")
    assert response.status_code == 404
    assert "There is no page at this address" in response.content.decode()
    assert client.get("/consultations/bangkok-test/sessions/999999/").status_code == 404


def test_draft_consultation_is_not_public(client, db):
    ConsultationFactory(slug="secret-draft", status="draft")
    assert client.get("/consultations/secret-draft/").status_code == 404
    assert client.get("/consultations/secret-draft/schedule.ics").status_code == 404
    assert "secret-draft" not in client.get("/").content.decode()


def test_programme_in_french(client, programme):
    programme.translations = {"fr": {"title": "Consultation sous-régionale"}}
    programme.save()
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    page = client.get("/consultations/bangkok-test/").content.decode()
    assert '<html lang="fr">' in page
    assert "Consultation sous-régionale" in page
    assert "Jour 2" in page and "Plénière" in page
    translation.activate("en")


def test_pages_carry_a_content_security_policy(client, programme):
    response = client.get("/consultations/bangkok-test/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    # every script and style sheet is served from here (vendored), none from another host
    loaded = re.findall(r'<(?:script|link)\b[^>]*?(?:src|href)="([^"]+)"', response.content.decode())
    assert loaded and [url for url in loaded if not url.startswith("/")] == []
