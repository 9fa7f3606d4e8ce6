import pytest

from target87.core.errors import ServiceError
from target87.jobs import registry, services
from target87.jobs.models import Job


@registry.job_kind("tests.count")
def _count(job, progress):
    for i in range(job.params["n"]):
        progress(i + 1, job.params["n"], f"item {i + 1}")
    return {"counted": job.params["n"]}, "/done/"


@registry.job_kind("tests.refuse")
def _refuse(job, progress):
    raise ServiceError("The file has no rows.")


@registry.job_kind("tests.crash")
def _crash(job, progress):
    raise RuntimeError("internal detail that must not be shown")


def test_a_job_runs_and_keeps_its_result(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.job_start(kind="tests.count", title="Counting", params={"n": 5})
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent, job.result, job.result_url) == (
        "done",
        5,
        5,
        100,
        {"counted": 5},
        "/done/",
    )


def test_a_refused_job_shows_the_message(db):
    job = Job.objects.create(kind="tests.refuse", title="Refuse")
    services.job_run(job_id=str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "The file has no rows.")


def test_an_unexpected_error_is_not_shown_to_the_user(db):
    job = Job.objects.create(kind="tests.crash", title="Crash")
    services.job_run(job_id=str(job.pk))
    job.refresh_from_db()
    assert job.status == "failed" and "internal detail" not in job.error
    assert job.error == "The job stopped on an unexpected error. Nothing it was doing has been kept."


def test_jobs_interrupted_by_a_restart_are_run_again(db):
    job = Job.objects.create(kind="tests.count", title="Counting", params={"n": 3}, status="running", done=1, total=3)
    assert services.job_requeue_interrupted() == 1  # huey runs at once in the tests
    job.refresh_from_db()
    assert job.status == "done" and job.done == 3


def test_a_job_another_live_worker_is_running_is_left_to_it(db):
    """Two workers, or a restart that overlaps the old worker: only a job whose lease ran out is taken back."""
    from django.utils import timezone

    alive = Job.objects.create(
        kind="tests.count",
        title="Alive",
        params={"n": 3},
        status="running",
        done=1,
        total=3,
        worker="other-host:41",
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    gone = Job.objects.create(
        kind="tests.count",
        title="Gone",
        params={"n": 3},
        status="running",
        done=1,
        total=3,
        worker="other-host:40",
        started_at=timezone.now() - services.LEASE * 3,
        heartbeat_at=timezone.now() - services.LEASE * 2,
    )
    assert services.job_requeue_interrupted() == 1
    alive.refresh_from_db()
    gone.refresh_from_db()
    assert (alive.status, alive.done, alive.worker) == ("running", 1, "other-host:41")
    assert (gone.status, gone.done) == ("done", 3)


def test_a_job_is_run_once_even_when_two_workers_are_handed_it(db):
    job = Job.objects.create(kind="tests.count", title="Counting", params={"n": 2})
    services.job_run(job_id=str(job.pk))
    Job.objects.filter(pk=job.pk).update(result={"counted": "kept"})
    again = services.job_run(job_id=str(job.pk))  # a second delivery of the same task
    assert again.result == {"counted": "kept"}


@registry.job_kind("tests.unstorable")
def _unstorable(job, progress):
    return {"value": object()}, "/done/"


def test_a_result_that_cannot_be_stored_fails_the_job_instead_of_leaving_it_running(db):
    job = Job.objects.create(kind="tests.unstorable", title="Unstorable")
    services.job_run(job_id=str(job.pk))
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == "The job's result could not be kept. Nothing it was doing has been kept."


def test_progress_renews_the_lease(db):
    job = Job.objects.create(kind="tests.count", title="Counting", params={"n": 2})
    services.job_run(job_id=str(job.pk))
    job.refresh_from_db()
    assert job.heartbeat_at is not None and job.heartbeat_at >= job.started_at


def test_an_unknown_kind_is_refused_before_queueing(db):
    with pytest.raises(KeyError):
        services.job_start(kind="tests.nothing", title="x", params={})
    assert not Job.objects.exists()


def test_the_job_page_polls_until_done(client, db):
    job = Job.objects.create(kind="tests.count", title="Counting", params={"n": 3}, done=1, total=4, status="running")
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert '<progress max="100" value="25">' in page and 'hx-trigger="every 1s"' in page
    fragment = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="job-progress"')
