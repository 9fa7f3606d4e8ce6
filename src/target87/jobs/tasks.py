"""The huey side of jobs. Thin on purpose: tasks load the job by id and call the service."""

import threading

from huey.contrib.djhuey import db_task, on_startup

from . import services

_requeued = threading.Event()


@db_task(retries=0)
def run_job(job_id: str) -> None:
    services.job_run(job_id=job_id)


@on_startup()
def requeue_interrupted() -> None:
    """When the worker starts, jobs it was running when it stopped go back in the queue (once per process)."""
    if not _requeued.is_set():
        _requeued.set()
        services.job_requeue_interrupted()
