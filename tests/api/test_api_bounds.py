"""Whatever a client sends, the API answers with a problem document that names what to correct, and its
description says exactly what it sends (found by schemathesis and an OpenAPI-validating client)."""

import json

import pytest

from factories import RoomFactory, SessionFactory
from factories_breakouts import breakout_slot, participants
from target87.api.models import ApiToken
from target87.consultations.models import Consultation, Room, Session


@pytest.fixture
def token(convener):
    return ApiToken.issue(user=convener, name="tests")[1]


def send(client, method, url, body=None, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json", **headers)


def fields(response) -> list[str]:
    assert response["Content-Type"] == "application/problem+json"
    return [error["field"] for error in response.json().get("errors", [])]


URL = "/api/v1/consultations/bangkok-test"


@pytest.mark.parametrize("limit", ["1000000000000000000000", "201", "0", "-1"])
def test_a_page_size_out_of_bounds_is_a_422_naming_it(client, consultation, limit):
    for path in ("/recommendations", "/contributions", "/ballots", "/sessions", "/rooms", "/key-questions"):
        response = client.get(f"{URL}{path}?limit={limit}")
        assert response.status_code == 422, path
        assert fields(response) == ["limit"]


def test_an_offset_out_of_bounds_is_a_422(client, consultation):
    response = client.get(f"{URL}/recommendations?offset=99999999999999999999999")
    assert response.status_code == 422 and fields(response) == ["offset"]


def test_every_list_is_paged_the_same_way(client, consultation):
    RoomFactory(consultation=consultation, name="Room A")
    RoomFactory(consultation=consultation, name="Room B")
    page = client.get(f"{URL}/rooms?limit=1&offset=1").json()
    assert page["count"] == 2 and len(page["items"]) == 1
    for path in ("", "/sessions", "/key-questions", "/recommendations", "/contributions", "/ballots"):
        url = "/api/v1/consultations" if path == "" else f"{URL}{path}"
        assert set(client.get(url).json()) == {"items", "count"}, url


def test_a_huge_capacity_or_position_is_refused_before_the_database(client, consultation, token):
    response = send(client, "post", f"{URL}/rooms", {"name": "Hall", "capacity": 2**63}, token)
    assert response.status_code == 422 and fields(response) == ["capacity"]
    response = send(client, "post", f"{URL}/rooms", {"name": "Hall", "capacity": 10, "position": 40000}, token)
    assert response.status_code == 422 and fields(response) == ["position"]
    assert not Room.objects.exists()


def test_an_unknown_field_is_refused_rather_than_dropped(client, consultation, token):
    room = RoomFactory(consultation=consultation)
    body = {"kind": "plenary", "title": "Opening", "start": "2016-09-14T09:00", "end": "2016-09-14T10:00"}
    response = send(client, "post", f"{URL}/sessions", {**body, "room": room.pk}, token)
    assert response.status_code == 422 and fields(response) == ["room"]
    assert not Session.objects.exists()


def test_an_unknown_kind_is_refused_and_the_kinds_are_declared(client, consultation, token):
    body = {"kind": "party", "title": "Opening", "start": "2016-09-14T09:00", "end": "2016-09-14T10:00"}
    response = send(client, "post", f"{URL}/sessions", body, token)
    assert response.status_code == 422 and fields(response) == ["kind"]
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert "lunch_talk" in json.dumps(schema["SessionIn"]) or "lunch_talk" in json.dumps(schema)


@pytest.mark.parametrize("field", ["title", "time_zone", "start_date", "venue", "languages", "status"])
def test_an_explicit_null_is_a_clear_422_not_a_crash(client, consultation, token, field):
    response = send(client, "patch", URL, {field: None}, token)
    assert response.status_code == 422 and fields(response) == [field]
    assert "leave it out to keep its value" in response.json()["errors"][0]["message"]


def test_a_null_room_means_no_room(client, consultation, token):
    session = SessionFactory(consultation=consultation, room=RoomFactory(consultation=consultation))
    response = send(client, "patch", f"{URL}/sessions/{session.pk}", {"room_id": None}, token)
    assert response.status_code == 200 and response.json()["room"] is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"end_date": "9999-12-31"}, "Choose a day between 1990 and 2100."),
        ({"start_date": "0001-01-01"}, "Choose a day between 1990 and 2100."),
        ({"end_date": "2017-09-15"}, "A consultation lasts at most 31 days."),
    ],
)
def test_a_consultation_cannot_span_centuries(client, consultation, token, change, message):
    response = send(client, "patch", URL, change, token)
    assert response.status_code == 422
    assert message in response.json()["detail"]
    assert Consultation.objects.get(pk=consultation.pk).end_date.isoformat() == "2016-09-15"


def test_text_with_a_nul_character_is_refused(client, consultation, token):
    response = send(client, "post", f"{URL}/rooms", {"name": "Hall\u0000", "capacity": 10}, token)
    assert response.status_code == 422 and fields(response) == ["name"]


def test_a_participant_token_learns_nothing_from_the_ids_it_sends(client, consultation):
    from factories import ParticipationFactory

    participant = ParticipationFactory(consultation=consultation, role="participant")
    user = participant.person.user or _user_for(participant.person)
    key = ApiToken.issue(user=user, name="tests")[1]
    body = {"kind": "plenary", "title": "x", "start": "2016-09-14T09:00", "end": "2016-09-14T10:00"}
    for speaker in (participant.person.pk, 123456):
        response = send(client, "post", f"{URL}/sessions", {**body, "speaker_ids": [speaker]}, key)
        assert response.status_code == 403


def _user_for(person):
    from factories import UserFactory

    person.user = UserFactory()
    person.save()
    return person.user


def published_allocation(consultation, convener):
    from target87.breakouts import services

    slot = breakout_slot(consultation)
    participants(consultation, 8)
    run = services.allocation_run(actor=convener, session=slot[0], time_limit=1)
    return services.allocation_publish(actor=convener, allocation=run.allocation)


def test_deleting_a_session_with_published_groups_is_refused_with_what_to_do(client, consultation, convener, token):
    allocation = published_allocation(consultation, convener)
    response = send(client, "delete", f"{URL}/sessions/{allocation.session.pk}", None, token)
    assert response.status_code == 409 and response["Content-Type"] == "application/problem+json"
    assert "Unpublish the groups on the breakout page first" in response.json()["detail"]
    assert Session.objects.filter(pk=allocation.session.pk).exists()


def test_a_sent_token_that_is_not_valid_is_called_so(client, consultation):
    response = send(client, "post", f"{URL}/rooms", {"name": "Hall", "capacity": 10}, "t87_forged")
    assert response.status_code == 401 and response.json()["title"] == "Invalid token"
    response = send(client, "post", f"{URL}/rooms", {"name": "Hall", "capacity": 10})
    assert response.json()["title"] == "Authentication required"


def test_an_unexpected_failure_is_a_problem_document_too(client, consultation, monkeypatch):
    from target87.consultations import selectors

    def broken(**kwargs):
        raise RuntimeError("internal detail")

    monkeypatch.setattr(selectors, "consultation_get", broken)
    response = client.get(URL)
    assert response.status_code == 500 and response["Content-Type"] == "application/problem+json"
    assert "internal detail" not in response.content.decode()


def test_the_description_declares_errors_as_problem_details(client, db):
    document = client.get("/api/openapi.json").json()
    for path, operations in document["paths"].items():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert list(response["content"]) == ["application/problem+json"], (path, status)


def test_the_description_speaks_to_its_readers_not_of_the_source_files(client, db):
    description = client.get("/api/openapi.json").json()["info"]["description"]
    assert "Every list comes a page at a time" in description
    assert ".py" not in description


def test_a_convener_token_reads_its_own_draft_programme(client, convener, token):
    from factories import ConsultationFactory

    draft = ConsultationFactory(slug="draft-87", status="draft")
    from target87.people.services import participation_set_role, person_for_user

    participation_set_role(consultation=draft, person=person_for_user(user=convener), role="convener", approved=True)
    for path in ("", "/sessions", "/rooms", "/key-questions"):
        assert client.get(f"/api/v1/consultations/draft-87{path}").status_code == 404
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        assert client.get(f"/api/v1/consultations/draft-87{path}", **headers).status_code == 200, path


def test_the_timetable_says_why_a_session_with_published_groups_stays(client, consultation, convener):
    allocation = published_allocation(consultation, convener)
    client.force_login(convener)
    url = f"/manage/bangkok-test/sessions/{allocation.session.pk}/delete/"
    page = client.post(url, follow=True).content.decode()
    assert "Unpublish the groups on the breakout page first" in page
    assert Session.objects.filter(pk=allocation.session.pk).exists()
