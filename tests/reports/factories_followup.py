"""What happened after the consultation of :mod:`factories_reports`: actions answering two of its three
recommendations (one of them with money in Thai baht), one dropped action, and the exchange rates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from factories_reports import filled

from factories import OrganisationFactory
from target87.commitments import services as commitments
from target87.commitments.models import ExchangeRate


def followed(consultation, convener) -> dict:
    """``filled`` plus the follow-through. The ballot's top recommendation (“National action plans”) is a high
    priority; the only action that answered it was dropped, so it is an orphan priority."""
    made = filled(consultation, convener)
    national, inspection, dashboard = made["recs"]
    # one US dollar buys 35 baht and 0.9 euro from 2017 on
    ExchangeRate.objects.create(currency="THB", valid_from=dt.date(2017, 1, 1), per_usd=Decimal("35"))
    ExchangeRate.objects.create(currency="EUR", valid_from=dt.date(2017, 1, 1), per_usd=Decimal("0.9"))
    ministry = OrganisationFactory(name="Ministry of Labour of Thailand", stakeholder_group="government")
    inspectors = commitments.action_create(
        actor=convener,
        consultation=consultation,
        title="Labour inspectors trained in Kanchanaburi farms",
        country="THA",
        recommendations=[inspection],
        partners=[(ministry, "lead")],
        start_date=dt.date(2017, 1, 1),
        due_date=dt.date(2035, 12, 31),
        status="in_progress",
        progress=20,
    )
    commitments.action_update(actor=convener, action=inspectors, progress=60, note="Two provinces done")
    commitments.money_add(
        actor=convener,
        action=inspectors,
        year=2017,
        kind="committed",
        amount="350000",
        currency="THB",
        source_type="domestic",
    )
    commitments.money_add(
        actor=convener,
        action=inspectors,
        year=2017,
        kind="spent",
        amount="35000",
        currency="THB",
        source_type="domestic",
    )
    board = commitments.action_create(
        actor=convener,
        consultation=consultation,
        title="Regional 8.7 dashboard online",
        region="ASEAN",
        recommendations=[dashboard],
        status="completed",
        progress=100,
    )
    dropped = commitments.action_create(
        actor=convener,
        consultation=consultation,
        title="National plan drafting workshop",
        country="VNM",
        recommendations=[national],
        status="dropped",
        progress=0,
    )
    return {**made, "inspectors": inspectors, "board": board, "dropped": dropped}
