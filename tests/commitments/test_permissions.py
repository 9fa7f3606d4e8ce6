"""The permission matrix: each role × each way of changing an action, on the web pages and in the API.

The action is the Thai one (country THA, led by the ministry, the union a partner). Who may change it: the
convener, Thailand's focal point and the ministry's representative; not Cambodia's focal point, not the
representative of another organisation, not a signed-in stranger, not an anonymous visitor."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from target87.api.models import ApiToken
from target87.commitments.models import MoneyLine, Update

ROLES = {
    "convener": True,
    "focal_tha": True,
    "rep_ministry": True,
    "focal_khm": False,
    "rep_ngo": False,
    "stranger": False,
    "anonymous": False,
}


def _user(world, role):
    return None if role == "anonymous" else getattr(world, role)


def _web(world, client, name):
    """(method, url, data) of each web way to change the Thai action."""
    slug, pk = world.consultation.slug, world.tha.pk
    edit = reverse("commitments:action_edit", kwargs={"slug": slug, "pk": pk})
    update = reverse("commitments:update", kwargs={"slug": slug, "pk": pk})
    money = reverse("commitments:money_add", kwargs={"slug": slug, "pk": pk})
    line = MoneyLine.objects.create(
        action=world.tha, year=2019, kind="committed", amount=5, currency="USD", source_type="domestic"
    )
    remove = reverse("commitments:money_remove", kwargs={"slug": slug, "pk": pk, "line": line.pk})
    return {
        "money remove": ("post", remove, {}),
        "edit page": ("get", edit, None),
        "edit": (
            "post",
            edit,
            {
                "title": "Renamed",
                "country": "THA",
                "recommendations": [world.r1.pk],
                "lead": [world.ministry.pk],
                "status": "in_progress",
                "progress": 25,
            },
        ),
        "progress page": ("get", update, None),
        "progress": ("post", update, {"status": "in_progress", "progress": 60, "note": "Half done"}),
        "money": (
            "post",
            money,
            {
                "money-year": 2020,
                "money-kind": "committed",
                "money-amount": "100",
                "money-currency": "USD",
                "money-source_type": "domestic",
            },
        ),
    }[name]


WEB = ["edit page", "edit", "progress page", "progress", "money", "money remove"]


@pytest.mark.parametrize("way", WEB)
@pytest.mark.parametrize("role", ROLES)
def test_web_permission_matrix(world, client, role, way):
    user = _user(world, role)
    if user is not None:
        client.force_login(user)
    method, url, data = _web(world, client, way)
    before = (Update.objects.count(), MoneyLine.objects.count())
    response = client.post(url, data) if method == "post" else client.get(url)
    if ROLES[role]:
        assert response.status_code in (200, 303)
        if method == "post":
            assert response.status_code == 303
            assert (Update.objects.count(), MoneyLine.objects.count()) != before
    else:
        expected = 302 if user is None else 403
        assert response.status_code == expected
        if user is None:
            assert response["Location"].startswith(reverse("core:login"))
        assert (Update.objects.count(), MoneyLine.objects.count()) == before
        world.tha.refresh_from_db()
        assert (world.tha.title, world.tha.progress) == ("Inspectors trained on fishing vessels", 20)


def _api(world, name):
    pk = world.tha.pk
    return {
        "patch action": ("patch", f"/api/v1/actions/{pk}", {"progress": 55, "note": "API"}),
        "record update": ("post", f"/api/v1/actions/{pk}/updates", {"progress": 65, "note": "API"}),
        "add money": (
            "post",
            f"/api/v1/actions/{pk}/money",
            {"year": 2020, "kind": "spent", "amount": "10", "currency": "USD", "source_type": "private"},
        ),
        "new action in THA": (
            "post",
            f"/api/v1/consultations/{world.consultation.slug}/actions",
            {
                "title": "New",
                "country": "THA",
                "recommendation_ids": [world.r3.pk],
                "partners": [{"organisation_id": world.ministry.pk, "role": "lead"}],
            },
        ),
    }[name]


API = ["patch action", "record update", "add money", "new action in THA"]


@pytest.mark.parametrize("way", API)
@pytest.mark.parametrize("role", ROLES)
def test_api_permission_matrix(world, client, role, way):
    user = _user(world, role)
    headers = {}
    if user is not None:
        _row, key = ApiToken.issue(user=user, name="test")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    method, url, payload = _api(world, way)
    before = (Update.objects.count(), MoneyLine.objects.count())
    response = getattr(client, method)(url, payload, content_type="application/json", **headers)
    if ROLES[role]:
        assert response.status_code in (200, 201), response.content
        assert (Update.objects.count(), MoneyLine.objects.count()) != before
    else:
        assert response.status_code == (401 if user is None else 403)
        assert response["Content-Type"] == "application/problem+json"
        assert (Update.objects.count(), MoneyLine.objects.count()) == before


@pytest.mark.parametrize("role", ROLES)
def test_only_conveners_manage_focal_points_and_good_practices(world, client, role):
    user = _user(world, role)
    if user is not None:
        client.force_login(user)
    for url in (
        reverse("commitments:focal_points", kwargs={"slug": world.consultation.slug}),
        reverse("commitments:practice_new", kwargs={"slug": world.consultation.slug}),
    ):
        response = client.get(url)
        if role == "convener":
            assert response.status_code == 200
        else:
            assert response.status_code == (302 if user is None else 403)


def test_focal_point_lists_only_the_actions_they_keep(world, client):
    client.force_login(world.focal_khm)
    page = client.get(reverse("commitments:mine", kwargs={"slug": world.consultation.slug})).content.decode()
    assert "Child-labour-free zones" in page
    assert "Inspectors trained on fishing vessels" not in page


def test_history_has_no_way_to_be_changed_in_the_api(world, client):
    update = world.tha.updates.get()
    _row, key = ApiToken.issue(user=world.convener, name="test")
    for method in ("put", "patch", "delete"):
        response = getattr(client, method)(
            f"/api/v1/actions/{world.tha.pk}/updates/{update.pk}",
            {"note": "x"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )
        assert response.status_code in (404, 405)
    assert Update.objects.get(pk=update.pk).note == update.note
    assert world.tha.due_date == dt.date(2030, 12, 31)


def test_focal_point_adding_an_action_elsewhere_is_told_why(world, client):
    client.force_login(world.focal_tha)
    response = client.post(
        reverse("commitments:action_new", kwargs={"slug": world.consultation.slug}),
        {"title": "Elsewhere", "country": "KHM", "recommendations": [world.r3.pk], "status": "planned", "progress": 0},
    )
    assert response.status_code == 403
    assert "You keep the actions of your country" in response.content.decode()
    assert not Update.objects.filter(action__title="Elsewhere").exists()
