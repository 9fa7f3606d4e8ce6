"""Two servers, one database: how the product grows past one machine (more application servers behind a
balancer, one PostgreSQL, one Redis for the cache and the job queue).

Two gunicorn instances in the README's production settings, on two ports, share a PostgreSQL database and a Redis
server. Participants open their link on one and vote on both, every vote going to the server the balancer happens
to pick; a proposal made and accepted on one is voted on the other; the projector is read on both. What must hold:
no vote lost, doubled or wrong; the accepted statement votable on the other server within a second; both
projectors showing the same counts.

It runs on PostgreSQL (the suite's ``DATABASE_URL``) with Debian's ``redis-server`` and the ``redis`` extra, as CI
installs them; elsewhere it is skipped, saying why.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from processes import Browser, free_port

ROOT = Path(__file__).resolve().parents[2]
PARTICIPANTS = 16
DATABASE = "target87_two_servers"

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="two servers share one PostgreSQL database: run the suite with DATABASE_URL=postgres://…",
    ),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs Debian's redis-server"),
    pytest.mark.skipif(
        importlib.util.find_spec("redis") is None, reason='needs the redis extra: pip install -e ".[redis]"'
    ),
    pytest.mark.skipif(importlib.util.find_spec("gunicorn") is None, reason="needs gunicorn"),
]


def _bench():
    """The live-voting benchmark's server and database helpers, shared rather than copied."""
    spec = importlib.util.spec_from_file_location("live_voting", ROOT / "bench" / "live_voting.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    import psycopg

    bench = _bench()
    server_url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    admin = urllib.parse.urlunsplit(server_url._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    db = urllib.parse.urlunsplit(server_url._replace(path=f"/{DATABASE}"))
    var = str(tmp_path_factory.mktemp("two-servers"))
    redis_port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(redis_port), "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL
    )
    # the servers' environment is built from ours: the product's settings (not the suite's), with Redis
    overrides = {"REDIS_URL": f"redis://127.0.0.1:{redis_port}/0", "DJANGO_SETTINGS_MODULE": "target87.settings"}
    saved = {name: os.environ.get(name) for name in overrides}
    os.environ.update(overrides)
    servers = []
    try:
        for command in (["migrate", "--no-input", "-v", "0"], ["collectstatic", "--no-input", "-v", "0"]):
            target87 = str(Path(sys.executable).with_name("target87"))
            subprocess.run([target87, *command], env=bench._env(var, db), check=True, cwd=ROOT)
        data = bench._child("setup_data", var, db, PARTICIPANTS, [])
        ballot = data["ballots"]["capacity"]
        _sql({"db": db}, "UPDATE priorities_ballot SET takes_proposals = true WHERE id = %s", ballot["pk"])
        servers = [bench.Server(var, db, workers=1, threads=4) for _ in range(2)]
        yield {"bench": bench, "var": var, "db": db, "servers": [s.url for s in servers], **data, "ballot": ballot}
    finally:
        for server in servers:
            server.stop()
        redis.terminate()
        redis.wait(timeout=10)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _sql(cluster, query: str, *params):
    """One query on the servers' database, straight (a Django start would take longer than what is measured)."""
    import psycopg

    with psycopg.connect(cluster["db"], autocommit=True) as connection:
        cursor = connection.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def test_votes_spread_over_two_servers_are_none_lost_doubled_or_wrong(cluster):
    a, b = cluster["servers"]
    ballot = cluster["ballot"]
    browsers = [Browser() for _ in cluster["tokens"]]
    for n, (browser, token) in enumerate(zip(browsers, cluster["tokens"], strict=True)):
        status, _page = browser.request((a, b)[n % 2], f"/a/{token}/ballots/{ballot['pk']}/")
        assert status == 200 and "target87_pass" in browser.cookies

    def vote_all(n: int) -> dict[str, int]:
        browser, participation = browsers[n], cluster["participations"][n]
        sent = {}
        order = list(ballot["items"]) + list(ballot["items"][n % 5 :: 7])  # then second thoughts on a few
        for k, item in enumerate(order):
            value = (1, -1, 0)[(n + k) % 3]
            status, _ = browser.request(
                (a, b)[(n + k) % 2], f"/ballots/{ballot['pk']}/vote/", {"item": item, "vote": value}, htmx=True
            )
            assert status == 200, (n, item, status)
            sent[f"{participation}:{item}"] = value
        return sent

    expected: dict[str, int] = {}
    with ThreadPoolExecutor(max_workers=12) as pool:
        for sent in pool.map(vote_all, range(len(browsers))):
            expected.update(sent)
    counts = cluster["bench"]._child("count_votes", cluster["var"], cluster["db"], ballot["pk"], expected)
    assert counts["expected"] == PARTICIPANTS * len(ballot["items"])
    assert (counts["lost"], counts["doubled"], counts["wrong"], counts["extra"]) == (0, 0, 0, 0), counts

    time.sleep(1.5)  # what each server keeps of a ballot lasts a second
    screens = [Browser().request(base, f"/ballots/{ballot['pk']}/screen/live/")[1] for base in (a, b)]
    figures = [re.findall(r"data-(participants|votes|statements)>(\d+)<", screen) for screen in screens]
    assert figures[0] == figures[1]
    assert dict(figures[0])["votes"] == str(counts["stored"]) and dict(figures[0])["participants"] == str(PARTICIPANTS)


def test_a_statement_accepted_on_one_server_is_votable_on_the_other_within_a_second(cluster):
    a, b = cluster["servers"]
    ballot = cluster["ballot"]
    proposer, voter, convener = Browser(), Browser(), Browser()
    proposer.request(a, f"/a/{cluster['tokens'][0]}/ballots/{ballot['pk']}/")
    voter.request(b, f"/a/{cluster['tokens'][1]}/ballots/{ballot['pk']}/")
    text = "Labour inspectors visit fishing vessels at sea, not only in port."
    status, _ = proposer.request(a, f"/ballots/{ballot['pk']}/propose/", {"text": text}, htmx=True)
    assert status == 200
    [(proposal,)] = _sql(cluster, "SELECT id FROM priorities_statementproposal WHERE text = %s", text)

    convener.request(a, "/accounts/login/")
    status, _ = convener.request(
        a, "/accounts/login/", {"username": "bench-convener", "password": "bench-convener-password"}
    )
    assert status == 302
    status, _ = convener.request(a, f"/manage/bench/ballots/{ballot['pk']}/proposals/{proposal}/", {"action": "accept"})
    assert status in (200, 302, 303)
    accepted = time.monotonic()
    [(item,)] = _sql(
        cluster,
        "SELECT id FROM priorities_ballotitem WHERE ballot_id = %s AND (text = %s OR label = %s)",
        ballot["pk"],
        text,
        text,
    )
    while True:
        status, _ = voter.request(b, f"/ballots/{ballot['pk']}/vote/", {"item": item, "vote": 1}, htmx=True)
        waited = time.monotonic() - accepted
        if status == 200 or waited > 5:
            break
        time.sleep(0.05)
    assert status == 200
    assert waited <= 1.0, f"votable on the other server after {waited:.2f} s"
    mine = "SELECT value FROM priorities_vote WHERE item_id = %s AND participation_id = %s"
    assert _sql(cluster, mine, item, cluster["participations"][1]) == [(1,)]
