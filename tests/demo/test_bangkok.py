import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import call_command

from target87.consultations.models import Consultation, Session
from target87.consultations.services import SessionDraft, timetable_problems
from target87.core.models import AuditEntry
from target87.demo import bangkok
from target87.people.enums import StakeholderGroup
from target87.people.models import Participation, Person


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())
    return Consultation.objects.get(slug="bangkok-2016")


def _snapshot():
    return (
        list(Consultation.objects.values_list("pk", "updated_at")),
        list(Session.objects.values_list("pk", "updated_at")),
        Person.objects.count(),
        Participation.objects.count(),
        AuditEntry.objects.count(),
    )


def test_loading_twice_changes_nothing(demo):
    before = _snapshot()
    call_command("load_demo", stdout=io.StringIO())
    assert _snapshot() == before


def test_the_consultation_is_bangkok_14_15_september_2016(demo):
    assert (demo.start_date, demo.end_date, demo.time_zone, demo.city) == (
        dt.date(2016, 9, 14),
        dt.date(2016, 9, 15),
        "Asia/Bangkok",
        "Bangkok",
    )
    assert demo.venue == "United Nations Conference Centre" and "ILO" in demo.convened_by
    assert demo.subregion == "East and South-East Asia and the Pacific"
    questions = list(demo.key_questions.values_list("text", flat=True))
    assert len(questions) == 5
    assert (
        questions[2]
        == "What technical systems and tools are required to implement, track, monitor, and report on progress towards SDG 8.7?"
    )


def test_the_programme_has_every_kind_of_session_on_both_days(demo):
    kinds = Counter(demo.sessions.values_list("kind", flat=True))
    assert {"plenary", "expert_panel", "breakout", "lunch_talk", "break"} <= set(kinds)
    days = {s.start.astimezone(demo.tz).date() for s in demo.sessions.all()}
    assert days == {dt.date(2016, 9, 14), dt.date(2016, 9, 15)}
    assert all(s.focus for s in demo.sessions.exclude(kind="break"))
    assert all(s.deliberation_minutes > 0 for s in demo.sessions.exclude(kind__in=["break", "other"]))


def test_the_demo_programme_obeys_every_timetable_rule(demo):
    for session in demo.sessions.all():
        draft = SessionDraft(
            title=session.title,
            start=session.start,
            end=session.end,
            room_id=session.room_id,
            deliberation_minutes=session.deliberation_minutes,
            speaker_ids=tuple(session.speakers.values_list("person_id", flat=True)),
            pk=session.pk,
        )
        assert timetable_problems(consultation=demo, draft=draft).messages == {}, session.title


def test_participants_are_fictional_and_span_the_sub_region_and_all_groups(demo):
    people = Person.objects.filter(participations__consultation=demo)
    assert 110 <= people.count() <= 130
    assert all(p.biography == bangkok.FICTIONAL for p in people)
    assert all(p.email.endswith("@example.org") for p in people)
    assert len(set(people.values_list("country", flat=True))) >= 20
    groups = set(people.exclude(organisation=None).values_list("organisation__stakeholder_group", flat=True))
    assert groups == set(StakeholderGroup.values)
    roles = Counter(demo.participations.values_list("role", flat=True))
    assert roles["convener"] == 1 and roles["facilitator"] == 8 and roles["panellist"] >= 12


def test_the_demo_convener_can_sign_in_and_manage(client, demo):
    response = client.post(
        "/accounts/login/", {"username": bangkok.CONVENER_USERNAME, "password": bangkok.CONVENER_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/manage/"
    page = client.get("/manage/").content.decode()
    assert "Sub-regional consultation workshop on achieving SDG target 8.7" in page
    assert client.get("/manage/bangkok-2016/timetable/").status_code == 200


def test_the_consultation_and_its_programme_are_made_through_the_services(demo):
    made = Counter(AuditEntry.objects.filter(consultation=demo).values_list("action", flat=True))
    assert (made["consultation.create"], made["key_question.save"], made["room.save"]) == (1, 5, 7)
    assert made["session.save"] == demo.sessions.count() == len(bangkok.DATA["programme"])
    assert set(AuditEntry.objects.filter(action="session.save").values_list("actor__username", flat=True)) == {
        bangkok.CONVENER_USERNAME
    }
