"""Template helpers for ballots: stakeholder group names, shares and scores."""

from __future__ import annotations

from django import template

from target87.people.enums import group_label

register = template.Library()


register.filter("group_label", group_label)


@register.filter
def pct(value) -> str:
    if value is None or value == "":
        return "–"
    return f"{round(float(value) * 100)} %"


@register.filter
def number(value) -> str:
    if value is None or value == "":
        return "–"
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.2f}"


@register.filter
def get(mapping, key):
    return mapping.get(key, "") if mapping else ""
