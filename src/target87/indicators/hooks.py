"""The actions and commitments that aim at an indicator in a country, from the commitments register.

The register links an action to the indicator series it aims to move. This module only reads it, through the
register's own selector, and only for consultations that are public; it answers None when the register is not
part of this site, so that a page can say so instead of suggesting that nothing is being done.
"""

from __future__ import annotations

from django.apps import apps


def actions_aiming_at(*, country: str, series_codes: list[str]) -> dict[str, list] | None:
    """``{series code: [actions]}`` for the public actions of ``country``; None without the register."""
    if not apps.is_installed("target87.commitments"):
        return None
    try:
        from target87.commitments.selectors import action_list_for_country
    except ImportError:
        return None
    actions = action_list_for_country(country=country).filter(indicators__code__in=series_codes).distinct()
    found: dict[str, list] = {code: [] for code in series_codes}
    for action in actions:
        for series in action.indicators.all():
            if series.code in found:
                found[series.code].append(action)
    return found
