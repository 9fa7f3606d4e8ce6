"""Overdue actions: flagged, and their focal points reminded by e-mail (at most once a week)."""

from __future__ import annotations

import io

from django.core import mail
from django.core.management import call_command

from target87.commitments import services


def test_overdue_focal_points_are_reminded_once_a_week(world):
    world.focal_khm.email = "khm@example.org"
    world.focal_khm.save()
    world.rep_ngo.email = "ngo@example.org"
    world.rep_ngo.save()
    assert [a.title for a in services.overdue()] == ["Child-labour-free zones"]
    out = io.StringIO()
    call_command("remind_overdue", "--base-url", "https://t87.example.org", stdout=out)
    assert out.getvalue().strip() == "1 overdue actions; 2 e-mails sent; 0 without a focal point to remind."
    assert sorted(m.to[0] for m in mail.outbox) == ["khm@example.org", "ngo@example.org"]
    assert mail.outbox[0].subject == "Target 8.7: 1 overdue action to update"
    body = mail.outbox[0].body
    assert "Child-labour-free zones" in body
    assert f"https://t87.example.org/manage/{world.consultation.slug}/actions/{world.khm.pk}/update/" in body
    assert "Inspectors trained" not in body
    call_command("remind_overdue", stdout=io.StringIO())
    assert len(mail.outbox) == 2  # not again within the week


def test_completed_actions_are_not_overdue(world):
    services.action_update(actor=world.convener, action=world.khm, status="completed")
    assert list(services.overdue()) == []
    assert services.remind_overdue() == {"actions": 0, "emails": 0, "without_keeper": 0}
    assert mail.outbox == []


def test_a_mail_server_failing_halfway_does_not_remind_again_those_already_told(world, monkeypatch):
    import pytest

    from target87.commitments.services import reminders

    world.focal_khm.email = "khm@example.org"
    world.focal_khm.save()
    world.rep_ngo.email = "ngo@example.org"
    world.rep_ngo.save()
    real, calls = reminders.send_mail, []

    def failing_second(subject, body, sender, to):
        calls.append(to[0])
        if len(calls) == 2:
            raise OSError("the mail server went away")
        return real(subject, body, sender, to)

    monkeypatch.setattr(reminders, "send_mail", failing_second)
    with pytest.raises(OSError):
        services.remind_overdue()
    assert len(mail.outbox) == 1
    monkeypatch.setattr(reminders, "send_mail", real)
    services.remind_overdue()
    assert len(mail.outbox) == 1  # the action was marked reminded as the first e-mail left
