"""The convener approves several registrations at once, and downloads the participants with their groups."""

import csv
import io

import pytest

from factories import OrganisationFactory, ParticipationFactory, PersonFactory, UserFactory
from factories_breakouts import breakout_slot, participants
from target87.breakouts import services as breakout_services
from target87.breakouts.models import Allocation, GroupAssignment
from target87.core.audit import AuditEntry
from target87.jobs.models import Job


def _pending(consultation, *names):
    return [
        ParticipationFactory(
            consultation=consultation, status="requested", person=PersonFactory(name=name, email=f"{name[:3]}@x.org")
        )
        for name in names
    ]


def test_the_ticked_registrations_are_approved_and_each_is_mailed_their_link(
    smtp, consultation, convener_client, django_capture_on_commit_callbacks
):
    ana, _ben, chai = _pending(consultation, "Ana Lima", "Ben Okafor", "Chai Somsak")
    with django_capture_on_commit_callbacks(execute=True):
        response = convener_client.post(
            f"/manage/{consultation.slug}/participants/approve/",
            {"scope": "chosen", "ids": [ana.pk, chai.pk]},
            follow=True,
        )
    page = response.content.decode()
    assert "2 registrations approved." in page
    statuses = dict(consultation.participations.values_list("person__name", "status"))
    assert (statuses["Ana Lima"], statuses["Ben Okafor"], statuses["Chai Somsak"]) == (
        "approved",
        "requested",
        "approved",
    )
    assert AuditEntry.objects.filter(action="registration.approved").count() == 2
    assert Job.objects.filter(kind="people.mail_links").count() == 1
    assert [m["To"] for m in smtp.to("Ana@x.org")] and [m["To"] for m in smtp.to("Cha@x.org")]
    assert smtp.to("Ben@x.org") == []


def test_approve_all_pending_approves_every_request_and_nothing_else(consultation, convener_client):
    _pending(consultation, "Ana Lima", "Ben Okafor", "Chai Somsak")
    declined = ParticipationFactory(consultation=consultation, status="declined")
    response = convener_client.post(f"/manage/{consultation.slug}/participants/approve/", {"scope": "all"}, follow=True)
    assert "3 registrations approved." in response.content.decode()
    assert consultation.participations.filter(status="requested").count() == 0
    declined.refresh_from_db()
    assert declined.status == "declined"


def test_nothing_ticked_is_refused_with_a_clear_message(consultation, convener_client):
    (ana,) = _pending(consultation, "Ana Lima")
    response = convener_client.post(
        f"/manage/{consultation.slug}/participants/approve/", {"scope": "chosen"}, follow=True
    )
    assert "Tick at least one pending registration to approve, or approve all pending." in response.content.decode()
    ana.refresh_from_db()
    assert ana.status == "requested"


def test_a_failure_midway_approves_nobody(consultation, convener, monkeypatch):
    from target87.core import audit
    from target87.core.errors import ServiceError
    from target87.people import services

    _pending(consultation, "Ana Lima", "Ben Okafor")
    real = audit.record
    calls = []

    def failing(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise ServiceError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(audit, "record", failing)
    with pytest.raises(ServiceError):
        services.participations_approve(actor=convener, consultation=consultation)
    assert consultation.participations.filter(status="approved").exclude(role="convener").count() == 0


def test_registrations_of_another_consultation_cannot_be_approved_from_here(consultation, convener_client):
    from factories import ConsultationFactory

    other = ConsultationFactory(slug="elsewhere")
    (stranger,) = _pending(other, "Zed Stranger")
    response = convener_client.post(
        f"/manage/{consultation.slug}/participants/approve/", {"scope": "chosen", "ids": [stranger.pk]}, follow=True
    )
    assert "No pending registration to approve" in response.content.decode()
    stranger.refresh_from_db()
    assert stranger.status == "requested"


def test_only_conveners_approve_in_bulk(client, consultation):
    (ana,) = _pending(consultation, "Ana Lima")
    client.force_login(UserFactory())
    response = client.post(f"/manage/{consultation.slug}/participants/approve/", {"scope": "all"})
    assert response.status_code == 403
    ana.refresh_from_db()
    assert ana.status == "requested"


def test_the_participants_page_has_a_box_per_pending_registration_and_the_two_buttons(consultation, convener_client):
    ana, ben = _pending(consultation, "Ana Lima", "Ben Okafor")
    page = convener_client.get(f"/manage/{consultation.slug}/participants/").content.decode()
    assert f'value="{ana.pk}" form="bulk-approve"' in page and f'value="{ben.pk}" form="bulk-approve"' in page
    assert "Approve the ticked registrations" in page and "Approve all 2 pending registrations" in page


def _csv(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_export_holds_each_persons_details_and_their_group_in_each_published_slot(
    consultation, convener, convener_client
):
    slot = breakout_slot(consultation, rooms=2, capacity=10)
    people = participants(consultation, 8)
    breakout_services.allocation_run(actor=convener, session=slot[0], time_limit=1)
    breakout_services.allocation_publish(actor=convener, allocation=Allocation.objects.get())
    allocation = Allocation.objects.get()
    someone = people[0]
    group = GroupAssignment.objects.get(run=allocation.published_run, participation=someone).group
    rows = _csv(convener_client.get(f"/manage/{consultation.slug}/participants.csv"))
    header = rows[0]
    assert header[:8] == ["name", "email", "organisation", "stakeholder_group", "country", "gender", "role", "status"]
    assert header[8] == "breakout 2016-09-14 11:00"
    row = next(r for r in rows if r[0] == someone.person.name)
    assert row[3:8] == ["Government", "Thailand", "Woman", "Participant", "Approved"]
    assert row[8] == f"Group {group.number} — {group.room.name}"
    assert len(rows) == 1 + consultation.participations.count()


def test_the_export_writes_a_formula_as_text(consultation, convener_client):
    ParticipationFactory(
        consultation=consultation,
        person=PersonFactory(name='=HYPERLINK("http://evil")', organisation=OrganisationFactory(name="@SUM(A1)")),
    )
    rows = _csv(convener_client.get(f"/manage/{consultation.slug}/participants.csv"))
    row = next(r for r in rows if "HYPERLINK" in r[0])
    assert row[0] == '\'=HYPERLINK("http://evil")'
    assert row[2] == "'@SUM(A1)"


def test_only_conveners_download_the_participants(client, consultation):
    client.force_login(UserFactory())
    assert client.get(f"/manage/{consultation.slug}/participants.csv").status_code == 403
