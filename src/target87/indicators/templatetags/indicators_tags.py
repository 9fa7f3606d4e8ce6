"""Figures as people read them: a value with as many decimals as it has (up to a limit), an area by its name."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from target87.core import countries
from target87.engines import sdmx

register = template.Library()


@register.filter
def figure(value, decimals: int = 2) -> str:
    """3.3 → "3.3", 3.0 → "3", 12.345 → "12.35" (decimals at most), in the reader's number format; "" for None."""
    if value is None or value == "":
        return ""
    rounded = Decimal(str(round(float(value), int(decimals)))).normalize()
    if rounded == rounded.to_integral():
        rounded = rounded.quantize(Decimal(1))
    places = max(0, -rounded.as_tuple().exponent)
    return number_format(rounded, decimal_pos=places, use_l10n=True)


@register.filter
def area(code: str) -> str:
    """A country's name, or an aggregate's (a UN M49 region, an ILO region)."""
    return sdmx.REGIONS.get(code) or countries.name(code)
