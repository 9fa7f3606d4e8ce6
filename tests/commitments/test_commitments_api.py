"""The follow-through in the API: reads for everyone, writes with a token, bad input a 422 that says why."""

from __future__ import annotations

from target87.api.models import ApiToken
from target87.commitments.models import Action, MoneyLine


def _auth(user):
    _row, key = ApiToken.issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_public_reads(world, client):
    data = client.get(f"/api/v1/consultations/{world.consultation.slug}/actions?country=KHM").json()
    assert data["count"] == 1
    assert data["items"][0]["title"] == "Child-labour-free zones"
    assert data["items"][0]["overdue"] is True
    history = client.get(f"/api/v1/actions/{world.tha.pk}/updates").json()
    assert history["items"][0]["changes"]["progress"] == [None, 20]


def test_focal_point_records_progress_with_a_link(world, client):
    response = client.post(
        f"/api/v1/actions/{world.tha.pk}/updates",
        {"progress": 60, "note": "Half", "evidence_links": ["https://example.org/r.pdf"]},
        content_type="application/json",
        **_auth(world.focal_tha),
    )
    assert response.status_code == 201
    assert response.json()["changes"] == {"progress": [20, 60]}
    assert response.json()["evidence"] == [{"label": "", "url": "https://example.org/r.pdf"}]


def test_bad_input_is_a_422_and_nothing_is_stored(world, client):
    before = (Action.objects.count(), MoneyLine.objects.count())
    created = client.post(
        f"/api/v1/consultations/{world.consultation.slug}/actions",
        {
            "title": "X",
            "country": "THA",
            "recommendation_ids": [world.elsewhere.pk],
            "start_date": "2020-01-01",
            "due_date": "2019-01-01",
        },
        content_type="application/json",
        **_auth(world.convener),
    )
    assert created.status_code == 422
    fields = {e["field"] for e in created.json()["errors"]}
    assert fields == {"recommendations", "due_date"}
    money = client.post(
        f"/api/v1/actions/{world.tha.pk}/money",
        {"year": 2020, "kind": "spent", "amount": "-3", "currency": "XYZ", "source_type": "private"},
        content_type="application/json",
        **_auth(world.convener),
    )
    assert money.status_code == 422
    assert {e["field"] for e in money.json()["errors"]} == {"amount", "currency"}
    assert (Action.objects.count(), MoneyLine.objects.count()) == before


def test_good_practices(world, client):
    response = client.post(
        f"/api/v1/consultations/{world.consultation.slug}/good-practices",
        {"title": "Zones", "description": "Works.", "country": "KHM", "organisation_ids": [world.ngo.pk]},
        content_type="application/json",
        **_auth(world.convener),
    )
    assert response.status_code == 201
    listed = client.get(f"/api/v1/consultations/{world.consultation.slug}/good-practices").json()
    assert [(p["title"], p["actors"]) for p in listed["items"]] == [("Zones", ["Children First Cambodia"])]
    refused = client.post(
        f"/api/v1/consultations/{world.consultation.slug}/good-practices",
        {"title": "Mine", "description": "x"},
        content_type="application/json",
        **_auth(world.focal_tha),
    )
    assert refused.status_code == 403
