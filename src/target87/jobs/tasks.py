"""The one huey task: run a job by id. Thin on purpose: it loads the job and calls its function."""

from huey.contrib.djhuey import db_task

from . import services


@db_task(retries=0)
def run_job(job_id: str) -> None:
    services.job_run(job_id=job_id)
