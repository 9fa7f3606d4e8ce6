from __future__ import annotations

import logging
import time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import registry
from .models import Job

logger = logging.getLogger(__name__)


def job_start(*, kind: str, title: str, params: dict[str, Any], actor=None, consultation=None) -> Job:
    """Queue a job once the current transaction commits; return it at once."""
    registry.get(kind)  # an unknown kind is a programming error: fail here, not in the worker
    job = Job.objects.create(
        kind=kind,
        title=title,
        params=params,
        consultation=consultation,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    from .tasks import run_job  # the task module imports this one

    transaction.on_commit(lambda: run_job(str(job.pk)))
    return job


class _Progress:
    """Writes progress at most every half second, so a fast loop does not hammer the database."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.last = 0.0

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        now = time.monotonic()
        finished = total is not None and done >= total
        if now - self.last < 0.5 and not finished:
            return
        self.last = now
        fields = {"done": done, "message": message[:500]}
        if total is not None:
            fields["total"] = total
        Job.objects.filter(pk=self.job.pk).update(**fields)


def job_run(*, job_id: str) -> Job | None:
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.is_finished:
        return job
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=timezone.now())
    try:
        result, url = registry.get(job.kind)(job, _Progress(job))
    except ValidationError as error:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, error="\n".join(error.messages), finished_at=timezone.now()
        )
    except Exception:  # the worker must go on; the user sees a plain message, the log keeps the trace
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED,
            error=_("The job stopped on an unexpected error. Nothing it was doing has been kept."),
            finished_at=timezone.now(),
        )
    else:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.DONE, result=result, result_url=url, finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job


def job_requeue_interrupted() -> int:
    """Put back in the queue the jobs that were running when the worker stopped."""
    from .tasks import run_job

    stale = list(Job.objects.filter(status=Job.Status.RUNNING).values_list("pk", flat=True))
    Job.objects.filter(pk__in=stale).update(status=Job.Status.QUEUED, done=0)
    for pk in stale:
        run_job(str(pk))
    return len(stale)
