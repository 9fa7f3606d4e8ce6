import pytest
from django.core.exceptions import PermissionDenied

from factories import (
    ConsultationFactory,
    ParticipationFactory,
    PersonFactory,
    RoomFactory,
    SessionFactory,
    UserFactory,
    at,
    convener_of,
)
from target87.consultations import services
from target87.consultations.models import Session, SessionSpeaker
from target87.core.errors import ServiceError
from target87.core.models import AuditEntry


def _save(actor, consultation, **overrides):
    fields = dict(
        kind="plenary",
        title="New session",
        start=at(1, "09:30"),
        end=at(1, "10:30"),
        room=None,
        deliberation_minutes=10,
    )
    fields.update(overrides)
    return services.session_save(actor=actor, consultation=consultation, **fields)


def test_session_in_a_busy_room_is_refused_naming_both_sessions_and_the_room(consultation, convener):
    room = RoomFactory(consultation=consultation, name="Meeting Room A")
    SessionFactory(
        consultation=consultation, room=room, title="Opening plenary", start=at(1, "09:00"), end=at(1, "10:00")
    )
    with pytest.raises(ServiceError) as caught:
        _save(convener, consultation, title="Breakout A", room=room)
    message = " ".join(caught.value.message_dict["room"])
    assert "“Breakout A”" in message and "“Opening plenary”" in message and "Meeting Room A" in message
    assert Session.objects.filter(title="Breakout A").count() == 0


def test_back_to_back_sessions_in_one_room_are_allowed(consultation, convener):
    room = RoomFactory(consultation=consultation)
    SessionFactory(consultation=consultation, room=room, start=at(1, "09:00"), end=at(1, "10:00"))
    saved = _save(convener, consultation, room=room, start=at(1, "10:00"), end=at(1, "11:00"))
    assert Session.objects.filter(room=room).count() == 2 and saved.pk


def test_a_speaker_in_two_overlapping_sessions_is_refused(consultation, convener):
    speaker = ParticipationFactory(consultation=consultation, person__name="Malee Srisuk", role="panellist").person
    panel = SessionFactory(consultation=consultation, title="Expert panel", start=at(1, "09:00"), end=at(1, "10:00"))
    SessionSpeaker.objects.create(session=panel, person=speaker, role="panellist")
    with pytest.raises(ServiceError) as caught:
        _save(convener, consultation, title="Lunch talk", speakers=[speaker], start=at(1, "09:45"), end=at(1, "10:15"))
    assert caught.value.message_dict["speakers"] == [
        "Malee Srisuk cannot be in “Lunch talk” and “Expert panel” at the same time."
    ]


def test_a_speaker_from_another_consultation_is_refused_by_name(consultation, convener):
    elsewhere = ParticipationFactory(consultation=ConsultationFactory(slug="suva"), person__name="Sione Tupou").person
    with pytest.raises(ServiceError) as caught:
        _save(convener, consultation, title="Lunch talk", speakers=[elsewhere])
    assert caught.value.message_dict["speakers"] == [
        "Sione Tupou does not take part in this consultation; add them as a participant first."
    ]
    assert not Session.objects.exists()


def test_speakers_given_by_id_name_the_ids_of_people_from_elsewhere(consultation, convener):
    here = ParticipationFactory(consultation=consultation).person
    nobody, stranger = PersonFactory(), PersonFactory()
    with pytest.raises(ServiceError) as caught:
        _save(convener, consultation, speakers=[here.pk, nobody.pk, stranger.pk])
    assert caught.value.message_dict["speakers"] == [
        f"person {nobody.pk}, person {stranger.pk} do not take part in this consultation; "
        "add them as participants first."
    ]


def test_changing_the_speakers_to_someone_from_elsewhere_keeps_the_speakers_there_were(consultation, convener):
    chair = ParticipationFactory(consultation=consultation, role="speaker").person
    session = _save(convener, consultation, speakers=[(chair, "chair")])
    with pytest.raises(ServiceError):
        services.session_save(
            actor=convener, consultation=consultation, session=session, speakers=[chair, PersonFactory()]
        )
    assert list(session.speakers.values_list("person_id", "role")) == [(chair.pk, "chair")]


def test_a_speaker_given_twice_speaks_once_in_the_first_role(consultation, convener):
    chair = ParticipationFactory(consultation=consultation, role="speaker").person
    session = _save(convener, consultation, speakers=[(chair, "chair"), (chair, "speaker")])
    assert list(session.speakers.values_list("person_id", "role")) == [(chair.pk, "chair")]


def test_the_check_returns_the_sessions_a_draft_would_clash_with(consultation):
    room = RoomFactory(consultation=consultation, name="Hall")
    speaker = ParticipationFactory(consultation=consultation, role="panellist").person
    panel = SessionFactory(
        consultation=consultation, room=room, title="Panel", start=at(1, "09:00"), end=at(1, "10:00")
    )
    talk = SessionFactory(consultation=consultation, title="Talk", start=at(1, "09:30"), end=at(1, "10:00"))
    SessionSpeaker.objects.create(session=talk, person=speaker, role="speaker")
    SessionSpeaker.objects.create(session=panel, person=speaker, role="panellist")
    SessionFactory(consultation=consultation, room=room, title="Later", start=at(1, "11:00"), end=at(1, "12:00"))
    draft = services.SessionDraft(
        title="Opening",
        start=at(1, "09:00"),
        end=at(1, "10:00"),
        room_id=room.pk,
        deliberation_minutes=0,
        speaker_ids=(speaker.pk,),
    )
    check = services.timetable_problems(consultation=consultation, draft=draft)
    assert sorted(check.messages) == ["room", "speakers"]
    assert check.clashes == [panel, talk]


def test_a_draft_that_fits_has_no_messages_and_no_clashes(consultation):
    draft = services.SessionDraft(
        title="Opening", start=at(1, "09:00"), end=at(1, "10:00"), room_id=None, deliberation_minutes=0, speaker_ids=()
    )
    check = services.timetable_problems(consultation=consultation, draft=draft)
    assert (check.messages, check.clashes) == ({}, [])


def test_session_outside_the_consultation_days_is_refused(consultation, convener):
    with pytest.raises(ServiceError) as caught:
        _save(convener, consultation, start=at(3, "09:00"), end=at(3, "10:00"))
    assert "must lie within the consultation's days" in caught.value.message_dict["start"][0]


def test_the_day_boundary_is_the_event_time_zone_not_utc(consultation, convener):
    # 06:30 in Bangkok on the first day is 23:30 UTC the day before: still inside the consultation
    saved = _save(convener, consultation, start=at(1, "06:30"), end=at(1, "07:00"))
    saved.refresh_from_db()
    assert saved.start.isoformat() == "2016-09-13T23:30:00+00:00"


def test_deliberation_longer_than_the_session_is_refused(consultation, convener):
    with pytest.raises(ServiceError) as caught:
        _save(convener, consultation, deliberation_minutes=90)
    assert caught.value.message_dict["deliberation_minutes"] == [
        "The deliberation time (90 min) does not fit in the session (60 min)."
    ]


def test_a_session_that_ends_before_it_starts_is_refused(consultation, convener):
    with pytest.raises(ServiceError) as caught:
        _save(convener, consultation, start=at(1, "10:00"), end=at(1, "09:00"))
    assert caught.value.message_dict["end"] == ["The session must end after it starts."]


def test_moving_a_session_does_not_clash_with_itself(consultation, convener):
    room = RoomFactory(consultation=consultation)
    session = SessionFactory(consultation=consultation, room=room, start=at(1, "09:00"), end=at(1, "10:00"))
    services.session_save(
        actor=convener, consultation=consultation, session=session, start=at(1, "09:30"), end=at(1, "10:30")
    )
    session.refresh_from_db()
    assert session.start == at(1, "09:30")


def test_saving_a_session_records_who_changed_what(consultation, convener):
    session = _save(convener, consultation, title="Opening")
    entry = AuditEntry.objects.get(action="session.save", object_id=str(session.pk))
    assert entry.actor == convener and entry.consultation == consultation
    assert entry.changes["title"] == [None, "Opening"]


def test_only_conveners_of_this_consultation_change_its_timetable(consultation):
    other_convener = convener_of(ConsultationFactory(slug="elsewhere"))
    with pytest.raises(PermissionDenied):
        _save(other_convener, consultation)
    with pytest.raises(PermissionDenied):
        _save(UserFactory(), consultation)
    assert not Session.objects.exists()


def test_facilitator_of_another_consultation_cannot_manage_this_one(consultation):
    user = UserFactory()
    ParticipationFactory(
        consultation=ConsultationFactory(slug="other"), person=PersonFactory(user=user), role="facilitator"
    )
    assert not user.has_perm("consultations.manage", consultation)
