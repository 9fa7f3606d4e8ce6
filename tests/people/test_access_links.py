import datetime as dt

import icalendar
import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from factories import ParticipationFactory, PersonFactory, SessionFactory, UserFactory, at
from target87.consultations.models import SessionSpeaker
from target87.people import services
from target87.people.models import AccessLink


@pytest.fixture
def delegate(consultation):
    return ParticipationFactory(
        consultation=consultation, person=PersonFactory(name="Sokha Chan", email="sokha@example.org")
    )


@pytest.fixture
def token(delegate, convener):
    SessionFactory(consultation=delegate.consultation, title="Opening", start=at(1, "09:00"), end=at(1, "10:00"))
    panel = SessionFactory(consultation=delegate.consultation, title="Panel", start=at(2, "11:00"), end=at(2, "12:00"))
    SessionSpeaker.objects.create(session=panel, person=delegate.person, role="panellist")
    return services.access_link_issue(actor=convener, participation=delegate)


def test_the_link_opens_the_personal_agenda_in_event_time(client, token):
    page = client.get(f"/a/{token}/").content.decode()
    assert "Agenda of Sokha Chan" in page
    assert "times in Asia/Bangkok" in page
    assert "09:00" in page and "Opening" in page and "Panel" in page
    assert page.count("You speak here") == 1
    assert "Add to my calendar" in page


def test_the_personal_calendar_parses_with_both_days(client, token):
    response = client.get(f"/a/{token}/agenda.ics")
    calendar = icalendar.Calendar.from_ical(response.content)
    starts = sorted(e.decoded("DTSTART") for e in calendar.walk("VEVENT"))
    assert starts == [at(1, "09:00"), at(2, "11:00")]
    assert "Sokha Chan" in str(calendar["X-WR-CALNAME"])


def test_a_forged_link_is_refused_with_a_message(client, token):
    link_id, nonce = signing.loads(token, salt=services.ACCESS_SALT)
    forged = signing.dumps([link_id + 1, nonce], salt="not-the-salt")
    response = client.get(f"/a/{forged}/")
    assert response.status_code == 403
    assert "This access link is not valid" in response.content.decode()
    assert client.get(f"/a/{token[:-3]}xyz/").status_code == 403


def test_a_revoked_link_no_longer_works(client, token, delegate, convener):
    services.access_link_revoke_all(actor=convener, participation=delegate)
    response = client.get(f"/a/{token}/")
    assert response.status_code == 403 and "withdrawn" in response.content.decode()


def test_an_expired_link_no_longer_works(client, token):
    AccessLink.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = client.get(f"/a/{token}/")
    assert response.status_code == 403 and "expired" in response.content.decode()


def test_declining_a_participant_ends_their_links(client, token, delegate, convener):
    services.participation_decide(actor=convener, participation=delegate, status="declined")
    assert client.get(f"/a/{token}/").status_code == 403


def test_only_a_convener_issues_links(delegate):
    with pytest.raises(PermissionDenied):
        services.access_link_issue(actor=UserFactory(), participation=delegate)
    assert not AccessLink.objects.exists()


def test_badges_reuse_the_active_link(convener, delegate):
    first = services.access_link_current(actor=convener, participation=delegate)
    assert services.access_link_current(actor=convener, participation=delegate) == first
    assert AccessLink.objects.count() == 1


def test_badge_page_prints_a_qr_code_per_approved_participant(convener_client, delegate):
    ParticipationFactory(consultation=delegate.consultation, status="requested", person=PersonFactory(name="Not Yet"))
    page = convener_client.get("/manage/bangkok-test/badges/").content.decode()
    assert "Sokha Chan" in page and "Not Yet" not in page
    assert page.count("<svg") >= 2  # the convener's and the delegate's


def test_other_apps_add_notes_to_the_agenda(client, token, delegate):
    from target87.people import agenda

    def breakout_room(*, participation, sessions):
        return {
            s.pk: [agenda.AgendaNote(f"Your group: 3, for {participation.person.name}")]
            for s in sessions
            if s.title == "Panel"
        }

    agenda._SOURCES.append(breakout_room)
    try:
        page = client.get(f"/a/{token}/").content.decode()
    finally:
        agenda._SOURCES.remove(breakout_room)
    assert page.count("Your group: 3, for Sokha Chan") == 1
