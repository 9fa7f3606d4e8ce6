"""The weekly reminder of overdue actions, as a huey periodic task (Mondays, 02:00 UTC): a thin call of the
service that ``target87 remind-overdue`` runs too."""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(day_of_week="1", hour="2", minute="0"))
def remind_overdue_weekly():
    from . import services

    return services.remind_overdue(base_url=getattr(settings, "SITE_URL", ""))
