import pytest

from factories import RoomFactory, SessionFactory, UserFactory, at
from target87.consultations.models import Consultation, KeyQuestion, Room, Session

CONSULTATION = {
    "title": "Pacific consultation",
    "slug": "suva-2027",
    "description": "",
    "convened_by": "ILO",
    "subregion": "Pacific",
    "countries": "FJI, ws, Tonga",
    "venue": "",
    "city": "Suva",
    "country": "FJI",
    "start_date": "2027-03-01",
    "end_date": "2027-03-02",
    "time_zone": "Pacific/Fiji",
    "languages": "en",
    "status": "draft",
}


def test_staff_create_a_consultation_and_become_its_convener(client, db):
    user = UserFactory(is_staff=True)
    client.force_login(user)
    response = client.post("/manage/new/", CONSULTATION)
    assert response.status_code == 302 and response["Location"] == "/manage/suva-2027/"
    consultation = Consultation.objects.get(slug="suva-2027")
    assert consultation.countries == ["FJI", "TON", "WSM"]
    assert user.has_perm("consultations.manage", consultation)


def test_creating_with_bad_values_shows_each_problem_and_stores_nothing(client, db):
    client.force_login(UserFactory(is_staff=True))
    page = client.post(
        "/manage/new/", {**CONSULTATION, "time_zone": "Fiji", "countries": "FJI, Narnia", "end_date": "2027-02-01"}
    ).content.decode()
    assert "“Fiji” is not a time zone. Use an IANA name such as Asia/Bangkok." in page
    assert "Unknown countries: Narnia." in page
    assert "The last day cannot come before the first day." in page
    assert not Consultation.objects.filter(slug="suva-2027").exists()


def test_people_without_staff_rights_cannot_create(client, db):
    client.force_login(UserFactory())
    assert client.get("/manage/new/").status_code == 403


def test_shortening_the_consultation_under_its_sessions_is_refused(convener_client, consultation):
    SessionFactory(consultation=consultation, title="Closing", start=at(2, "15:00"), end=at(2, "16:00"))
    data = {
        **CONSULTATION,
        "slug": "bangkok-test",
        "start_date": "2016-09-14",
        "end_date": "2016-09-14",
        "time_zone": "Asia/Bangkok",
        "status": "published",
    }
    page = convener_client.post("/manage/bangkok-test/edit/", data).content.decode()
    assert "These sessions would fall outside the consultation&#x27;s days: “Closing”." in page
    consultation.refresh_from_db()
    assert consultation.end_date.isoformat() == "2016-09-15"


def test_the_details_page_keeps_the_back_office_tabs_with_its_own_marked(convener_client, consultation):
    page = convener_client.get("/manage/bangkok-test/edit/").content.decode()
    assert 'href="/manage/bangkok-test/edit/" aria-current="page">Details</a>' in page
    assert 'href="/manage/bangkok-test/timetable/"' in page  # the other tabs are there too


def test_key_questions_are_numbered_once(convener_client, consultation):
    form = {"position": 1, "short_title": "Policy", "text": "What works?", "lens": "policy"}
    convener_client.post("/manage/bangkok-test/questions/", form)
    page = convener_client.post("/manage/bangkok-test/questions/", {**form, "short_title": "Again"}).content.decode()
    assert "Another key question already has this number." in page
    assert list(KeyQuestion.objects.values_list("short_title", flat=True)) == ["Policy"]


def test_a_room_with_sessions_cannot_be_deleted(convener_client, consultation):
    room = RoomFactory(consultation=consultation, name="Hall")
    SessionFactory(consultation=consultation, room=room)
    response = convener_client.post(f"/manage/bangkok-test/rooms/{room.pk}/", {"action": "delete"}, follow=True)
    assert "“Hall” still has sessions. Move them to another room first." in response.content.decode()
    assert Room.objects.filter(pk=room.pk).exists()


SESSION = {
    "kind": "plenary",
    "title": "Opening",
    "focus": "",
    "day": "2016-09-14",
    "start_time": "09:00",
    "end_time": "10:00",
    "deliberation_minutes": 10,
    "description": "",
}


def test_the_live_check_shows_a_clash_without_saving(convener_client, consultation):
    room = RoomFactory(consultation=consultation, name="Hall")
    SessionFactory(consultation=consultation, room=room, title="Panel", start=at(1, "09:30"), end=at(1, "10:30"))
    fragment = convener_client.post(
        "/manage/bangkok-test/sessions/new/", {**SESSION, "room": room.pk}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert fragment.startswith('<div id="session-check"')
    assert "“Opening” and “Panel” would both be in Hall at the same time" in fragment
    assert Session.objects.count() == 1


def test_the_live_check_marks_the_sessions_that_clash_in_the_grid(convener_client, consultation):
    room = RoomFactory(consultation=consultation, name="Hall")
    panel = SessionFactory(
        consultation=consultation, room=room, title="Panel", start=at(1, "09:30"), end=at(1, "10:30")
    )
    later = SessionFactory(
        consultation=consultation, room=room, title="Later", start=at(1, "11:00"), end=at(1, "12:00")
    )
    fragment = convener_client.post(
        "/manage/bangkok-test/sessions/new/", {**SESSION, "room": room.pk}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert f'class="cell kind-plenary clash" href="/manage/bangkok-test/sessions/{panel.pk}/"' in fragment
    assert f'class="cell kind-plenary" href="/manage/bangkok-test/sessions/{later.pk}/"' in fragment


def test_saving_a_session_typed_in_event_time(convener_client, consultation):
    response = convener_client.post("/manage/bangkok-test/sessions/new/", {**SESSION, "action": "save"})
    assert response.status_code == 302 and response["Location"] == "/manage/bangkok-test/timetable/?day=2016-09-14"
    assert Session.objects.get().start == at(1, "09:00")


def test_the_check_button_works_without_javascript(convener_client, consultation):
    page = convener_client.post("/manage/bangkok-test/sessions/new/", {**SESSION, "action": "check"}).content.decode()
    assert "No clash: the session fits the timetable." in page
    assert not Session.objects.exists()


def test_deleting_a_session(convener_client, consultation):
    session = SessionFactory(consultation=consultation)
    convener_client.post(f"/manage/bangkok-test/sessions/{session.pk}/delete/")
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/manage/bangkok-test/",
        "/manage/bangkok-test/edit/",
        "/manage/bangkok-test/questions/",
        "/manage/bangkok-test/rooms/",
        "/manage/bangkok-test/timetable/",
        "/manage/bangkok-test/sessions/new/",
        "/manage/bangkok-test/participants/",
    ],
)
def test_back_office_pages_are_for_conveners_only(client, convener_client, consultation, url):
    assert convener_client.get(url).status_code == 200
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    assert client.get(url.replace("bangkok-test", "nowhere")).status_code == 404


def test_content_carries_translations_typed_in_the_back_office(client, convener_client, consultation):
    data = {
        **CONSULTATION,
        "slug": "bangkok-test",
        "time_zone": "Asia/Bangkok",
        "status": "published",
        "start_date": "2016-09-14",
        "end_date": "2016-09-15",
        "title": "Sub-regional consultation",
        "title__fr": "Consultation sous-régionale",
        "title__es": "Consulta subregional",
    }
    convener_client.post("/manage/bangkok-test/edit/", data)
    consultation.refresh_from_db()
    assert consultation.translations == {
        "fr": {"title": "Consultation sous-régionale"},
        "es": {"title": "Consulta subregional"},
    }
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    assert "<h1>Consulta subregional</h1>" in client.get("/consultations/bangkok-test/").content.decode()
    # the form shows the stored translations when opened again
    assert 'value="Consultation sous-régionale"' in convener_client.get("/manage/bangkok-test/edit/").content.decode()
