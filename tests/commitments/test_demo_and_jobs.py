"""The demonstration's follow-through, the weekly reminder job, and the country selector the dashboards read."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command

from target87.commitments import selectors
from target87.commitments.enums import ActionStatus
from target87.commitments.models import Action, MoneyLine, Update
from target87.commitments.tasks import remind_overdue_weekly
from target87.demo import commitments as demo


@pytest.mark.django_db(transaction=True)
def test_demo_has_actions_in_every_status_and_loads_once():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    actions = Action.objects.filter(consultation__slug="bangkok-2016")
    assert set(actions.values_list("status", flat=True)) == set(ActionStatus.values)
    assert len({a.country for a in actions if a.country}) >= 4
    assert all(a.updates.count() >= 1 for a in actions)
    assert MoneyLine.objects.filter(action__in=actions).count() == len(demo.MONEY)
    assert sum(a.is_overdue for a in actions) >= 1
    assert f"user “{demo.FOCAL_POINT_USERNAME}”, password “{demo.FOCAL_POINT_PASSWORD}”" in out.getvalue()
    counts = (actions.count(), Update.objects.count(), MoneyLine.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (actions.count(), Update.objects.count(), MoneyLine.objects.count()) == counts


def test_weekly_job_reminds_like_the_command(world):
    world.focal_khm.email = "khm@example.org"
    world.focal_khm.save()
    result = remind_overdue_weekly.call_local()
    assert result == {"actions": 1, "emails": 2, "without_keeper": 0}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(["khm@example.org", world.rep_ngo.email])


def test_country_selector_shows_what_the_reader_may_see(world):
    from factories import ConsultationFactory, convener_of
    from factories_deliberation import RecommendationFactory
    from target87.commitments import services

    draft = ConsultationFactory(status="draft")
    its_convener = convener_of(draft)
    services.action_create(
        actor=its_convener,
        consultation=draft,
        title="Not public yet",
        country="THA",
        recommendations=[RecommendationFactory(consultation=draft, number=1)],
    )
    public = [a.title for a in selectors.action_list_for_country(country="THA")]
    assert public == ["Inspectors trained on fishing vessels"]
    theirs = {a.title for a in selectors.action_list_for_country(country="THA", user=its_convener)}
    assert theirs == {"Inspectors trained on fishing vessels", "Not public yet"}
