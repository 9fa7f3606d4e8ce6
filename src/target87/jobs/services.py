from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import registry
from .models import Job

logger = logging.getLogger(__name__)

#: How long a running job stays its worker's without a sign of life. A job function reports progress (which
#: renews the lease) at least this often; a running job whose lease has run out belongs to a worker that is
#: gone, and only such jobs are queued again — never those another live worker is still running.
LEASE = dt.timedelta(seconds=settings.JOB_LEASE_SECONDS)


def _worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


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
        fields = {"done": done, "message": message[:500], "heartbeat_at": timezone.now()}
        if total is not None:
            fields["total"] = total
        Job.objects.filter(pk=self.job.pk).update(**fields)


def job_run(*, job_id: str) -> Job | None:
    """Run a queued job, once: the worker that claims it (queued → running, in one statement) runs it."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=now, heartbeat_at=now, worker=_worker_id()
    )
    job = Job.objects.filter(pk=job_id).first()
    if not claimed or job is None:
        return job  # finished, unknown, or being run by another worker
    try:
        result, url = registry.get(job.kind)(job, _Progress(job))
    except ValidationError as error:
        _fail(job, "\n".join(error.messages))
    except Exception:  # the worker must go on; the user sees a plain message, the log keeps the trace
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _fail(job, _("The job stopped on an unexpected error. Nothing it was doing has been kept."))
    else:
        try:
            with transaction.atomic():
                Job.objects.filter(pk=job.pk).update(
                    status=Job.Status.DONE, result=result, result_url=url, finished_at=timezone.now()
                )
        except Exception:  # a result that cannot be stored fails the job as plainly as any other error
            logger.exception("job %s (%s) could not store its result", job.pk, job.kind)
            _fail(job, _("The job's result could not be kept. Nothing it was doing has been kept."))
    job.refresh_from_db()
    return job


def _fail(job: Job, message: str) -> None:
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, error=message, finished_at=timezone.now())


def job_requeue_interrupted() -> int:
    """Put back in the queue the running jobs whose worker is gone (their lease has run out)."""
    from .tasks import run_job

    expired = timezone.now() - LEASE
    lease_over = Q(heartbeat_at__lt=expired) | Q(heartbeat_at__isnull=True) & (
        Q(started_at__isnull=True) | Q(started_at__lt=expired)
    )
    stale = list(Job.objects.filter(lease_over, status=Job.Status.RUNNING).values_list("pk", flat=True))
    # checked again in the update, in case a worker renewed its lease in between
    Job.objects.filter(lease_over, pk__in=stale, status=Job.Status.RUNNING).update(
        status=Job.Status.QUEUED, done=0, worker=""
    )
    for pk in stale:
        run_job(str(pk))
    return len(stale)
