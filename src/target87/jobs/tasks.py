"""The huey side of jobs. Thin on purpose: tasks load the job by id and call the service."""

import threading

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from . import services

_requeued = threading.Event()


@db_task(retries=0)
def run_job(job_id: str) -> None:
    services.job_run(job_id=job_id)


@on_startup()
def requeue_interrupted() -> None:
    """When the worker starts, jobs whose worker is gone go back in the queue (once per process)."""
    if not _requeued.is_set():
        _requeued.set()
        services.job_requeue_interrupted()


@db_periodic_task(crontab(minute="*"))
def requeue_abandoned() -> None:
    """Every minute, jobs whose worker died (a kill -9, a lost machine) go back in the queue once their lease
    has run out, even when no worker restarts."""
    services.job_requeue_interrupted()
