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
