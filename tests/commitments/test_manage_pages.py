"""The focal point's pages: recording progress with evidence (a link or a file), money, and what a mistake
looks like on the page: a message under the field, a 400, nothing stored."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from target87.commitments.models import Evidence, MoneyLine, Update


def _update_url(world, action=None):
    return reverse("commitments:update", kwargs={"slug": world.consultation.slug, "pk": (action or world.tha).pk})


def test_evidence_file_is_kept_and_handed_out_as_a_download(world, client):
    client.force_login(world.focal_tha)
    upload = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    response = client.post(
        _update_url(world),
        {"status": "in_progress", "progress": 60, "note": "Steering committee met.", "evidence_file": upload},
    )
    assert response.status_code == 303
    evidence = Evidence.objects.get()
    assert evidence.label == "minutes.pdf"
    download = client.get(evidence.href)
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="minutes.pdf"'
    assert b"".join(download.streaming_content) == b"%PDF-1.4 minutes"
    page = client.get(world.tha.get_absolute_url()).content.decode()
    assert f'href="{evidence.href}"' in page


def test_bad_evidence_is_refused_on_the_page_and_nothing_is_stored(world, client):
    client.force_login(world.focal_tha)
    before = Update.objects.count()
    upload = SimpleUploadedFile("tool.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        _update_url(world),
        {"status": "in_progress", "progress": 60, "evidence_url": "javascript:alert(1)", "evidence_file": upload},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "is not a web address; it must start with https:// or http://" in page
    assert "“tool.exe” is not a kind of file kept as evidence" in page
    assert Update.objects.count() == before
    world.tha.refresh_from_db()
    assert world.tha.progress == 20


def test_bad_money_is_shown_under_its_fields(world, client):
    client.force_login(world.focal_tha)
    response = client.post(
        reverse("commitments:money_add", kwargs={"slug": world.consultation.slug, "pk": world.tha.pk}),
        {
            "money-year": 2020,
            "money-kind": "committed",
            "money-amount": "-100",
            "money-currency": "ABC",
            "money-source_type": "domestic",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "An amount cannot be negative" in page
    assert "“ABC” is not an ISO 4217 currency code" in page
    assert MoneyLine.objects.count() == 0


def test_due_before_start_is_shown_on_the_form(world, client):
    client.force_login(world.convener)
    response = client.post(
        reverse("commitments:action_edit", kwargs={"slug": world.consultation.slug, "pk": world.tha.pk}),
        {
            "title": "Inspectors trained on fishing vessels",
            "country": "THA",
            "recommendations": [world.r1.pk],
            "lead": [world.ministry.pk],
            "start_date": "2020-01-01",
            "due_date": "2019-01-01",
            "status": "in_progress",
            "progress": 20,
        },
    )
    assert response.status_code == 400
    assert "The due date (2019-01-01) is before the start date (2020-01-01)." in response.content.decode()
    assert world.tha.updates.count() == 1


def test_a_draft_consultations_follow_up_is_not_public(world, client):
    world.consultation.status = "draft"
    world.consultation.save()
    for name in ("accountability", "feed", "widget"):
        assert client.get(reverse(f"commitments:{name}", kwargs={"slug": world.consultation.slug})).status_code == 404
    assert client.get(f"/api/v1/consultations/{world.consultation.slug}/actions").status_code == 404


def test_staff_enter_exchange_rates_others_may_not(world, client):
    from target87.commitments.models import ExchangeRate

    url = reverse("commitments:rates")
    client.force_login(world.convener)
    assert client.post(url, {"currency": "THB", "valid_from": "2020-01-01", "per_usd": "31"}).status_code == 403
    world.convener.is_staff = True
    world.convener.save()
    bad = client.post(url, {"currency": "THX", "valid_from": "2020-01-01", "per_usd": "31"})
    assert bad.status_code == 400
    assert "“THX” is not an ISO 4217 currency code" in bad.content.decode()
    assert client.post(url, {"currency": "thb", "valid_from": "2020-01-01", "per_usd": "31.25"}).status_code == 303
    assert [(r.currency, str(r.per_usd)) for r in ExchangeRate.objects.all()] == [("THB", "31.250000")]


def test_convener_names_and_removes_focal_points(world, client):
    from target87.commitments.models import FocalPoint

    client.force_login(world.convener)
    url = reverse("commitments:focal_points", kwargs={"slug": world.consultation.slug})
    assert client.post(url, {"username": world.stranger.username, "country": "THA"}).status_code == 303
    row = FocalPoint.objects.get(user=world.stranger)
    assert (row.kind, row.country) == ("country", "THA")
    both = client.post(url, {"username": world.stranger.username, "country": "THA", "organisation": world.ngo.pk})
    assert both.status_code == 400
    assert "Choose a country or an organisation, not both." in both.content.decode()
    for wanted in ("abc", "99999999999999999999"):  # not one of the rows: nothing happens, no server error
        assert client.post(url, {"remove": wanted}).status_code == 303
    assert client.post(url, {"remove": row.pk}).status_code == 303
    assert not FocalPoint.objects.filter(user=world.stranger).exists()


def test_convener_records_a_good_practice_with_the_contributions_that_cited_it(world, client):
    from factories_deliberation import ContributionFactory

    cited = ContributionFactory(
        consultation=world.consultation, kind="good_practice", text="Zones worked in Siem Reap."
    )
    client.force_login(world.convener)
    response = client.post(
        reverse("commitments:practice_new", kwargs={"slug": world.consultation.slug}),
        {
            "title": "Child-labour-free zones",
            "description": "Everyone at one table.",
            "country": "KHM",
            "thematic_area": "child_labour",
            "organisations": [world.ngo.pk],
            "contributions": [cited.pk],
        },
    )
    assert response.status_code == 303
    page = client.get(reverse("commitments:practices", kwargs={"slug": world.consultation.slug})).content.decode()
    assert "Child-labour-free zones" in page
    assert "Cited in 1 contribution" in page
    assert "Zones worked in Siem Reap." in page


def test_a_good_practice_never_shows_a_contribution_held_for_review(world, client):
    from django.test import Client

    from factories_deliberation import ContributionFactory

    world.consultation.hold_contributions = True
    world.consultation.save(update_fields=["hold_contributions"])
    held = ContributionFactory(consultation=world.consultation, kind="good_practice", text="What happened to me.")
    client.force_login(world.convener)
    client.post(
        reverse("commitments:practice_new", kwargs={"slug": world.consultation.slug}),
        {"title": "Zones", "description": "One table.", "country": "KHM", "thematic_area": "child_labour",
         "organisations": [world.ngo.pk], "contributions": [held.pk]},
    )  # fmt: skip
    public = Client().get(reverse("commitments:practices", kwargs={"slug": world.consultation.slug}))
    assert "Zones" in public.content.decode() and "What happened to me." not in public.content.decode()
