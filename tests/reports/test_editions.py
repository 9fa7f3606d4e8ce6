"""Editions: built as a background job, kept with their files, published, compared; a build that stops leaves
the earlier editions as they were."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from factories_reports import filled

from factories import UserFactory
from target87.core.errors import ServiceError
from target87.reports import rendering, services
from target87.reports.models import Edition

pytestmark = pytest.mark.django_db


def _folder(edition) -> Path:
    return Path(settings.MEDIA_ROOT) / edition.folder


def test_edition_build_keeps_every_format_under_media(consultation, convener):
    filled(consultation, convener)
    edition = services.edition_build(actor=convener, consultation=consultation, language="es")
    assert (edition.number, edition.language, edition.recommendations) == (1, "es", 3)
    names = sorted(p.name for p in _folder(edition).iterdir())
    assert names == sorted([*(f"bangkok-test-report-es.{f}" for f in rendering.FORMATS), "page.html"])
    assert (_folder(edition) / "bangkok-test-report-es.pdf").read_bytes().startswith(b"%PDF")


def test_interrupted_build_leaves_the_previous_edition_intact(consultation, convener, monkeypatch):
    filled(consultation, convener)
    first = services.edition_build(actor=convener, consultation=consultation)
    before = {p.name: p.read_bytes() for p in _folder(first).iterdir()}
    folders = sorted(p.name for p in _folder(first).parent.iterdir())

    def broken(*args, **kwargs):
        raise RuntimeError("the worker stopped")

    monkeypatch.setattr("target87.reports.models.Edition.objects.create", broken)
    with pytest.raises(RuntimeError):
        services.edition_build(actor=convener, consultation=consultation)
    assert list(Edition.objects.filter(consultation=consultation).values_list("number", flat=True)) == [1]
    assert {p.name: p.read_bytes() for p in _folder(first).iterdir()} == before
    assert sorted(p.name for p in _folder(first).parent.iterdir()) == folders  # no scratch folder left


def test_a_build_killed_in_the_middle_leaves_nothing_once_its_lease_is_over(consultation, convener):
    """kill -9 runs no clean-up: the next build removes the scratch folder a dead build left, not a live one's."""
    import os
    import time

    filled(consultation, convener)
    first = services.edition_build(actor=convener, consultation=consultation)
    reports = _folder(first).parent
    dead, live = reports / ".building-dead", reports / ".building-live"
    for scratch in (dead, live):
        scratch.mkdir()
        (scratch / "bangkok-test-report-en.pdf").write_bytes(b"%PDF half")
    long_ago = time.time() - settings.JOB_LEASE_SECONDS - 60
    os.utime(dead, (long_ago, long_ago))
    services.edition_build(actor=convener, consultation=consultation)
    assert not dead.exists() and live.exists()


def test_edition_in_an_unknown_language_is_refused(consultation, convener):
    with pytest.raises(ServiceError) as error:
        services.edition_build(actor=convener, consultation=consultation, language="de")
    assert "“de” is not one of them" in error.value.messages[0]
    assert not Edition.objects.exists()


def test_convener_builds_publishes_and_downloads(
    convener_client, consultation, convener, django_capture_on_commit_callbacks
):
    client = Client()  # the public, beside the signed-in convener
    filled(consultation, convener)
    with django_capture_on_commit_callbacks(execute=True):
        response = convener_client.post(
            reverse("reports:build", kwargs={"slug": consultation.slug}), {"channel": "", "language": "en"}
        )
    assert response.status_code == 303
    job_page = convener_client.get(response["Location"])
    assert b"100" in job_page.content
    edition = Edition.objects.get(consultation=consultation)
    download = reverse("reports:download", kwargs={"slug": consultation.slug, "number": 1, "fmt": "pdf"})
    assert client.get(download).status_code == 403  # not published yet
    public = client.get(reverse("reports:public", kwargs={"slug": consultation.slug}))
    assert "The outcome report has not been published yet." in public.content.decode()
    convener_client.post(reverse("reports:publish", kwargs={"slug": consultation.slug, "number": 1}))
    edition.refresh_from_db()
    assert edition.is_published
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    page = client.get(reverse("reports:public", kwargs={"slug": consultation.slug})).content.decode()
    assert "National action plans" in page
    assert "Policy measures and good practices" in page


def test_two_editions_compared_show_the_new_recommendation(convener_client, consultation, convener):
    made = filled(consultation, convener)
    services.edition_build(actor=convener, consultation=consultation)
    made["recs"][0].title = "Costed national action plans"
    made["recs"][0].save()
    services.edition_build(actor=convener, consultation=consultation)
    page = convener_client.get(
        reverse("reports:compare", kwargs={"slug": consultation.slug}), {"a": 1, "b": 2}
    ).content.decode()
    assert "Costed national action plans" in page
    code = made["recs"][0].code
    assert (
        f'class="removed"><span class="sign" aria-hidden="true">-</span> <span class="visually-hidden">removed:</span>  1. {code} National action plans'
        in page
    )
    assert (
        f'class="added"><span class="sign" aria-hidden="true">+</span> <span class="visually-hidden">added:</span>  1. {code} Costed national action plans'
        in page
    )


def test_routing_page_routes_a_recommendation_to_a_channel(convener_client, consultation, convener):
    made = filled(consultation, convener)
    vietnam = consultation.report_channels.get(country="VNM")
    rec = made["recs"][0]
    url = reverse("reports:routes", kwargs={"slug": consultation.slug})
    response = convener_client.post(url, {"route": [f"{rec.pk}-{vietnam.pk}"]})
    assert response.status_code == 303
    assert list(vietnam.recommendations.all()) == [rec]
    page = convener_client.get(url).content.decode()
    assert f'value="{rec.pk}-{vietnam.pk}" id="route-{rec.pk}-{vietnam.pk}" checked' in page


def test_routes_of_another_consultation_are_refused(consultation, convener):
    from factories import ConsultationFactory

    other = ConsultationFactory()
    from target87.people.services import participation_set_role, person_for_user

    # a convener of both: the ids of one consultation are still refused in the other
    participation_set_role(consultation=other, person=person_for_user(user=convener), role="convener", approved=True)
    made = filled(consultation, convener)
    with pytest.raises(ServiceError):
        services.routes_replace(actor=convener, consultation=other, pairs=[(made["recs"][0].pk, 1)])


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 403), ("participant", 403), ("facilitator", 403), ("rapporteur", 200), ("convener", 200)],
)
def test_report_pages_are_for_conveners_and_rapporteurs(client, consultation, role, status):
    from factories import ParticipationFactory, PersonFactory

    user = UserFactory()
    if role:
        ParticipationFactory(consultation=consultation, person=PersonFactory(user=user), role=role)
    client.force_login(user)
    assert client.get(reverse("reports:manage", kwargs={"slug": consultation.slug})).status_code == status


@pytest.mark.parametrize(("role", "linked"), [("facilitator", False), ("rapporteur", True)])
def test_the_dashboard_leads_a_rapporteur_to_the_report(client, consultation, role, linked):
    from factories import ParticipationFactory, PersonFactory

    user = UserFactory()
    ParticipationFactory(consultation=consultation, person=PersonFactory(user=user), role=role)
    client.force_login(user)
    dashboard = client.get(reverse("consultations:dashboard")).content.decode()
    assert consultation.title in dashboard  # both work in the consultation's back office
    assert (reverse("reports:manage", kwargs={"slug": consultation.slug}) in dashboard) is linked


def test_a_rapporteur_writes_and_publishes_the_report_the_conveners_set_its_channels(client, consultation, convener):
    from factories import ParticipationFactory, PersonFactory

    filled(consultation, convener)
    rapporteur = UserFactory()
    ParticipationFactory(consultation=consultation, person=PersonFactory(user=rapporteur), role="rapporteur")
    edition = services.edition_build(actor=rapporteur, consultation=consultation)
    services.edition_publish(actor=rapporteur, edition=edition)
    edition.refresh_from_db()
    assert edition.is_published
    with pytest.raises(PermissionDenied):
        services.edition_unpublish(actor=rapporteur, edition=edition)
    with pytest.raises(PermissionDenied):
        services.channel_save(actor=rapporteur, consultation=consultation, name="Brief", kind="global")
    facilitator = UserFactory()
    ParticipationFactory(consultation=consultation, person=PersonFactory(user=facilitator), role="facilitator")
    with pytest.raises(PermissionDenied):
        services.edition_build(actor=facilitator, consultation=consultation)

    client.force_login(rapporteur)
    page = client.get(reverse("reports:manage", kwargs={"slug": consultation.slug})).content.decode()
    assert "Publish edition" not in page and ">Withdraw<" not in page  # published, and only conveners withdraw
    assert "Add a channel" not in page and "The conveners set the channels" in page
    assert client.post(reverse("reports:channels_usual", kwargs={"slug": consultation.slug})).status_code == 403
    withdraw = reverse("reports:publish", kwargs={"slug": consultation.slug, "number": edition.number})
    assert client.post(withdraw, {"action": "unpublish"}).status_code == 403
    assert Edition.objects.get(pk=edition.pk).is_published


def test_channel_form_explains_a_missing_country(convener_client, consultation):
    response = convener_client.post(
        reverse("reports:channel_add", kwargs={"slug": consultation.slug}), {"name": "Brief", "kind": "country"}
    )
    assert response.status_code == 400
    assert "A country channel needs its country." in response.content.decode()


def test_the_report_services_check_the_permission_themselves(consultation):
    from django.core.exceptions import PermissionDenied

    from factories import UserFactory

    stranger = UserFactory()
    for call in (
        lambda: services.channel_save(actor=stranger, consultation=consultation, name="Alliance", kind="other"),
        lambda: services.channels_add_usual(actor=stranger, consultation=consultation),
        lambda: services.routes_replace(actor=stranger, consultation=consultation, pairs=[]),
        lambda: services.edition_build(actor=stranger, consultation=consultation),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert not consultation.report_channels.exists()
