"""Real processes of the product for the fault tests: a scratch deployment (database, queue, settings), its
worker and its web server, and a browser that keeps its cookies by hand.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET87 = str(Path(sys.executable).with_name("target87"))

#: code for :meth:`Deployment.python` that makes the consultation "kill" and its convener (``user``)
A_CONSULTATION = """
from django.contrib.auth import get_user_model
from target87.consultations.models import Consultation
from target87.people.models import Participation, Person
user = get_user_model().objects.create_user("convener", password="convener-password-87")
consultation = Consultation.objects.create(
    slug="kill", title="Kill", convened_by="ILO", start_date="2016-09-14", end_date="2016-09-15",
    time_zone="Asia/Bangkok", status="published",
)
Participation.objects.create(
    consultation=consultation, person=Person.objects.create(name="Convener", user=user), role="convener",
    status="approved",
)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """A participant's (or the convener's) browser: its cookies, kept by hand (they are Secure, and the servers
    are spoken to in plain HTTP as behind a TLS proxy), sent to whichever server is asked."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def _headers(self, base: str, path: str) -> dict:
        headers = {"X-Forwarded-Proto": "https", "Origin": base.replace("http://", "https://")}
        headers["Referer"] = headers["Origin"] + path
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        return headers

    def request(self, base: str, path: str, data: dict | None = None, htmx: bool = False) -> tuple[int, str]:
        headers = self._headers(base, path)
        if htmx:
            headers["HX-Request"] = "true"
        body = None
        if data is not None:
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(base + path, data=body, headers=headers)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        text = response.read().decode("utf-8", "replace")
        if response.status in (301, 302, 303) and data is None:
            return self.request(base, response.headers["Location"])
        return response.status, text


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Deployment:
    """A database, a queue and the environment of the product's processes, in a scratch folder."""

    def __init__(self, var: Path, database: str) -> None:
        self.var = var
        suite_db = os.environ.get("DATABASE_URL", "")
        if suite_db.startswith("postgres"):
            import psycopg

            parts = urllib.parse.urlsplit(suite_db)
            with psycopg.connect(urllib.parse.urlunsplit(parts._replace(path="/postgres")), autocommit=True) as c:
                c.execute(f"DROP DATABASE IF EXISTS {database}")
                c.execute(f"CREATE DATABASE {database}")
            self.db = urllib.parse.urlunsplit(parts._replace(path=f"/{database}"))
        else:
            self.db = f"sqlite:///{var}/db.sqlite3"
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "HUEY_IMMEDIATE")},
            "DJANGO_SETTINGS_MODULE": "target87.settings",
            "TARGET87_VAR": str(var),
            "DATABASE_URL": self.db,
            "JOB_LEASE_SECONDS": "2",
            "JOB_WORKERS": "1",
            "LOG_LEVEL": "CRITICAL",
        }
        subprocess.run([TARGET87, "migrate", "--no-input", "-v", "0"], env=self.env, check=True, cwd=ROOT)

    def python(self, code: str) -> dict:
        """Run ``code`` with Django set up in the deployment's settings; it prints one JSON line."""
        prelude = "import django, json; django.setup()\n"
        done = subprocess.run(
            [sys.executable, "-c", prelude + code], env=self.env, check=True, capture_output=True, text=True, cwd=ROOT
        )
        return json.loads(done.stdout.strip().splitlines()[-1])

    def query(self, sql: str, *params):
        if self.db.startswith("sqlite"):
            with sqlite3.connect(self.db.removeprefix("sqlite:///")) as connection:
                return connection.execute(sql.replace("%s", "?"), params).fetchall()
        import psycopg

        with psycopg.connect(self.db, autocommit=True) as connection:
            return connection.execute(sql, params).fetchall()

    def worker(self) -> subprocess.Popen:
        return subprocess.Popen(
            [TARGET87, "run_huey", "--quiet"],
            env=self.env,
            cwd=ROOT,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def server(self) -> tuple[subprocess.Popen, str]:
        """The web server as the README runs it in production (gunicorn, its configuration), on a free port."""
        port = free_port()
        env = {
            **self.env,
            "TARGET87_ENV": "production",
            "SECRET_KEY": "faults-" + "x" * 60,
            "ALLOWED_HOSTS": "127.0.0.1",
            "WEB_CONCURRENCY": "1",
        }
        if not (self.var / "static" / "staticfiles.json").exists():  # production serves the hashed files
            subprocess.run([TARGET87, "collectstatic", "--no-input", "-v", "0"], env=env, check=True, cwd=ROOT)
        process = subprocess.Popen(
            [str(Path(TARGET87).with_name("gunicorn")), "-c", "python:target87.gunicorn_conf", "target87.wsgi"],
            env={**env, "BIND": f"127.0.0.1:{port}"},
            cwd=ROOT,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    return process, f"http://127.0.0.1:{port}"
            except OSError:
                time.sleep(0.2)
        kill(process)
        raise AssertionError("the web server did not start")

    def writing(self) -> bool:
        """Whether some process holds a write transaction open on the database at this moment."""
        if self.db.startswith("sqlite"):
            connection = sqlite3.connect(self.db.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
            try:
                connection.execute("BEGIN IMMEDIATE")
                connection.execute("ROLLBACK")
                return False
            except sqlite3.OperationalError:  # "database is locked": a writer is in the middle of its transaction
                return True
            finally:
                connection.close()
        open_ = (
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_xid IS NOT NULL"
        )
        return self.query(open_)[0][0] > 0

    def job(self, job_id: str) -> tuple[str, int, str]:
        if self.db.startswith("sqlite"):
            job_id = job_id.replace("-", "")  # Django keeps a UUID as 32 hexadecimal digits on SQLite
        [(status, done, error)] = self.query("SELECT status, done, error FROM jobs_job WHERE id = %s", job_id)
        return status, done, error

    def wait(self, job_id: str, until, seconds: float, every: float = 0.2) -> tuple[str, int, str]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            state = self.job(job_id)
            if until(state):
                return state
            time.sleep(every)
        raise AssertionError(f"job {job_id} stayed {self.job(job_id)}")


def kill(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
