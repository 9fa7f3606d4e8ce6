"""A participant import survives ``kill -9`` of the process doing it, with real processes.

The web server (gunicorn, as in production) is killed while it creates the people of a confirmed import, and the
worker while it checks a long list in the background. After a restart the database holds all of an import or
none of it, the batch can still be confirmed, and the check is run again to its end.
"""

from __future__ import annotations

import json
import threading
import time

import pytest
from processes import A_CONSULTATION, Browser, Deployment, kill

DATABASE = "target87_kill_import"
PEOPLE = 3000

SETUP = (
    A_CONSULTATION
    + """
from target87.people import imports
groups = ["government", "workers", "employers", "civil_society", "survivor_led", "un_international"]
rows = [
    {"name": f"Person {n}", "email": f"person{n}@example.org", "organisation": f"Organisation {n % 300}",
     "stakeholder_group": groups[n % 6], "country": ["THA", "KHM", "LAO"][n % 3]}
    for n in range(PEOPLE)
]
started = imports.import_start(actor=user, consultation=consultation, filename="people.csv", rows=rows)
print(json.dumps({"batch": started.batch.pk, "job": str(started.job.pk)}))
"""
)

PARTICIPANTS = "SELECT count(*) FROM people_participation"
BATCH = "SELECT status, rows FROM people_participantimport WHERE id = %s"


@pytest.fixture
def deployment(tmp_path):
    return Deployment(tmp_path, DATABASE)


def _batch(deployment, pk: int) -> tuple[str, int]:
    [(status, rows)] = deployment.query(BATCH, pk)
    return status, len(rows if isinstance(rows, list) else json.loads(rows))


def test_a_worker_killed_while_checking_a_long_list_leaves_it_unconfirmable_until_the_next_one_checks_it(deployment):
    made = deployment.python(SETUP.replace("PEOPLE", str(PEOPLE)))
    worker = deployment.worker()
    try:
        status = deployment.wait(made["job"], lambda s: s[0] != "queued", 60, every=0.01)[0]
        kill(worker)
        if deployment.job(made["job"])[0] == "done":
            pytest.skip("the check ended before the worker could be killed; nothing was interrupted")
        assert status == "running"
        assert _batch(deployment, made["batch"]) == ("checking", 0)  # nothing half-stored
        assert deployment.query(PARTICIPANTS) == [(1,)]

        time.sleep(2.5)  # the lease runs out
        worker = deployment.worker()
        status, _done, error = deployment.wait(made["job"], lambda s: s[0] in ("done", "failed"), 90)
        assert (status, error) == ("done", "")
        assert _batch(deployment, made["batch"]) == ("preview", PEOPLE)
        assert deployment.query(PARTICIPANTS) == [(1,)]  # checked, not imported: that waits for the convener
    finally:
        if worker.poll() is None:
            kill(worker)


def _signed_in(base: str) -> Browser:
    convener = Browser()
    convener.request(base, "/accounts/login/")
    status, page = convener.request(
        base, "/accounts/login/", {"username": "convener", "password": "convener-password-87"}
    )
    assert status == 302, page[:3000]
    return convener


def test_the_web_server_killed_while_creating_the_people_of_an_import_leaves_none_and_it_can_be_confirmed_again(
    deployment,
):
    made = deployment.python(SETUP.replace("PEOPLE", str(PEOPLE)))
    worker = deployment.worker()  # the check, as in production
    deployment.wait(made["job"], lambda s: s[0] == "done", 90)
    kill(worker)
    assert _batch(deployment, made["batch"]) == ("preview", PEOPLE)
    preview = f"/manage/kill/participants/import/{made['batch']}/"

    server, base = deployment.server()
    try:
        convener = _signed_in(base)
        status, page = convener.request(base, preview)
        assert status == 200 and "person2999@example.org" in page
        answer: list = []
        confirming = threading.Thread(
            target=lambda: answer.append(_post_or_none(convener, base, preview, {"action": "confirm"})), daemon=True
        )
        confirming.start()
        deadline = time.monotonic() + 30
        while not deployment.writing():  # wait until the server is inside the import's transaction
            assert time.monotonic() < deadline, "the confirmation never started writing"
            time.sleep(0.005)
        kill(server)
        confirming.join(timeout=10)
        assert answer == [None]  # the convener's browser got no answer: the server died in the middle
        assert deployment.query(PARTICIPANTS) == [(1,)]  # all or nothing: nothing
        assert _batch(deployment, made["batch"])[0] == "preview"

        server, base = deployment.server()
        convener = _signed_in(base)
        status, _ = convener.request(base, preview, {"action": "confirm"})
        assert status == 302
        assert deployment.query(PARTICIPANTS) == [(PEOPLE + 1,)]
        assert _batch(deployment, made["batch"])[0] == "confirmed"
    finally:
        if server.poll() is None:
            kill(server)


def _post_or_none(browser: Browser, base: str, path: str, data: dict):
    try:
        return browser.request(base, path, data)
    except OSError:  # connection reset or closed: no answer
        return None
