import json

import pytest

from factories import ConsultationFactory, ParticipationFactory, RoomFactory, SessionFactory, UserFactory, at
from target87.api.models import ApiToken
from target87.consultations.models import Consultation, Session


@pytest.fixture
def token(convener):
    return ApiToken.issue(user=convener, name="tests")[1]


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def post(client, url, body, token=None, method="post"):
    return getattr(client, method)(
        url, data=json.dumps(body), content_type="application/json", **(auth(token) if token else {})
    )


def test_read_endpoints(client, consultation):
    room = RoomFactory(consultation=consultation, name="Plenary Hall")
    SessionFactory(consultation=consultation, room=room, title="Opening", start=at(1, "09:00"), end=at(1, "10:00"))
    assert [c["slug"] for c in client.get("/api/v1/consultations").json()["items"]] == ["bangkok-test"]
    detail = client.get("/api/v1/consultations/bangkok-test").json()
    assert detail["time_zone"] == "Asia/Bangkok" and detail["start_date"] == "2016-09-14"
    sessions = client.get("/api/v1/consultations/bangkok-test/sessions").json()["items"]
    assert [(s["title"], s["room"], s["start"]) for s in sessions] == [
        ("Opening", "Plenary Hall", "2016-09-14T02:00:00Z")
    ]
    assert client.get("/api/v1/consultations/bangkok-test/rooms").json()["items"][0]["name"] == "Plenary Hall"


def test_openapi_document_describes_the_api(client):
    document = client.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/consultations/{slug}/sessions" in document["paths"]
    assert "post" in document["paths"]["/api/v1/consultations/{slug}/sessions"]


def test_interactive_docs_load_their_scripts_from_this_site(client):
    page = client.get("/api/docs").content.decode()
    assert "swagger-ui-bundle.js" in page and "cdn." not in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page  # readable on a phone


def test_unknown_consultation_is_a_problem_document(client, db):
    response = client.get("/api/v1/consultations/nowhere")
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Not found",
        "status": 404,
        "detail": "There is nothing at this address.",
    }


def test_writing_needs_a_token(client, consultation):
    response = post(client, "/api/v1/consultations/bangkok-test/rooms", {"name": "Room Z", "capacity": 10})
    assert response.status_code == 401 and response.json()["title"] == "Authentication required"
    assert response["WWW-Authenticate"] == "Bearer"
    response = post(
        client, "/api/v1/consultations/bangkok-test/rooms", {"name": "Room Z", "capacity": 10}, token="t87_forged"
    )
    assert response.status_code == 401


def test_a_token_of_someone_else_cannot_write(client, consultation):
    stranger = ApiToken.issue(user=UserFactory(), name="x")[1]
    response = post(
        client, "/api/v1/consultations/bangkok-test/rooms", {"name": "Room Z", "capacity": 10}, token=stranger
    )
    assert response.status_code == 403 and response["Content-Type"] == "application/problem+json"
    assert not consultation.rooms.exists()


def test_convener_creates_a_session(client, consultation, token):
    room = RoomFactory(consultation=consultation)
    body = {
        "kind": "plenary",
        "title": "Opening",
        "start": "2016-09-14T09:00:00+07:00",
        "end": "2016-09-14T10:00:00+07:00",
        "room_id": room.pk,
        "deliberation_minutes": 15,
        "thematic_areas": ["child_labour"],
    }
    response = post(client, "/api/v1/consultations/bangkok-test/sessions", body, token)
    assert response.status_code == 201
    created = response.json()
    assert (created["title"], created["start"], created["thematic_areas"]) == (
        "Opening",
        "2016-09-14T02:00:00Z",
        ["child_labour"],
    )
    assert Session.objects.get().room == room


def test_a_bad_payload_names_the_field(client, consultation, token):
    body = {"kind": "plenary", "title": "", "start": "not a date", "end": "2016-09-14T10:00:00+07:00"}
    response = post(client, "/api/v1/consultations/bangkok-test/sessions", body, token)
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert {e["field"] for e in problem["errors"]} == {"title", "start"}
    assert problem["detail"] == "Check these fields: title, start."
    assert not Session.objects.exists()


def test_a_timetable_clash_is_refused_with_the_message(client, consultation, token):
    room = RoomFactory(consultation=consultation, name="Plenary Hall")
    SessionFactory(consultation=consultation, room=room, title="Opening", start=at(1, "09:00"), end=at(1, "10:00"))
    body = {
        "kind": "breakout",
        "title": "Breakout",
        "start": "2016-09-14T09:30:00+07:00",
        "end": "2016-09-14T10:30:00+07:00",
        "room_id": room.pk,
    }
    response = post(client, "/api/v1/consultations/bangkok-test/sessions", body, token)
    assert response.status_code == 422
    problem = response.json()
    assert problem["errors"][0]["field"] == "room_id"  # the field the client sent
    assert "“Breakout” and “Opening” would both be in Plenary Hall at the same time" in problem["detail"]
    assert Session.objects.count() == 1


def test_a_speaker_from_another_consultation_is_refused_on_the_field_sent(client, consultation, token):
    stranger = ParticipationFactory(consultation=ConsultationFactory(slug="suva"), person__name="Sione Tupou").person
    body = {
        "kind": "plenary",
        "title": "Opening",
        "start": "2016-09-14T09:00:00+07:00",
        "end": "2016-09-14T10:00:00+07:00",
        "speaker_ids": [stranger.pk],
    }
    response = post(client, "/api/v1/consultations/bangkok-test/sessions", body, token)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "speaker_ids",
            "message": f"person {stranger.pk} does not take part in this consultation; add them as a participant first.",
        }
    ]
    assert not Session.objects.exists()


def test_creating_a_consultation_with_a_bad_time_zone(client, db):
    staff = UserFactory(is_staff=True)
    key = ApiToken.issue(user=staff, name="x")[1]
    body = {
        "slug": "suva-2027",
        "title": "Pacific consultation",
        "convened_by": "ILO",
        "start_date": "2027-03-01",
        "end_date": "2027-03-02",
        "time_zone": "Pacific/Nowhere",
        "country": "FJI",
    }
    response = post(client, "/api/v1/consultations", body, key)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "time_zone"
    body["time_zone"] = "Pacific/Fiji"
    response = post(client, "/api/v1/consultations", body, key)
    assert response.status_code == 201 and Consultation.objects.get(slug="suva-2027").country == "FJI"
