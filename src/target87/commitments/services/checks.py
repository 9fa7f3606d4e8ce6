"""The checks every write of the follow-through makes, each returning the message for the field it checks.

Each check takes the value as given and answers ``(clean value, message or None)``, so that a service can
collect every mistake of a form, a payload or a CSV row before it refuses, and say all of them at once.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from target87.consultations.enums import ThematicArea
from target87.core import countries

from ..enums import ActionStatus, MoneyKind, PartnerRole, SourceType

#: files accepted as evidence, and the largest
EVIDENCE_EXTENSIONS = {"pdf", "png", "jpg", "jpeg", "webp", "docx", "xlsx", "odt", "ods", "csv", "txt"}
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


def currency(value) -> tuple[str, str | None]:
    code = str(value or "").strip().upper()
    if len(code) == 3 and pycountry.currencies.get(alpha_3=code) is not None:
        return code, None
    return code, _("“%(code)s” is not an ISO 4217 currency code; use three letters such as USD, EUR or THB.") % {
        "code": value or ""
    }


def country(value, *, required: bool = False) -> tuple[str, str | None]:
    text = str(value or "").strip()
    if not text:
        return "", _("Give the country (ISO 3166-1 alpha-3, e.g. THA).") if required else None
    code = countries.lookup(text)
    if code is None:
        return text, _("“%(value)s” is not a country; use its ISO 3166-1 alpha-3 code, e.g. THA or KHM.") % {
            "value": text
        }
    return code, None


def amount(value) -> tuple[Decimal | None, str | None]:
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        return None, _("“%(value)s” is not an amount; write a number such as 25000 or 25000.50.") % {"value": value}
    if not number.is_finite():
        return None, _("“%(value)s” is not an amount; write a number such as 25000 or 25000.50.") % {"value": value}
    if number < 0:
        return None, _("An amount cannot be negative; record money spent as “spent”, not as a negative amount.")
    if number >= Decimal("1e14"):
        return None, _("This amount is too large.")
    return number.quantize(Decimal("0.01")), None


def year(value) -> tuple[int | None, str | None]:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = None
    if number is None or not 1990 <= number <= 2100:
        return None, _("Give the year as four digits between 1990 and 2100.")
    return number, None


def choice(value, choices, label) -> tuple[str, str | None]:
    text = str(value or "").strip()
    if text in choices.values:
        return text, None
    allowed = ", ".join(choices.values)
    return text, _("“%(value)s” is not a %(label)s; use one of: %(allowed)s.") % {
        "value": text,
        "label": label,
        "allowed": allowed,
    }


def status(value):
    return choice(value, ActionStatus, _("status"))


def money_kind(value):
    return choice(value, MoneyKind, _("kind of amount"))


def source_type(value):
    return choice(value, SourceType, _("source type"))


def partner_role(value):
    return choice(value, PartnerRole, _("partnership role"))


def thematic_areas(values) -> tuple[list[str], str | None]:
    values = [str(v).strip() for v in values or [] if str(v).strip()]
    wrong = [v for v in values if v not in ThematicArea.values]
    if wrong:
        return values, _("Unknown thematic areas: %(wrong)s; use: %(allowed)s.") % {
            "wrong": ", ".join(wrong),
            "allowed": ", ".join(ThematicArea.values),
        }
    return list(dict.fromkeys(values)), None


def progress(value) -> tuple[int | None, str | None]:
    try:
        number = int(str(value).strip().rstrip("%"))
    except (TypeError, ValueError):
        number = None
    if number is None or not 0 <= number <= 100:
        return None, _("Progress is a whole percentage from 0 to 100.")
    return number, None


def date(value) -> tuple[dt.date | None, str | None]:
    if value in (None, ""):
        return None, None
    if isinstance(value, dt.date):
        return value, None
    try:
        return dt.date.fromisoformat(str(value).strip()), None
    except ValueError:
        return None, _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": value}


def dates(start, due) -> str | None:
    if start and due and due < start:
        return _("The due date (%(due)s) is before the start date (%(start)s).") % {"due": due, "start": start}
    return None


def link(value) -> tuple[str, str | None]:
    text = str(value or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError:
        return text, _("“%(value)s” is not a web address; it must start with https:// or http://.") % {"value": text}
    return text, None


def evidence_file(upload) -> str | None:
    name = getattr(upload, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EVIDENCE_EXTENSIONS:
        return _("“%(name)s” is not a kind of file kept as evidence; send one of: %(allowed)s.") % {
            "name": name,
            "allowed": ", ".join(sorted(EVIDENCE_EXTENSIONS)),
        }
    if upload.size > EVIDENCE_MAX_BYTES:
        return _("“%(name)s” is larger than 20 MB.") % {"name": name}
    return None
