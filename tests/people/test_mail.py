"""E-mail for real: approval, personal links (one, or everyone at once), the links as CSV, a ballot opening; sent by
background jobs through Django's SMTP backend to a real server started by the test, in each person's language."""

import csv
import io
import re

from django.core import signing
from smtp_sink import Sink

from factories import OrganisationFactory, ParticipationFactory, PersonFactory
from target87.core.audit import AuditEntry
from target87.jobs.models import Job
from target87.people import services

LINK = re.compile(r"https?://\S+/a/[^/\s]+/")


def _link_in(message) -> str:
    return LINK.search(Sink.body(message)).group(0)


def _opened(url: str):
    """The access link (id and nonce) a link's token names."""
    return signing.loads(url.rstrip("/").rsplit("/", 1)[1], salt=services.ACCESS_SALT)


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_approving_a_registration_mails_the_personal_link_in_the_registrants_language(
    smtp, client, consultation, convener_client, django_capture_on_commit_callbacks
):
    client.post(
        f"/consultations/{consultation.slug}/register/",
        {
            "name": "Camille Martin",
            "email": "camille@example.org",
            "organisation": "Syndicat des travailleurs",
            "stakeholder_group": "workers",
            "country": "KHM",
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    participation = consultation.participations.get(person__email="camille@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = convener_client.post(
            f"/manage/{consultation.slug}/participants/{participation.pk}/decide/", {"status": "approved"}, follow=True
        )
    assert "Their personal link is on its way to camille@example.org" in response.content.decode()
    [message] = smtp.to("camille@example.org")
    assert message["Content-Language"] == "fr"
    body = Sink.body(message)
    assert "Camille Martin" in body and "14 septembre 2016" in body  # the dates in French
    assert consultation.title in message["Subject"]
    agenda = client.get(_path(_link_in(message)))
    assert agenda.status_code == 200 and "Camille Martin" in agenda.content.decode()


def test_declining_sends_nothing(smtp, consultation, convener_client, django_capture_on_commit_callbacks):
    pending = ParticipationFactory(consultation=consultation, status="requested")
    with django_capture_on_commit_callbacks(execute=True):
        convener_client.post(f"/manage/{consultation.slug}/participants/{pending.pk}/decide/", {"status": "declined"})
    assert smtp.messages == []


def test_every_approved_participant_gets_their_own_link_at_once_with_progress(
    smtp, client, consultation, convener, convener_client, django_capture_on_commit_callbacks
):
    approved = [
        ParticipationFactory(consultation=consultation, person=PersonFactory(name=f"Delegate {i}")) for i in range(3)
    ]
    ParticipationFactory(consultation=consultation, status="requested", person=PersonFactory(name="Pending"))
    ParticipationFactory(consultation=consultation, person=PersonFactory(name="No address", email=""))
    with django_capture_on_commit_callbacks(execute=True):
        response = convener_client.post(f"/manage/{consultation.slug}/participants/links/mail/")
    job = Job.objects.get(kind="people.mail_links")
    assert response.url == job.get_absolute_url()
    page = convener_client.get(response.url).content.decode()
    assert "100 %" in page and "4 of 4 sent" in page  # the convener has an address too
    assert job.result == {"sent": 4, "failed": []}
    for participation in approved:
        [message] = smtp.to(participation.person.email)
        agenda = client.get(_path(_link_in(message))).content.decode()
        assert participation.person.name in agenda
    assert not any("Pending" in str(m["To"]) for m in smtp.messages)
    assert AuditEntry.objects.filter(action="mail.sent").count() == 4

    # sent again: the same working links, not new ones
    with django_capture_on_commit_callbacks(execute=True):
        convener_client.post(f"/manage/{consultation.slug}/participants/links/mail/")
    first, second = smtp.to(approved[0].person.email)
    assert _opened(_link_in(first)) == _opened(_link_in(second))
    assert approved[0].access_links.count() == 1


def test_a_refused_address_is_named_and_the_others_still_go(
    smtp, consultation, convener_client, django_capture_on_commit_callbacks
):
    good = ParticipationFactory(consultation=consultation)
    bad = ParticipationFactory(consultation=consultation, person=PersonFactory(email="x@example.org"))

    async def refuse(server, session, envelope, address, rcpt_options):
        if address == "x@example.org":
            return "550 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp.handle_RCPT = refuse
    with django_capture_on_commit_callbacks(execute=True):
        convener_client.post(f"/manage/{consultation.slug}/participants/links/mail/")
    job = Job.objects.get(kind="people.mail_links")
    assert job.status == "done"
    assert job.result["failed"] == [bad.person.email]
    assert smtp.to(good.person.email)


def test_an_unreachable_mail_server_fails_the_job_with_a_clear_message(
    settings, consultation, convener_client, django_capture_on_commit_callbacks
):
    import smtp_sink

    ParticipationFactory(consultation=consultation)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", smtp_sink.free_port(), 2
    with django_capture_on_commit_callbacks(execute=True):
        response = convener_client.post(f"/manage/{consultation.slug}/participants/links/mail/")
    page = convener_client.get(response.url).content.decode()
    assert "The mail server could not be reached" in page and "nothing was sent" in page


def test_one_participants_link_can_be_mailed_again(
    smtp, consultation, convener_client, django_capture_on_commit_callbacks
):
    one = ParticipationFactory(consultation=consultation)
    ParticipationFactory(consultation=consultation)
    with django_capture_on_commit_callbacks(execute=True):
        convener_client.post(f"/manage/{consultation.slug}/participants/links/mail/", {"participation": one.pk})
    assert [str(m["To"]) for m in smtp.messages] == [f"{one.person.name} <{one.person.email}>"]


def test_the_links_download_as_csv_for_a_mail_merge(client, consultation, convener_client):
    delegate = ParticipationFactory(
        consultation=consultation,
        person=PersonFactory(
            name="Sokha Chan", email="sokha@example.org", organisation=OrganisationFactory(name="=Org")
        ),
    )
    ParticipationFactory(consultation=consultation, status="requested")
    assert convener_client.get(f"/manage/{consultation.slug}/participants/links.csv").status_code == 405
    response = convener_client.post(f"/manage/{consultation.slug}/participants/links.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    [row] = [r for r in rows if r["email"] == "sokha@example.org"]
    assert row["name"] == "Sokha Chan" and row["organisation"] == "'=Org" and row["language"] == "en"
    assert "Sokha Chan" in client.get(_path(row["link"])).content.decode()
    assert len(rows) == 2  # the delegate and the convener; not the pending request
    assert delegate.access_links.count() == 1


def test_the_participants_page_offers_the_mail_and_the_csv(consultation, convener_client):
    page = convener_client.get(f"/manage/{consultation.slug}/participants/").content.decode()
    assert "E-mail every approved participant their link" in page and "Download the links" in page


def test_nobody_else_can_send_or_download(client, consultation):
    ParticipationFactory(consultation=consultation)
    for url in ("links/mail/", "links.csv"):
        response = client.post(f"/manage/{consultation.slug}/participants/{url}")
        assert response.status_code in (302, 403)
    assert not Job.objects.exists()


def test_voters_are_told_a_ballot_is_open_each_with_their_own_link_to_it(
    smtp, client, consultation, convener, convener_client, django_capture_on_commit_callbacks
):
    from factories_deliberation import ballot

    voter = ParticipationFactory(consultation=consultation)
    observer = ParticipationFactory(consultation=consultation, role="observer")
    draft = ballot(consultation, convener, "approval", open_=False)
    page = convener_client.get(f"/manage/{consultation.slug}/ballots/{draft.pk}/").content.decode()
    assert "E-mail the voters" not in page
    response = convener_client.post(f"/manage/{consultation.slug}/ballots/{draft.pk}/mail/", follow=True)
    assert "Open the ballot first" in response.content.decode() and not Job.objects.exists()

    opened = ballot(consultation, convener, "approval")
    page = convener_client.get(f"/manage/{consultation.slug}/ballots/{opened.pk}/").content.decode()
    assert "E-mail the voters that it is open" in page
    with django_capture_on_commit_callbacks(execute=True):
        convener_client.post(f"/manage/{consultation.slug}/ballots/{opened.pk}/mail/")
    assert not smtp.to(observer.person.email)
    [message] = smtp.to(voter.person.email)
    assert opened.title in message["Subject"]
    url = re.search(rf"https?://\S+/a/[^/\s]+/ballots/{opened.pk}/", Sink.body(message)).group(0)
    response = client.get(_path(url))
    assert response.status_code == 302 and response["Location"] == f"/ballots/{opened.pk}/vote/"
