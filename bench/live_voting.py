"""Benchmark: live voting in the plenary, on the real server, on SQLite and on PostgreSQL.

For each database it migrates a fresh database, starts the server with the README's production settings as
they are (``TARGET87_ENV=production``: gunicorn with ``target87.gunicorn_conf``, DEBUG off, persistent database
connections with health checks, prepared and combined vote statements on PostgreSQL), behind what it takes for a
TLS proxy (``X-Forwarded-Proto: https``), and drives it over loopback with an asynchronous client (aiohttp):

* capacity, in the same run: the trivial endpoint (``/ballots/ping/``: the full middleware stack, no database)
  and the vote endpoint, each driven flat out by the same number of concurrent clients, taking turns over five
  rounds; the median of the rounds' ratios is the share of the server's raw capacity that a vote keeps
  (goal ≥ 50 %);
* participants: at each size (100, 500, 2,000 by default) that many participants open their personal link,
  then vote agree / disagree / pass on every statement of a 30-statement ballot in a random order, one
  vote every 1–3 seconds (uniform; 2 s on average, as on a phone), then change three of their votes; while
  they vote, the projector polls the live fragment every second. It reports the sustained votes per second,
  the latency percentiles (goal at 500: ≥ 200 votes/s, p95 ≤ 150 ms), the projector's latency, and then
  counts the stored votes in the database: every participant must have exactly one vote per statement, with
  the value they sent last (zero lost, zero doubled, zero wrong).

It prints the figures, the ratios and the largest size at which p95 stays within 150 ms: with ``--search``
(the default) it then tries sizes between the largest that held and the smallest that did not, until they are
within 10 % of each other.

Since the load client runs on the same machine, every phase also says where the CPU went: the server (gunicorn
and its workers), the database server (PostgreSQL's processes), the load client itself, and the whole machine
(other work included), each in cores. While participants vote, a probe asks the trivial endpoint ten times a
second: its p95 is the delay any request meets at that load, the floor under the vote's.

    .venv/bin/python bench/live_voting.py                          # 100, 500, 1000, 2000 (+ search), both DBs
    .venv/bin/python bench/live_voting.py --sizes 100 --db sqlite --no-search  # quick
    .venv/bin/python bench/live_voting.py --sizes 100 250 500 1000 2000 --workers 3 --threads 4

Needs ``gunicorn`` and ``aiohttp`` in the environment, and for PostgreSQL a server where
``postgres://target87:target87@127.0.0.1:5432/`` may create the database ``target87_bench`` (``--pg-url``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
ITEMS = 30
CHANGES = 3
P95_GOAL_MS = 150
RATE_GOAL = 200
RATIO_GOAL = 0.5
GROUPS = [
    "government",
    "workers",
    "employers",
    "civil_society",
    "survivor_led",
    "un_international",
    "development_partner",
    "academia",
    "private_sector",
]


# --- the database side, run in a child process with the benchmark's settings -------------------------------


def _django(var: str, db: str) -> None:
    os.environ.update(TARGET87_VAR=var, DATABASE_URL=db, DJANGO_SETTINGS_MODULE="target87.settings")
    import django

    django.setup()


def make_people(participants: int):
    """The benchmark's consultation, its convener and ``participants`` approved participants across the
    stakeholder groups with their personal links: ``(convener, consultation, participations, tokens)``. Runs with
    Django set up (in a child process); shared with ``live_questions.py``."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from target87.consultations.models import Consultation
    from target87.people import services as people
    from target87.people.models import Organisation, Participation, Person

    with transaction.atomic():
        user = get_user_model().objects.create_user("bench-convener", password="bench-convener-password")
        consultation = Consultation.objects.create(
            slug="bench",
            title="Benchmark",
            convened_by="ILO",
            start_date="2016-09-14",
            end_date="2016-09-15",
            status="published",
        )
        Participation.objects.create(
            consultation=consultation,
            person=Person.objects.create(name="Convener", user=user),
            role="convener",
            status="approved",
        )
        organisations = [Organisation.objects.create(name=f"Organisation {g}", stakeholder_group=g) for g in GROUPS]
        persons = Person.objects.bulk_create(
            [
                Person(name=f"Participant {n}", organisation=organisations[n % len(organisations)])
                for n in range(participants)
            ]
        )
        rows = Participation.objects.bulk_create(
            [Participation(consultation=consultation, person=p, status="approved") for p in persons]
        )
    tokens = [people.access_link_issue(actor=user, participation=p) for p in rows]
    return user, consultation, rows, tokens


def setup_data(var: str, db: str, participants: int, sizes: list[int]) -> dict:
    """A consultation, ``participants`` approved participants across the stakeholder groups with their links,
    and one open 30-statement agree/disagree ballot per size (plus one for the capacity run)."""
    _django(var, db)
    from target87.priorities import services as priorities

    user, consultation, rows, tokens = make_people(participants)
    ballots = {}
    for size in ["capacity", *sizes]:
        ballot = priorities.ballot_create(
            actor=user,
            consultation=consultation,
            title=f"Ballot {size}",
            method="consensus",
            statements=[f"Statement {n}" for n in range(1, ITEMS + 1)],
        )
        priorities.ballot_open(actor=user, ballot=ballot)
        ballots[str(size)] = {
            "pk": ballot.pk,
            "items": list(ballot.items.order_by("position").values_list("pk", flat=True)),
        }
    return {"tokens": tokens, "participations": [p.pk for p in rows], "ballots": ballots}


def new_ballot(var: str, db: str, label: str) -> dict:
    """One more open 30-statement ballot (for a size tried while searching)."""
    _django(var, db)
    from django.contrib.auth import get_user_model

    from target87.consultations.models import Consultation
    from target87.priorities import services as priorities

    ballot = priorities.ballot_create(
        actor=get_user_model().objects.get(username="bench-convener"),
        consultation=Consultation.objects.get(slug="bench"),
        title=f"Ballot {label}",
        method="consensus",
        statements=[f"Statement {n}" for n in range(1, ITEMS + 1)],
    )
    priorities.ballot_open(actor=get_user_model().objects.get(username="bench-convener"), ballot=ballot)
    return {"pk": ballot.pk, "items": list(ballot.items.order_by("position").values_list("pk", flat=True))}


def count_votes(var: str, db: str, ballot: int, expected: dict) -> dict:
    """Compare the stored votes with the last value each participant sent for each statement."""
    _django(var, db)
    from django.db.models import Count

    from target87.priorities.models import Vote

    rows = list(Vote.objects.filter(ballot_id=ballot).values_list("participation_id", "item_id", "value"))
    stored = {f"{p}:{i}": v for p, i, v in rows}
    doubled = sum(
        c - 1
        for c in Vote.objects.filter(ballot_id=ballot)
        .values("participation_id", "item_id")
        .annotate(c=Count("id"))
        .values_list("c", flat=True)
        if c > 1
    )
    lost = sum(1 for key in expected if key not in stored)
    wrong = sum(1 for key, value in expected.items() if key in stored and stored[key] != value)
    extra = sum(1 for key in stored if key not in expected)
    return {
        "stored": len(rows),
        "expected": len(expected),
        "lost": lost,
        "doubled": doubled,
        "wrong": wrong,
        "extra": extra,
    }


# --- the server ------------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(var: str, db: str) -> dict:
    env = dict(os.environ)
    env.update(
        TARGET87_VAR=var,
        DATABASE_URL=db,
        TARGET87_ENV="production",  # the README's production settings, as they are
        SECRET_KEY="bench-" + "x" * 60,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="ERROR",
    )
    return env


def _child(function: str, var: str, db: str, *args) -> dict:
    """Run one of the database-side functions in a child process with the server's settings (its secret key
    signs the access links)."""
    out = subprocess.run(
        [sys.executable, __file__, "_child", function],
        input=json.dumps([var, db, *args]),
        check=True,
        capture_output=True,
        text=True,
        env=_env(var, db),
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


class Server:
    def __init__(self, var: str, db: str, workers: int | None, threads: int | None) -> None:
        # production's shape for this database, unless the command line says otherwise
        shape = subprocess.run(
            [sys.executable, "-c", "from target87 import gunicorn_conf as c; print(c.workers, c.threads)"],
            env=_env(var, db),
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        self.workers = workers or int(shape[0])
        self.threads = threads or int(shape[1])
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "-c",
                "python:target87.gunicorn_conf",  # as in production, with the benchmark's sizes
                "target87.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
            ],
            env=_env(var, db),
            cwd=ROOT,
            start_new_session=True,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            self.stop()
            raise SystemExit("the server did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


# --- where the CPU goes ------------------------------------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def _proc_cpu(match) -> dict[int, float]:
    """CPU seconds (user + system) of each process ``match(pid, name, pgrp)`` accepts, by pid."""
    seconds = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        if match(int(entry), name, int(fields[2])):
            seconds[int(entry)] = (int(fields[11]) + int(fields[12])) / TICK  # utime, stime
    return seconds


def _machine_cpu() -> float:
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / TICK  # all but idle and iowait


class Meter:
    """CPU used, in cores, between start and stop: server, database server, load client, whole machine."""

    def __init__(self, server_group: int) -> None:
        self.group = server_group

    def _sample(self) -> dict:
        return {
            "wall": time.perf_counter(),
            "server": _proc_cpu(lambda pid, name, group: group == self.group),
            "database": _proc_cpu(lambda pid, name, group: name.startswith("postgres")),
            "client": time.process_time(),
            "machine": _machine_cpu(),
        }

    def start(self) -> None:
        self.first = self._sample()

    def stop(self) -> dict:
        last = self._sample()
        wall = last["wall"] - self.first["wall"]
        used = {k: last[k] - self.first[k] for k in ("client", "machine")}
        for k in ("server", "database"):  # a process that ended in between (a PostgreSQL worker) drops out
            used[k] = sum(cpu - self.first[k].get(pid, 0.0) for pid, cpu in last[k].items())
        return {k: used[k] / wall for k in ("server", "database", "client", "machine")}


# --- the load ----------------------------------------------------------------------------------------------------


class Client:
    """One participant's browser: its cookies (kept by hand: they are Secure, and we speak plain HTTP behind a
    pretend TLS proxy) and its CSRF token. The load tool shares the machine with the server, so it does as
    little as it can per request: a vote's headers are put together once per change of cookies, and its body is
    encoded by hand (what a browser sends: ``application/x-www-form-urlencoded``)."""

    def __init__(self, session, base: str) -> None:
        self.session = session
        self.base = base
        self.cookies: dict[str, str] = {}
        self.headers = {"X-Forwarded-Proto": "https", "Origin": base.replace("http://", "https://")}
        self._posting: dict[str, dict] = {}

    def _keep(self, response) -> None:
        for header in response.headers.getall("Set-Cookie", []):
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
            self._posting.clear()

    def _cookie(self) -> dict:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}

    async def get(self, path: str) -> tuple[int, str]:
        async with self.session.get(
            self.base + path, headers={**self.headers, **self._cookie()}, allow_redirects=False
        ) as response:
            self._keep(response)
            body = await response.text()
            if response.status in (301, 302, 303):
                return await self.get(response.headers["Location"])
            return response.status, body

    async def post(self, path: str, data: dict) -> int:
        headers = self._posting.get(path)
        if headers is None:
            headers = self._posting[path] = {
                **self.headers,
                **self._cookie(),
                "X-CSRFToken": self.cookies.get("csrftoken", ""),
                "HX-Request": "true",
                "Referer": self.headers["Origin"] + path,
                "Content-Type": "application/x-www-form-urlencoded",
            }
        body = urllib.parse.urlencode(data).encode()
        async with self.session.post(self.base + path, data=body, headers=headers, allow_redirects=False) as response:
            await response.read()
            return response.status


def _percentiles(latencies: list[float]) -> dict:
    if not latencies:
        return {"p50": float("nan"), "p95": float("nan"), "p99": float("nan")}
    ordered = sorted(latencies)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    return {"p50": pick(0.50), "p95": pick(0.95), "p99": pick(0.99)}


async def _open(client: Client, token: str, ballot: int) -> None:
    status, _body = await client.get(f"/a/{token}/ballots/{ballot}/")
    if status != 200 or "csrftoken" not in client.cookies:
        raise SystemExit(f"a participant could not open the ballot (HTTP {status})")


async def capacity(
    base: str, tokens: list[str], ballot: dict, concurrency: int, requests: int, rounds: int, meter: Meter
) -> dict:
    """The trivial endpoint and the vote endpoint, each flat out with ``concurrency`` clients, taking turns over
    ``rounds`` rounds (so that a moment when the machine is busier weighs on both alike): each endpoint's rate over
    all its rounds, and the median of the rounds' ratios."""
    import aiohttp

    phases: dict[str, list[dict]] = {"trivial": [], "vote": []}
    latencies: dict[str, list[float]] = {"trivial": [], "vote": []}
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar()) as session:
        clients = [Client(session, base) for _ in range(concurrency)]
        await asyncio.gather(*[_open(c, tokens[n], ballot["pk"]) for n, c in enumerate(clients)])
        per_client = max(1, requests // rounds // concurrency)
        for round_ in range(rounds):
            for name in ("trivial", "vote"):
                errors = 0

                async def loop(n: int, client: Client, name=name, seen=latencies[name], round_=round_) -> None:
                    nonlocal errors
                    rng = random.Random(n * 1000 + round_)
                    for k in range(per_client):
                        started = time.perf_counter()
                        if name == "trivial":
                            async with session.get(base + "/ballots/ping/", headers=client.headers) as response:
                                await response.read()
                                ok = response.status == 200
                        else:
                            item = ballot["items"][(k + round_ * per_client) % len(ballot["items"])]
                            vote = {"item": item, "vote": rng.choice(["1", "-1", "0"])}
                            ok = await client.post(f"/ballots/{ballot['pk']}/vote/", vote) == 200
                        seen.append(time.perf_counter() - started)
                        errors += not ok

                meter.start()
                started = time.perf_counter()
                await asyncio.gather(*[loop(n, c) for n, c in enumerate(clients)])
                elapsed = time.perf_counter() - started
                phases[name].append(
                    {"requests": per_client * concurrency, "elapsed": elapsed, "errors": errors, "cpu": meter.stop()}
                )
    results = {}
    for name, runs in phases.items():
        elapsed = sum(r["elapsed"] for r in runs)
        results[name] = {
            "rate": sum(r["requests"] for r in runs) / elapsed,
            "errors": sum(r["errors"] for r in runs),
            "cpu": {k: sum(r["cpu"][k] * r["elapsed"] for r in runs) / elapsed for k in runs[0]["cpu"]},
            "rounds": [r["requests"] / r["elapsed"] for r in runs],
            **_percentiles(latencies[name]),
        }
    ratios = sorted(v / t for v, t in zip(results["vote"]["rounds"], results["trivial"]["rounds"]))
    results["ratio"] = statistics.median(ratios)
    results["ratios"] = ratios
    return results


async def participants(base: str, tokens: list[str], ballot: dict, seed: int, meter: Meter) -> dict:
    """``len(tokens)`` participants vote on every statement, one vote every 1–3 s, while the projector polls and
    a probe asks the trivial endpoint ten times a second."""
    import aiohttp

    connector = aiohttp.TCPConnector(limit=len(tokens) + 10)
    latencies: list[float] = []
    screen: list[float] = []
    probe: list[float] = []
    errors = 0
    expected: dict[str, int] = {}
    async with aiohttp.ClientSession(
        connector=connector, cookie_jar=aiohttp.DummyCookieJar(), timeout=aiohttp.ClientTimeout(total=60)
    ) as session:
        clients = [Client(session, base) for _ in tokens]
        for start in range(0, len(clients), 100):  # open the links, 100 at a time (not measured)
            await asyncio.gather(
                *[_open(c, tokens[start + n], ballot["pk"]) for n, c in enumerate(clients[start : start + 100])]
            )
        done = asyncio.Event()

        async def projector() -> None:
            watcher = Client(session, base)
            while not done.is_set():
                started = time.perf_counter()
                _status, _body = await watcher.get(f"/ballots/{ballot['pk']}/screen/live/")
                screen.append(time.perf_counter() - started)
                await asyncio.sleep(1.0)

        async def prober() -> None:
            while not done.is_set():
                started = time.perf_counter()
                async with session.get(base + "/ballots/ping/", headers={"X-Forwarded-Proto": "https"}) as response:
                    await response.read()
                probe.append(time.perf_counter() - started)
                await asyncio.sleep(0.1)

        async def participant(n: int, client: Client) -> None:
            nonlocal errors
            rng = random.Random(seed * 100_003 + n)
            order = list(ballot["items"])
            rng.shuffle(order)
            order += rng.sample(ballot["items"], CHANGES)  # second thoughts: these votes replace the first
            await asyncio.sleep(rng.uniform(0, 2.0))
            for item in order:
                value = rng.choice([1, -1, 0])
                started = time.perf_counter()
                try:
                    status = await client.post(f"/ballots/{ballot['pk']}/vote/", {"item": item, "vote": str(value)})
                except (TimeoutError, aiohttp.ClientError):
                    status = 0
                latencies.append(time.perf_counter() - started)
                if status == 200:
                    expected[f"{client.participation}:{item}"] = value
                else:
                    errors += 1
                await asyncio.sleep(rng.uniform(1.0, 3.0))

        for client, participation in zip(clients, ballot["participations"], strict=False):
            client.participation = participation
        watcher = asyncio.create_task(projector())
        probing = asyncio.create_task(prober())
        meter.start()
        started = time.perf_counter()
        await asyncio.gather(*[participant(n, c) for n, c in enumerate(clients)])
        elapsed = time.perf_counter() - started
        cpu = meter.stop()
        done.set()
        await watcher
        await probing
    return {
        "votes": len(latencies),
        "rate": len(latencies) / elapsed,
        "errors": errors,
        "expected": expected,
        "screen": _percentiles(screen),
        "trivial": _percentiles(probe),
        "cpu": cpu,
        **_percentiles(latencies),
    }


# --- the run ------------------------------------------------------------------------------------------------------


def _database(kind: str, var: str, pg_url: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{var}/bench.sqlite3"
    import psycopg

    with psycopg.connect(pg_url.rsplit("/", 1)[0] + "/target87", autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS target87_bench")
        connection.execute("CREATE DATABASE target87_bench")
    return pg_url


def run(kind: str, args) -> dict:
    var = tempfile.mkdtemp(prefix=f"target87-bench-{kind}-")
    try:
        db = _database(kind, var, args.pg_url)
        env = _env(var, db)
        for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run([str(BIN / "target87"), *command], check=True, env=env, cwd=ROOT)
        largest = max([*args.sizes, args.concurrency])
        print(f"[{kind}] preparing {largest} participants and their links…", flush=True)
        data = _child("setup_data", var, db, largest, args.sizes)
        server = Server(var, db, args.workers, args.threads)
        meter = Meter(server.process.pid)
        report = {"sizes": {}, "shape": (server.workers, server.threads)}
        try:
            ballot = dict(data["ballots"]["capacity"], participations=data["participations"])
            report["capacity"] = asyncio.run(
                capacity(server.url, data["tokens"], ballot, args.concurrency, args.requests, args.rounds, meter)
            )

            def measure(size: int, ballot: dict) -> dict:
                print(f"[{kind}] {size} participants voting…", flush=True)
                ballot = dict(ballot, participations=data["participations"][:size])
                figures = asyncio.run(participants(server.url, data["tokens"][:size], ballot, size, meter))
                figures["count"] = _child("count_votes", var, db, ballot["pk"], figures.pop("expected"))
                report["sizes"][size] = figures
                return figures

            for size in args.sizes:
                measure(size, data["ballots"][str(size)])
            while args.search:
                held = [n for n, f in report["sizes"].items() if _holds(f)]
                failed = [n for n, f in report["sizes"].items() if not _holds(f)]
                low = max([n for n in held if not failed or n < min(failed)], default=0)
                high = min(failed, default=None)
                if high is None or low == 0 or high - low <= max(50, 0.1 * low):
                    break
                size = int(round((low + high) / 2, -1))
                measure(size, _child("new_ballot", var, db, f"search {size}"))
        finally:
            server.stop()
        return report
    finally:
        shutil.rmtree(var, ignore_errors=True)


def _holds(figures: dict) -> bool:
    c = figures["count"]
    intact = c["lost"] == c["doubled"] == c["wrong"] == 0 and c["stored"] == c["expected"]
    return figures["p95"] <= P95_GOAL_MS and not figures["errors"] and intact


def _cpu(cpu: dict) -> str:
    return (
        f"server {cpu['server']:.2f}, database {cpu['database']:.2f}, load client {cpu['client']:.2f}, "
        f"whole machine {cpu['machine']:.2f} of {os.cpu_count()} cores"
    )


def show(kind: str, report: dict, args) -> None:
    cap = report["capacity"]
    ratio = cap["ratio"]
    workers, threads = report["shape"]
    print(f"\n== {kind}: gunicorn, {workers} workers × {threads} threads, on {os.cpu_count()} cores ==")
    print(
        f"capacity with {args.concurrency} clients flat out, the two endpoints taking turns over {args.rounds} rounds:"
    )
    for name, label in (("trivial", "trivial endpoint"), ("vote", "vote")):
        c = cap[name]
        print(
            f"  {label:<16} {c['rate']:>6.0f} req/s  p50 {c['p50']:.0f} ms, p95 {c['p95']:.0f} ms, "
            f"errors {c['errors']}; CPU: {_cpu(c['cpu'])}"
        )
    print(
        f"  vote / trivial throughput: {ratio:.1%}, the median of the rounds' "
        f"({', '.join(f'{r:.0%}' for r in cap['ratios'])})  (goal ≥ {RATIO_GOAL:.0%}: "
        f"{'met' if ratio >= RATIO_GOAL else 'NOT met'})"
    )
    print(
        f"{'participants':>12} {'votes':>6} {'votes/s':>7} {'p50 ms':>6} {'p95 ms':>6} {'p99 ms':>6} {'errors':>6} "
        f"{'trivial p95':>11} {'screen p95':>10} {'stored':>7} {'expected':>8} {'lost':>4} {'doubled':>7} {'wrong':>5} "
        f"{'CPU server':>10} {'database':>8} {'client':>6} {'machine':>7}"
    )
    for size, f in sorted(report["sizes"].items()):
        c, cpu = f["count"], f["cpu"]
        print(
            f"{size:>12} {f['votes']:>6} {f['rate']:>7.0f} {f['p50']:>6.0f} {f['p95']:>6.0f} {f['p99']:>6.0f} "
            f"{f['errors']:>6} {f['trivial']['p95']:>11.0f} {f['screen']['p95']:>10.0f} {c['stored']:>7} "
            f"{c['expected']:>8} {c['lost']:>4} {c['doubled']:>7} {c['wrong']:>5} "
            f"{cpu['server']:>10.2f} {cpu['database']:>8.2f} {cpu['client']:>6.2f} {cpu['machine']:>7.2f}"
        )
    print("  (votes/s sustained over the whole run; CPU in cores; trivial p95: the probe of the trivial endpoint)")
    if 500 in report["sizes"]:
        f = report["sizes"][500]
        met = f["rate"] >= RATE_GOAL and f["p95"] <= P95_GOAL_MS
        print(
            f"at 500 participants: {f['rate']:.0f} votes/s (goal ≥ {RATE_GOAL}), p95 {f['p95']:.0f} ms "
            f"(goal ≤ {P95_GOAL_MS}): {'met' if met else 'NOT met'}"
        )
    within = None
    for size, f in sorted(report["sizes"].items()):
        if not _holds(f):
            break
        within = size
    print(
        f"largest size with p95 ≤ {P95_GOAL_MS} ms (and every smaller size tried within it too): "
        f"{within if within else 'none of those tried'}"
    )
    intact = all(
        f["count"]["lost"] == f["count"]["doubled"] == f["count"]["wrong"] == 0
        and f["count"]["stored"] == f["count"]["expected"]
        for f in report["sizes"].values()
    )
    print(f"stored votes: {'every vote kept once, with its last value' if intact else 'VOTES LOST, DOUBLED OR WRONG'}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        result = globals()[sys.argv[2]](*json.loads(sys.stdin.read()))
        print(json.dumps(result))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500, 1000, 2000], help="numbers of participants")
    parser.add_argument(
        "--no-search", dest="search", action="store_false", help="only the sizes given, no search between them"
    )
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--pg-url", default="postgres://target87:target87@127.0.0.1:5432/target87_bench")
    parser.add_argument(
        "--workers", type=int, default=None, help="gunicorn worker processes (default: production's, one per core)"
    )
    parser.add_argument(
        "--threads", type=int, default=None, help="threads per worker (default: production's, see gunicorn_conf)"
    )
    parser.add_argument("--concurrency", type=int, default=32, help="clients in the capacity run")
    parser.add_argument("--requests", type=int, default=19200, help="requests per endpoint in the capacity run")
    parser.add_argument("--rounds", type=int, default=15, help="rounds in which the two endpoints take turns")
    args = parser.parse_args()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    reports = {kind: run(kind, args) for kind in kinds}
    for kind, report in reports.items():
        show(kind, report, args)


if __name__ == "__main__":
    main()
