"""Actions are made and changed through the services: every change is one entry of a history that nothing can
rewrite, and bad input is refused with a clear message and nothing stored."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from target87.commitments import services
from target87.commitments.models import Action, Evidence, HistoryIsPermanent, MoneyLine, Update
from target87.core.errors import ServiceError


def _counts():
    return Action.objects.count(), Update.objects.count(), MoneyLine.objects.count()


def test_update_records_who_what_and_evidence(world):
    update = services.action_update(
        actor=world.focal_tha,
        action=world.tha,
        progress=60,
        note="Half the provinces covered.",
        evidence=[{"url": "https://example.org/report.pdf", "label": "Inspection report"}],
    )
    world.tha.refresh_from_db()
    assert world.tha.progress == 60
    assert update.changes == {"progress": [20, 60]}
    assert update.by == world.focal_tha
    assert [(e.label, e.url) for e in update.evidence.all()] == [
        ("Inspection report", "https://example.org/report.pdf")
    ]
    assert [u.progress for u in world.tha.updates.all()] == [60, 20]


def test_creation_is_the_first_entry_of_the_history(world):
    first = world.tha.updates.get()
    assert first.changes["title"] == [None, "Inspectors trained on fishing vessels"]
    assert first.changes["recommendations"] == [None, ["R1"]]
    assert first.changes["partners"][1] == [
        "Donor Agency (funder)",
        "Ministry of Labour of Thailand (lead)",
        "Thai Trade Union Congress (partner)",
    ]


def test_history_cannot_be_changed_or_deleted(world):
    update = world.tha.updates.get()
    update.note = "rewritten"
    with pytest.raises(HistoryIsPermanent):
        update.save()
    with pytest.raises(HistoryIsPermanent):
        update.delete()
    with pytest.raises(HistoryIsPermanent):
        Update.objects.filter(pk=update.pk).update(note="rewritten")
    with pytest.raises(HistoryIsPermanent):
        Update.objects.all().delete()
    services.action_update(actor=world.convener, action=world.tha, note="x", evidence=[{"url": "https://e.org/a"}])
    with pytest.raises(HistoryIsPermanent):
        Evidence.objects.all().delete()
    assert Update.objects.get(pk=update.pk).note == ""


def test_an_action_with_a_history_cannot_be_deleted(world):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        world.tha.delete()
    assert Action.objects.filter(pk=world.tha.pk).exists()


def test_completed_means_100(world):
    services.action_update(actor=world.convener, action=world.tha, status="completed")
    world.tha.refresh_from_db()
    assert (world.tha.status, world.tha.progress) == ("completed", 100)


def test_nothing_changed_is_refused(world):
    with pytest.raises(ServiceError) as error:
        services.action_update(actor=world.convener, action=world.tha, progress=20)
    assert "Nothing changed" in error.value.messages[0]
    assert world.tha.updates.count() == 1


@pytest.mark.parametrize(
    "fields, field, words",
    [
        ({"due_date": dt.date(2016, 1, 1)}, "due_date", "before the start date"),
        ({"recommendations": "elsewhere"}, "recommendations", "belong to another consultation"),
        ({"progress": 140}, "progress", "from 0 to 100"),
        ({"country": "Atlantis"}, "country", "is not a country"),
        ({"status": "finished"}, "status", "is not a status"),
        ({"thematic_areas": ["piracy"]}, "thematic_areas", "Unknown thematic areas: piracy"),
        ({"status": "completed", "progress": 50}, "progress", "completed action is at 100"),
    ],
)
def test_bad_action_input_is_refused_and_nothing_is_stored(world, fields, field, words):
    if fields.get("recommendations") == "elsewhere":
        fields = {"recommendations": [world.r1, world.elsewhere]}
    before = _counts()
    with pytest.raises(ServiceError) as error:
        services.action_update(actor=world.convener, action=world.tha, **fields)
    assert words in " ".join(error.value.message_dict[field])
    assert _counts() == before
    world.tha.refresh_from_db()
    assert (world.tha.progress, world.tha.due_date, world.tha.country) == (20, dt.date(2030, 12, 31), "THA")


def test_new_action_with_bad_input_stores_nothing(world):
    before = _counts()
    with pytest.raises(ServiceError) as error:
        services.action_create(
            actor=world.convener,
            consultation=world.consultation,
            title="",
            country="THA",
            recommendations=[world.elsewhere],
            start_date=dt.date(2020, 1, 1),
            due_date=dt.date(2019, 1, 1),
        )
    assert set(error.value.message_dict) == {"title", "recommendations", "due_date"}
    assert _counts() == before


@pytest.mark.parametrize(
    "fields, field, words",
    [
        ({"currency": "XYZ"}, "currency", "not an ISO 4217 currency code"),
        ({"currency": "dollars"}, "currency", "not an ISO 4217 currency code"),
        ({"amount": "-500"}, "amount", "cannot be negative"),
        ({"amount": "lots"}, "amount", "is not an amount"),
        ({"year": 1850}, "year", "between 1990 and 2100"),
        ({"source_type": "lottery"}, "source_type", "is not a source type"),
    ],
)
def test_bad_money_is_refused_and_nothing_is_stored(world, fields, field, words):
    data = {"year": 2019, "kind": "committed", "amount": "1000", "currency": "USD", "source_type": "domestic", **fields}
    before = _counts()
    with pytest.raises(ServiceError) as error:
        services.money_add(actor=world.convener, action=world.tha, **data)
    assert words in " ".join(error.value.message_dict[field])
    assert _counts() == before


def test_money_added_and_taken_back_stays_in_the_history(world):
    line = services.money_add(
        actor=world.focal_tha,
        action=world.tha,
        year=2019,
        kind="committed",
        amount="1,500.5",
        currency="thb",
        source_type="domestic",
    )
    assert (line.amount, line.currency) == (pytest.approx(1500.5), "THB")
    services.money_remove(actor=world.focal_tha, line=line)
    assert list(world.tha.money.all()) == []
    assert [u.changes["money"] for u in world.tha.updates.all()[:2]] == [
        ["2019 committed 1500.50 THB (domestic)", None],
        [None, "2019 committed 1500.50 THB (domestic)"],
    ]


def test_focal_point_cannot_hand_an_action_to_another_country(world):
    with pytest.raises(PermissionDenied):
        services.action_update(actor=world.focal_tha, action=world.tha, country="KHM")
    world.tha.refresh_from_db()
    assert world.tha.country == "THA"


def test_focal_point_makes_actions_of_their_country_only(world):
    made = services.action_create(
        actor=world.focal_tha, consultation=world.consultation, title="A", country="THA", recommendations=[world.r3]
    )
    assert made.created_by == world.focal_tha
    with pytest.raises(PermissionDenied):
        services.action_create(
            actor=world.focal_tha, consultation=world.consultation, title="B", country="KHM", recommendations=[world.r3]
        )
    assert not Action.objects.filter(title="B").exists()


def test_representative_edits_what_their_organisation_leads_only(world):
    services.action_update(actor=world.rep_ministry, action=world.tha, progress=30)
    with pytest.raises(PermissionDenied):
        services.action_update(actor=world.rep_ministry, action=world.khm, progress=50)
    # a partner's representative is not its keeper: the union is a partner of the Thai action, not its lead
    with pytest.raises(PermissionDenied):
        services.action_update(actor=world.rep_ngo, action=world.tha, progress=50)


def test_exchange_rates_need_staff_and_a_known_currency(world):
    with pytest.raises(PermissionDenied):
        services.rate_set(actor=world.convener, currency="THB", valid_from="2020-01-01", per_usd="31")
    world.convener.is_staff = True
    world.convener.save()
    with pytest.raises(ServiceError) as error:
        services.rate_set(actor=world.convener, currency="ZZZ", valid_from="2020-01-01", per_usd="-3")
    assert set(error.value.message_dict) == {"currency", "per_usd"}


def test_naming_a_focal_point_again_changes_and_records_nothing(world):
    from target87.core.models import AuditEntry

    services.focal_point_add(actor=world.convener, consultation=world.consultation, user=world.stranger, country="THA")
    before = AuditEntry.objects.count()
    again = services.focal_point_add(
        actor=world.convener, consultation=world.consultation, user=world.stranger, country="tha"
    )
    assert again.country == "THA"
    assert AuditEntry.objects.count() == before
