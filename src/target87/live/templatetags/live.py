"""Filters of the live pages: a time left as minutes and seconds."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def clock(seconds) -> str:
    """Seconds as ``m:ss``; past zero, how far over time (``+m:ss over``)."""
    if seconds is None:
        return ""
    seconds = int(seconds)
    shown = f"{abs(seconds) // 60}:{abs(seconds) % 60:02d}"
    return shown if seconds >= 0 else _("+%(time)s over") % {"time": shown}
