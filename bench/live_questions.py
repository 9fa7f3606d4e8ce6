"""Benchmark: audience questions in a lunch talk, on the real server, on SQLite and on PostgreSQL.

For each database it migrates a fresh database and starts the server with the README's production settings as
they are (the same server, load client and CPU meter as ``bench/live_voting.py``, whose pieces it reuses). At
each size (100, 500, 1,000 participants by default) that many participants open their personal link to a lunch
talk's questions (20 questions already asked and shown), then each upvotes 10 of them in a random order, one
upvote every 1–3 seconds (2 s on average, as on a phone), withdraws two of those upvotes and upvotes one of them
again (an upvote is changeable); one participant in ten also asks a question of their own. Meanwhile the
projector polls its live fragment every second and a probe asks the trivial endpoint (``/ballots/ping/``) ten
times a second: its p95 is the delay any request meets at that load, the floor under the upvote's.

It reports the sustained upvotes per second (counted while every participant is upvoting, from the moment the
last one starts until the first one is done; "overall" divides by the whole run, ramp and stragglers included),
their latency percentiles (goal at 500 participants: ≥ 200 upvotes/s, p95 ≤ 150 ms), the ratio of the upvote's p95
to the trivial endpoint's, the projector's and the questions' latencies, and then counts the stored upvotes: every
participant must hold exactly the upvotes they left (zero lost, zero doubled, zero left over) and every question
asked must be stored once. It prints the largest size at which p95 stays within 150 ms; with ``--search`` (the
default) it then tries sizes between the largest that held and the smallest that did not, until they are within
10 % of each other.

    .venv/bin/python bench/live_questions.py                                   # 100, 500, 1000 (+ search), both
    .venv/bin/python bench/live_questions.py --sizes 500 --db sqlite --no-search  # quick

Needs ``gunicorn`` and ``aiohttp``, and for PostgreSQL a server where the URL's user may create the database
``target87_bench_live`` (``--pg-url``; it is dropped and made again).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from live_voting import BIN, ROOT, Client, Meter, Server, _cpu, _env, _percentiles, make_people

QUESTIONS = 20
UPVOTES = 10
WITHDRAWN = 2
P95_GOAL_MS = 150
RATE_GOAL = 200
PG_DATABASE = "target87_bench_live"


# --- the database side, in a child process with the server's settings ---------------------------------------


def _django(var: str, db: str) -> None:
    import os

    os.environ.update(TARGET87_VAR=var, DATABASE_URL=db, DJANGO_SETTINGS_MODULE="target87.settings")
    import django

    django.setup()


def _lunch_talk(consultation, convener, label: str, authors: list) -> dict:
    """A lunch talk taking questions without pre-moderation, with :data:`QUESTIONS` questions shown."""
    import datetime as dt

    from django.utils import timezone

    from target87.consultations.models import Session
    from target87.live import services

    start = timezone.now() - dt.timedelta(minutes=10)
    session = Session.objects.create(
        consultation=consultation,
        kind="lunch_talk",
        title=f"Lunch talk {label}",
        start=start,
        end=start + dt.timedelta(hours=1),
        deliberation_minutes=45,
    )
    services.session_live_update(actor=convener, session=session, questions_open=True, premoderated=False)
    services.clock_act(actor=convener, session=session, action="start")
    questions = [
        services.question_ask(
            participant=author, session=session, text=f"Question {n} about {label}?", language="en"
        ).pk
        for n, author in enumerate(authors[:QUESTIONS])
    ]
    return {"pk": session.pk, "questions": questions}


def setup_data(var: str, db: str, participants: int, sizes: list[int]) -> dict:
    _django(var, db)
    user, consultation, rows, tokens = make_people(participants)
    sessions = {
        str(size): _lunch_talk(consultation, user, str(size), rows[n * QUESTIONS :] + rows[: n * QUESTIONS])
        for n, size in enumerate(sizes)
    }
    return {"tokens": tokens, "participations": [p.pk for p in rows], "sessions": sessions}


def new_session(var: str, db: str, label: str) -> dict:
    _django(var, db)
    from django.contrib.auth import get_user_model

    from target87.consultations.models import Consultation
    from target87.people.models import Participation

    consultation = Consultation.objects.get(slug="bench")
    authors = list(Participation.objects.filter(consultation=consultation, role="participant").order_by("?"))
    return _lunch_talk(consultation, get_user_model().objects.get(username="bench-convener"), label, authors)


def count(var: str, db: str, session: int, expected: list, asked: int) -> dict:
    """Compare the stored upvotes with those each participant left, and the questions asked with those stored."""
    _django(var, db)
    from django.db.models import Count

    from target87.live.models import Question, Upvote

    rows = Upvote.objects.filter(question__session_id=session)
    stored = set(rows.values_list("participation_id", "question_id"))
    wanted = {tuple(pair) for pair in expected}
    doubled = sum(
        c - 1
        for c in rows.values("participation_id", "question_id").annotate(c=Count("id")).values_list("c", flat=True)
        if c > 1
    )
    new = Question.objects.filter(session_id=session, text__startswith="Asked by").count()
    return {
        "stored": rows.count(),
        "expected": len(wanted),
        "lost": len(wanted - stored),
        "extra": len(stored - wanted),
        "doubled": doubled,
        "asked": asked,
        "questions_stored": new,
    }


def _child(function: str, var: str, db: str, *args) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "_child", function],
        input=json.dumps([var, db, *args]),
        check=True,
        capture_output=True,
        text=True,
        env=_env(var, db),
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- the load ----------------------------------------------------------------------------------------------


async def _post(client: Client, path: str, data: dict, *, htmx: bool) -> tuple[int, str]:
    headers = {
        **client.headers,
        **client._cookie(),
        "X-CSRFToken": client.cookies.get("csrftoken", ""),
        "Referer": client.headers["Origin"] + path,
    }
    if htmx:
        headers["HX-Request"] = "true"
    async with client.session.post(client.base + path, data=data, headers=headers, allow_redirects=False) as response:
        return response.status, await response.text()


async def participants(base: str, tokens: list[str], pids: list[int], session: dict, seed: int, meter: Meter) -> dict:
    import aiohttp

    latencies: list[float] = []
    finished: list[float] = []  # when each upvote's answer came back
    active: list[tuple[float, float]] = []  # each participant's first upvote sent and last answer received
    asks: list[float] = []
    screen: list[float] = []
    probe: list[float] = []
    errors = 0
    asked = 0
    held: set[tuple[int, int]] = set()
    connector = aiohttp.TCPConnector(limit=len(tokens) + 10)
    async with aiohttp.ClientSession(
        connector=connector, cookie_jar=aiohttp.DummyCookieJar(), timeout=aiohttp.ClientTimeout(total=60)
    ) as http:
        clients = [Client(http, base) for _ in tokens]
        for start in range(0, len(clients), 100):  # open the links, 100 at a time (not measured)
            opened = await asyncio.gather(
                *[
                    c.get(f"/a/{tokens[start + n]}/live/{session['pk']}/")
                    for n, c in enumerate(clients[start : start + 100])
                ]
            )
            if any(status != 200 for status, _ in opened):
                raise SystemExit("a participant could not open the lunch talk's questions")
        done = asyncio.Event()

        async def projector() -> None:
            watcher = Client(http, base)
            while not done.is_set():
                started = time.perf_counter()
                await watcher.get(f"/live/sessions/{session['pk']}/screen/live/")
                screen.append(time.perf_counter() - started)
                await asyncio.sleep(1.0)

        async def prober() -> None:
            while not done.is_set():
                started = time.perf_counter()
                async with http.get(base + "/ballots/ping/", headers={"X-Forwarded-Proto": "https"}) as response:
                    await response.read()
                probe.append(time.perf_counter() - started)
                await asyncio.sleep(0.1)

        async def participant(n: int, client: Client, pid: int) -> None:
            nonlocal errors, asked
            rng = random.Random(seed * 100_003 + n)
            chosen = rng.sample(session["questions"], UPVOTES)
            steps = [(q, False) for q in chosen]
            withdrawn = rng.sample(chosen, WITHDRAWN)
            steps += [(q, True) for q in withdrawn] + [(withdrawn[0], False)]
            ask_at = rng.randrange(len(steps)) if n % 10 == 0 else -1
            await asyncio.sleep(rng.uniform(0, 2.0))
            first = time.perf_counter()
            for k, (question, withdraw) in enumerate(steps):
                if k == ask_at:
                    started = time.perf_counter()
                    status, _ = await _post(
                        client,
                        f"/live/sessions/{session['pk']}/ask/",
                        {"text": f"Asked by {pid}: what next?", "language": "en"},
                        htmx=False,
                    )
                    asks.append(time.perf_counter() - started)
                    asked += status == 303
                    errors += status != 303
                data = {"withdraw": "1"} if withdraw else {}
                started = time.perf_counter()
                try:
                    status, body = await _post(client, f"/live/questions/{question}/upvote/", data, htmx=True)
                except (TimeoutError, aiohttp.ClientError):
                    status, body = 0, ""
                latencies.append(time.perf_counter() - started)
                finished.append(time.perf_counter())
                pressed = 'aria-pressed="false"' if withdraw else 'aria-pressed="true"'
                if status == 200 and pressed in body:
                    (held.discard if withdraw else held.add)((pid, question))
                else:
                    errors += 1
                if k < len(steps) - 1:
                    await asyncio.sleep(rng.uniform(1.0, 3.0))
            active.append((first, time.perf_counter()))

        watching = [asyncio.create_task(projector()), asyncio.create_task(prober())]
        meter.start()
        started = time.perf_counter()
        await asyncio.gather(*[participant(n, c, pids[n]) for n, c in enumerate(clients)])
        elapsed = time.perf_counter() - started
        cpu = meter.stop()
        done.set()
        for task in watching:
            await task
    return {
        "upvotes": len(latencies),
        "overall": len(latencies) / elapsed,
        "rate": _sustained(finished, active),
        "errors": errors,
        "held": sorted(held),
        "asked": asked,
        "ask": _percentiles(asks),
        "screen": _percentiles(screen),
        "trivial": _percentiles(probe),
        "cpu": cpu,
        **_percentiles(latencies),
    }


def _sustained(finished: list[float], active: list[tuple[float, float]]) -> float:
    """Upvotes per second while every participant is upvoting: from the moment the last one started until the
    first one finished. The ramp at the start and the stragglers at the end, when fewer people are active, would
    otherwise pull the figure down whatever the server does."""
    start = max(first for first, _last in active)
    end = min(last for _first, last in active)
    if end - start < 5:  # too short a window to mean anything: the whole run instead
        start, end = min(first for first, _ in active), max(last for _, last in active)
    return sum(start <= t <= end for t in finished) / (end - start)


# --- the run ----------------------------------------------------------------------------------------------


def _database(kind: str, var: str, pg_url: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{var}/bench.sqlite3"
    import psycopg

    base = pg_url.rsplit("/", 1)[0]
    with psycopg.connect(base + "/target87", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
        connection.execute(f"CREATE DATABASE {PG_DATABASE}")
    return f"{base}/{PG_DATABASE}"


def _holds(figures: dict) -> bool:
    c = figures["count"]
    intact = c["lost"] == c["extra"] == c["doubled"] == 0 and c["asked"] == c["questions_stored"]
    return figures["p95"] <= P95_GOAL_MS and not figures["errors"] and intact


def run(kind: str, args) -> dict:
    var = tempfile.mkdtemp(prefix=f"target87-bench-live-{kind}-")
    try:
        db = _database(kind, var, args.pg_url)
        env = _env(var, db)
        for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run([str(BIN / "target87"), *command], check=True, env=env, cwd=ROOT)
        print(f"[{kind}] preparing {max(args.sizes)} participants, their links and the lunch talks…", flush=True)
        data = _child("setup_data", var, db, max(args.sizes), args.sizes)
        server = Server(var, db, args.workers, args.threads)
        meter = Meter(server.process.pid)
        report = {"sizes": {}, "shape": (server.workers, server.threads)}

        def measure(size: int, session: dict) -> None:
            print(f"[{kind}] {size} participants asking and upvoting…", flush=True)
            figures = asyncio.run(
                participants(server.url, data["tokens"][:size], data["participations"][:size], session, size, meter)
            )
            figures["count"] = _child("count", var, db, session["pk"], figures.pop("held"), figures["asked"])
            report["sizes"][size] = figures

        try:
            for size in args.sizes:
                measure(size, data["sessions"][str(size)])
            while args.search:
                held = [n for n, f in report["sizes"].items() if _holds(f)]
                failed = [n for n, f in report["sizes"].items() if not _holds(f)]
                low = max([n for n in held if not failed or n < min(failed)], default=0)
                high = min(failed, default=None)
                if high is None or low == 0 or high - low <= max(50, 0.1 * low) or high > max(args.sizes):
                    break
                size = int(round((low + high) / 2, -1))
                measure(size, _child("new_session", var, db, f"search {size}"))
        finally:
            server.stop()
        return report
    finally:
        shutil.rmtree(var, ignore_errors=True)


def show(kind: str, report: dict) -> None:
    workers, threads = report["shape"]
    print(f"\n== {kind}: gunicorn, {workers} workers × {threads} threads ==")
    print(
        f"{'participants':>12} {'upvotes':>7} {'up/s':>5} {'overall':>7} {'p50 ms':>6} {'p95 ms':>6} {'p99 ms':>6} {'errors':>6} "
        f"{'trivial p95':>11} {'p95 ratio':>9} {'screen p95':>10} {'ask p95':>7} {'stored':>6} {'expected':>8} "
        f"{'lost':>4} {'extra':>5} {'doubled':>7} {'asked':>5} {'q stored':>8}"
    )
    for size, f in sorted(report["sizes"].items()):
        c = f["count"]
        ratio = f["p95"] / f["trivial"]["p95"] if f["trivial"]["p95"] else float("nan")
        print(
            f"{size:>12} {f['upvotes']:>7} {f['rate']:>5.0f} {f['overall']:>7.0f} {f['p50']:>6.0f} {f['p95']:>6.0f} {f['p99']:>6.0f} "
            f"{f['errors']:>6} {f['trivial']['p95']:>11.0f} {ratio:>8.1f}× {f['screen']['p95']:>10.0f} "
            f"{f['ask']['p95']:>7.0f} {c['stored']:>6} {c['expected']:>8} {c['lost']:>4} {c['extra']:>5} "
            f"{c['doubled']:>7} {c['asked']:>5} {c['questions_stored']:>8}"
        )
        print(f"{'':>12} CPU: {_cpu(f['cpu'])}")
    if 500 in report["sizes"]:
        f = report["sizes"][500]
        met = f["rate"] >= RATE_GOAL and f["p95"] <= P95_GOAL_MS
        print(
            f"at 500 participants: {f['rate']:.0f} upvotes/s (goal ≥ {RATE_GOAL}), p95 {f['p95']:.0f} ms "
            f"(goal ≤ {P95_GOAL_MS}): {'met' if met else 'NOT met'}"
        )
    within = None
    for size, f in sorted(report["sizes"].items()):
        if not _holds(f):
            break
        within = size
    print(f"largest size within p95 ≤ {P95_GOAL_MS} ms (every smaller size tried too): {within or 'none tried'}")
    intact = all(_holds(f) or f["p95"] > P95_GOAL_MS for f in report["sizes"].values())
    print(f"stored upvotes and questions: {'each kept once, as left' if intact else 'LOST, DOUBLED OR LEFT OVER'}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        print(json.dumps(globals()[sys.argv[2]](*json.loads(sys.stdin.read()))))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500, 1000], help="numbers of participants")
    parser.add_argument("--no-search", dest="search", action="store_false", help="only the sizes given")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--pg-url", default=f"postgres://target87:target87@127.0.0.1:5432/{PG_DATABASE}")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: production's)")
    parser.add_argument("--threads", type=int, default=None, help="threads per worker (default: production's)")
    args = parser.parse_args()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    reports = {kind: run(kind, args) for kind in kinds}
    for kind, report in reports.items():
        show(kind, report)


if __name__ == "__main__":
    main()
