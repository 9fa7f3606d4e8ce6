"""Template helpers: times in the event's zone, country names, translated content, QR codes."""

from __future__ import annotations

import segno
from django import template
from django.templatetags.tz import do_timezone
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import mark_safe

from target87.core import countries

register = template.Library()


@register.filter
def local(moment, tz):
    """A datetime in the given time zone (a ZoneInfo or a consultation), marked so that Django's ``date`` and
    ``time`` filters format it as it is instead of converting it back to the current time zone (as ``timezone``
    of ``{% load tz %}`` does)."""
    if moment is None or moment == "":
        return ""
    zone = getattr(tz, "tz", tz)
    return do_timezone(moment, zone)


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


@register.simple_tag
def qr(url, label=""):
    """A QR code for the address as inline SVG that scales to its box: a ``viewBox`` and no fixed size (so CSS
    sizes it whole instead of cropping it), the standard four-module quiet zone, dark on white."""
    if not url:
        return ""
    svg = segno.make(str(url), error="m").svg_inline(
        omitsize=True, border=4, dark="#000", light="#fff", svgclass="qr-code"
    )  # named by aria-label, not an SVG <title>: a page's outline has one title, the document's
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label or url)}" ', 1))


@register.simple_tag(takes_context=True)
def can(context, perm, obj=None):
    """Whether the signed-in user has the permission (on the object): ``{% can "app.perm" obj as allowed %}``."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and user.has_perm(perm, obj))
