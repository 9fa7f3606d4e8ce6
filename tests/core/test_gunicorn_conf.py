"""The production server configuration is one gunicorn accepts, with the shape the README promises."""

import importlib
import types

from gunicorn.config import Config


def _load(monkeypatch, **env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    module = importlib.reload(importlib.import_module("target87.gunicorn_conf"))
    config = Config()
    for name, value in vars(module).items():
        if not name.startswith("_") and not isinstance(value, types.ModuleType):
            config.set(name, value)  # an unknown setting raises here
    return config


def test_one_worker_per_core_each_on_its_own_socket(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)  # SQLite
    config = _load(monkeypatch)
    assert config.worker_class_str == "gthread" and config.threads == 2
    assert config.reuse_port, "without SO_REUSEPORT one worker takes most kept-alive connections"
    assert config.address == [("127.0.0.1", 8000)]


def test_the_environment_changes_the_shape(monkeypatch):
    config = _load(monkeypatch, WEB_CONCURRENCY="3", WEB_THREADS="2", PORT="9000", HOST="0.0.0.0")
    assert (config.workers, config.threads, config.address) == (3, 2, [("0.0.0.0", 9000)])


def test_on_postgresql_eight_threads_a_worker_so_that_votes_waiting_together_share_a_statement(monkeypatch):
    monkeypatch.delenv("WEB_THREADS", raising=False)
    config = _load(monkeypatch, DATABASE_URL="postgres://target87@db/target87")
    assert config.threads == 8
