"""Countries by ISO 3166-1 alpha-3, with names in the active language."""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry
from django.utils import translation


@lru_cache(maxsize=4096)
def lookup(value: str) -> str | None:
    """The alpha-3 code for a code (alpha-2 or alpha-3) or an English name; None when unknown."""
    text = (value or "").strip()
    if not text:
        return None
    country = pycountry.countries.get(alpha_3=text.upper()) if len(text) == 3 else None
    if country is None and len(text) == 2:
        country = pycountry.countries.get(alpha_2=text.upper())
    if country is None:
        try:
            country = pycountry.countries.lookup(text)
        except LookupError:
            return None
    return country.alpha_3


@lru_cache(maxsize=8)
def _catalogue(language: str):
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def name(code: str, language: str | None = None) -> str:
    country = pycountry.countries.get(alpha_3=(code or "").upper())
    if country is None:
        return code or ""
    language = (language or translation.get_language() or "en").split("-")[0]
    base = getattr(country, "common_name", None) or country.name
    if language == "en":
        return base
    translated = _catalogue(language).gettext(country.name)
    return translated


def choices(codes: list[str] | None = None) -> list[tuple[str, str]]:
    if codes is None:
        codes = [c.alpha_3 for c in pycountry.countries]
    return sorted(((c, name(c)) for c in codes), key=lambda pair: pair[1])
