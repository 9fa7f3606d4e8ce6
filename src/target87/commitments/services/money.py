"""Money committed to and spent on actions, and the exchange rates that turn it into one currency.

A money line added or removed is recorded in the action's history like any other change."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from target87.core import audit
from target87.core.errors import ServiceError
from target87.core.permissions import require

from ..models import Action, ExchangeRate, MoneyLine
from . import checks
from .actions import _record


def money_clean(*, year, kind, amount, currency, source_type) -> dict:
    errors, cleaned = {}, {}
    for name, check, value in (
        ("year", checks.year, year),
        ("kind", checks.money_kind, kind),
        ("amount", checks.amount, amount),
        ("currency", checks.currency, currency),
        ("source_type", checks.source_type, source_type),
    ):
        cleaned[name], message = check(value)
        if message:
            errors[name] = [message]
    if errors:
        raise ServiceError(errors)
    return cleaned


def _line_text(line: MoneyLine) -> str:
    return f"{line.year} {line.kind} {line.amount:.2f} {line.currency} ({line.source_type})"


@transaction.atomic
def money_add(*, actor, action: Action, note: str = "", **data) -> MoneyLine:
    require(actor, "commitments.change_action", action)
    line = MoneyLine.objects.create(action=action, **money_clean(**data))
    _record(actor=actor, action=action, changes={"money": [None, _line_text(line)]}, note=note, evidence=[])
    audit.record(actor=actor, action="commitments.money_add", obj=line, consultation=action.consultation)
    return line


@transaction.atomic
def money_remove(*, actor, line: MoneyLine, note: str = "") -> None:
    """Take back a money line entered by mistake; the history keeps that it was there and when it went."""
    action = line.action
    require(actor, "commitments.change_action", action)
    _record(actor=actor, action=action, changes={"money": [_line_text(line), None]}, note=note, evidence=[])
    audit.record(actor=actor, action="commitments.money_remove", obj=line, consultation=action.consultation)
    line.delete()


@transaction.atomic
def rate_set(*, actor, currency, valid_from, per_usd, source: str = "") -> ExchangeRate:
    """How many units of ``currency`` one US dollar buys from ``valid_from`` on (a later rate replaces it)."""
    require(actor, "commitments.manage_rates")
    errors = {}
    code, message = checks.currency(currency)
    if message:
        errors["currency"] = [message]
    day, message = checks.date(valid_from)
    if message or day is None:
        errors["valid_from"] = [message or _("Give the date from which the rate holds.")]
    rate, message = checks.amount(per_usd)
    if message or not rate:
        errors["per_usd"] = [message or _("A rate is more than zero.")]
    if errors:
        raise ServiceError(errors)
    row, _created = ExchangeRate.objects.update_or_create(
        currency=code,
        valid_from=day,
        defaults={"per_usd": Decimal(str(per_usd).replace(",", "").strip()), "source": source[:200]},
    )
    audit.record(actor=actor, action="commitments.rate_set", obj=row)
    return row
