"""``{% join_for consultation during as join %}``: what a screen shows of the consultation's join code (see
:mod:`target87.people.walkin`), or None when ``during`` — a session, or the rooms of the "now" page — holds no
session the whole room attends."""

from django import template

from .. import walkin

register = template.Library()


@register.simple_tag(takes_context=True)
def join_for(context, consultation, during=None):
    if consultation is None:
        return None
    if during is not None:
        sessions = during if isinstance(during, list | tuple) else [during]
        if not walkin.plenary_on([getattr(s, "session", s) for s in sessions]):
            return None
    request = context.get("request")
    if request is None:
        return None
    return walkin.join_shown(consultation, request.build_absolute_uri("/"))
