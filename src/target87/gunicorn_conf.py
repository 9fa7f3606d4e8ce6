"""How the web server runs in production: ``gunicorn -c python:target87.gunicorn_conf target87.wsgi``.

One worker process per core. Threads overlap while a request waits for the database: on SQLite two per worker
(more only contend for the interpreter and the write lock); on PostgreSQL eight, because the statement votes that
wait together are written as one statement (``target87.priorities.services.writes``), so more threads make fewer round
trips. Measured with ``bench/live_voting.py --threads``: on PostgreSQL 2 → 41 %, 4 → 44 %, 8 → 51 % of the
trivial endpoint's throughput; on SQLite 48 % with 2 or 8, with a lower p95 at 2.
Each worker listens on its own socket (``SO_REUSEPORT``) so that the kernel spreads the connections evenly: with
one shared socket, the first worker to wake accepts most of the kept-alive connections of a plenary that opens
its voting pages at once, and works alone while the others idle. Every value can be set from the environment.
"""

import os

bind = os.environ.get("BIND", f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 1))
worker_class = "gthread"
_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
threads = int(os.environ.get("WEB_THREADS", "8" if _postgres else "2"))
reuse_port = True
# phones keep their connection between votes; a plenary of thousands stays within these
keepalive = int(os.environ.get("WEB_KEEPALIVE", "75"))
worker_connections = 4096
backlog = 4096
# behind the TLS proxy, trust its X-Forwarded-* headers (the proxy runs on the same host by default)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("ACCESS_LOG") or None
loglevel = os.environ.get("LOG_LEVEL", "warning").lower()
