"""Template helpers: times in the event's zone, country names, translated content."""

from __future__ import annotations

from django import template
from django.utils import formats, timezone

from target87.core import countries

register = template.Library()


@register.filter
def local(moment, tz):
    """A datetime in the given time zone (a ZoneInfo or a consultation)."""
    if moment is None:
        return ""
    zone = getattr(tz, "tz", tz)
    return timezone.localtime(moment, zone)


@register.filter
def hm(moment, tz):
    return formats.time_format(local(moment, tz), "H:i") if moment else ""


@register.filter
def country_name(code):
    return countries.name(code)


@register.filter
def tr(obj, field):
    return obj.tr(field)


@register.simple_tag(takes_context=True)
def querystring_with(context, **kwargs):
    """The current query string with some parameters replaced (empty values removed)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in ("", None):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
