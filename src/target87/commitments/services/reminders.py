"""Overdue actions and the e-mails that remind their focal points (Django's e-mail backend)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from target87.core import audit

from ..enums import CLOSED_STATUSES, FocalKind, PartnerRole
from ..models import Action, FocalPoint

#: a focal point is reminded of an overdue action at most once in this many days
REMIND_EVERY_DAYS = 7


def overdue(*, today: dt.date | None = None):
    """Actions past their due date and neither completed nor dropped."""
    today = today or timezone.localdate()
    return Action.objects.filter(due_date__lt=today).exclude(status__in=CLOSED_STATUSES)


def keepers(action: Action) -> list:
    """The users who keep the action up to date: its country's focal points and its lead organisations'
    representatives."""
    leads = action.partners.filter(role=PartnerRole.LEAD).values("organisation_id")
    rows = FocalPoint.objects.filter(consultation_id=action.consultation_id).filter(
        Q(kind=FocalKind.COUNTRY, country=action.country) & ~Q(country="")
        | Q(kind=FocalKind.ORGANISATION, organisation_id__in=leads)
    )
    return list({row.user_id: row.user for row in rows.select_related("user")}.values())


def remind_overdue(*, today: dt.date | None = None, base_url: str = "", force: bool = False) -> dict:
    """E-mail each focal point the list of their overdue actions (not more than once a week per action, unless
    ``force``). Answers ``{"actions": n, "emails": m, "without_keeper": k}``."""
    now = timezone.now()
    due = overdue(today=today).select_related("consultation")
    if not force:
        due = due.filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=now - dt.timedelta(days=REMIND_EVERY_DAYS)))
    by_user: dict[int, list[Action]] = defaultdict(list)
    users, lonely = {}, 0
    actions = list(due)
    for action in actions:
        found = [u for u in keepers(action) if u.email and u.is_active]
        lonely += not found
        for user in found:
            users[user.pk] = user
            by_user[user.pk].append(action)
    sent, reminded = 0, set()
    for pk, mine in by_user.items():
        user = users[pk]
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(
                "commitments/email/overdue.txt",
                {"user": user, "actions": mine, "base_url": base_url.rstrip("/"), "site": settings.SITE_NAME},
            )
            subject = ngettext(
                "%(site)s: %(n)s overdue action to update", "%(site)s: %(n)s overdue actions to update", len(mine)
            ) % {"site": settings.SITE_NAME, "n": len(mine)}
        send_mail(subject, body, None, [user.email])
        sent += 1
        # marked as each e-mail leaves: if the mail server fails halfway, those already told are not told again
        with transaction.atomic():
            fresh = [a for a in mine if a.pk not in reminded]
            Action.objects.filter(pk__in=[a.pk for a in fresh]).update(reminded_at=now)
            for action in fresh:
                reminded.add(action.pk)
                audit.record(actor=None, action="commitments.reminded", obj=action, consultation=action.consultation)
    return {"actions": len(actions), "emails": sent, "without_keeper": lonely}
