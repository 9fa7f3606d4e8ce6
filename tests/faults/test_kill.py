"""A worker killed with ``kill -9`` in the middle of a job, with real processes: after a restart the database is
consistent, nothing half-written remains, and the job is run again to its end by the new worker.

The worker is ``target87 run_huey`` in the product's settings, on its own database (SQLite, or PostgreSQL when the
suite runs there) and its own queue. The lease of a job (``JOB_LEASE_SECONDS``) is two seconds here, so that the
restarted worker knows at once that the job's first worker is gone.
"""

from __future__ import annotations

import json
import time

import pytest
from processes import A_CONSULTATION, Deployment, kill

DATABASE = "target87_kill"
#: enough people that the solver uses its whole time limit, so that the worker dies in the middle of the search
PEOPLE = 240


@pytest.fixture
def deployment(tmp_path):
    return Deployment(tmp_path, DATABASE)


ALLOCATION = (
    A_CONSULTATION
    + """
import datetime as dt
from target87.breakouts import services
from target87.consultations.models import KeyQuestion, Room, Session
from target87.people.models import Organisation
start = dt.datetime(2016, 9, 14, 4, tzinfo=dt.UTC)
sessions = []
for k in range(4):
    room = Room.objects.create(consultation=consultation, name=f"Room {k}", capacity=70, position=k)
    session = Session.objects.create(
        consultation=consultation, kind="breakout", title=f"Breakout {k}", start=start,
        end=start + dt.timedelta(hours=1), room=room,
    )
    session.key_questions.set([KeyQuestion.objects.create(
        consultation=consultation, position=k + 1, short_title=f"Q{k + 1}", text="?", lens="policy"
    )])
    sessions.append(session)
groups = ["government", "workers", "employers", "civil_society", "survivor_led", "un_international"]
for n in range(PEOPLE):
    organisation = Organisation.objects.create(name=f"Organisation {n}", stakeholder_group=groups[n % 6], country="THA")
    person = Person.objects.create(name=f"Person {n}", organisation=organisation, country=["THA", "KHM", "LAO"][n % 3],
                                   gender=["woman", "man"][n % 2])
    Participation.objects.create(consultation=consultation, person=person, status="approved")
outcome = services.allocation_run(actor=user, session=sessions[0], time_limit=TIME_LIMIT, background=True)
print(json.dumps({"job": str(outcome.job.pk), "allocation": outcome.allocation.pk}))
"""
)


def test_a_worker_killed_in_an_allocation_leaves_nothing_half_done_and_the_next_one_finishes_it(deployment):
    made = deployment.python(ALLOCATION.replace("TIME_LIMIT", "8").replace("PEOPLE", str(PEOPLE)))
    worker = deployment.worker()
    try:
        deployment.wait(made["job"], lambda s: s[0] == "running", 60)  # while it builds or searches
        kill(worker)
        status, _done, _error = deployment.job(made["job"])
        assert status == "running"  # what a killed worker leaves: a job nobody runs any more
        runs = "SELECT count(*) FROM breakouts_allocationrun WHERE allocation_id = %s"
        assert deployment.query(runs, made["allocation"]) == [(0,)]  # and nothing half-written

        time.sleep(2.5)  # the lease runs out
        worker = deployment.worker()
        status, _done, error = deployment.wait(made["job"], lambda s: s[0] in ("done", "failed"), 90)
        assert (status, error) == ("done", "")
        assert deployment.query(runs, made["allocation"]) == [(1,)]
        placed = (
            "SELECT count(*) FROM breakouts_groupassignment a JOIN breakouts_allocationrun r ON a.run_id = r.id "
            "WHERE r.allocation_id = %s"
        )
        assert deployment.query(placed, made["allocation"]) == [(PEOPLE,)]
    finally:
        if worker.poll() is None:
            kill(worker)


ESTIMATION = """
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from target87.indicators import services
from target87.indicators.samples import example_survey_csv
user = get_user_model().objects.create_user("statistician", password="statistician-87", is_staff=True)
data = example_survey_csv(clusters_per_stratum=CLUSTERS, children_per_cluster=150)
estimation = services.estimation_upload(actor=user, upload=SimpleUploadedFile("survey.csv", data))
outcome = services.estimation_run(
    actor=user, estimation=estimation, mapping=estimation.mapping, definition="sdg-sna",
    options={"tables": ["sex", "age_group", "area", "sex,age_group"]}, background=True,
)
print(json.dumps({"job": str(outcome.job.pk), "estimation": estimation.pk}))
"""


def test_a_worker_killed_in_an_estimation_keeps_no_half_result_and_the_next_one_finishes_it(deployment):
    made = deployment.python(ESTIMATION.replace("CLUSTERS", "800"))  # 480,000 children
    state = "SELECT status, result FROM indicators_estimation WHERE id = %s"
    worker = deployment.worker()
    try:
        deployment.wait(made["job"], lambda s: s[0] == "running", 60)  # while it reads the file
        kill(worker)
        [(status, result)] = deployment.query(state, made["estimation"])
        assert (deployment.job(made["job"])[0], status) == ("running", "running")
        assert (json.loads(result) if isinstance(result, str) else result) == {}  # nothing half-stored

        time.sleep(2.5)  # the lease runs out
        worker = deployment.worker()
        status, _done, error = deployment.wait(made["job"], lambda s: s[0] in ("done", "failed"), 120)
        assert (status, error) == ("done", "")
        [(status, result)] = deployment.query(state, made["estimation"])
        result = json.loads(result) if isinstance(result, str) else result
        assert status == "done" and len(result["rows"]) > 10
    finally:
        if worker.poll() is None:
            kill(worker)
