"""Redis is an optional extra: needed, and asked for by name, only when REDIS_URL is set."""

import os
import runpy
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

import target87.settings

INSTALL = 'pip install -e ".[redis]"'


def settings_with(monkeypatch, tmp_path, redis_url: str | None) -> dict:
    """The project's settings as read afresh from this environment."""
    monkeypatch.setenv("TARGET87_VAR", str(tmp_path))
    if redis_url is None:
        monkeypatch.delenv("REDIS_URL", raising=False)
    else:
        monkeypatch.setenv("REDIS_URL", redis_url)
    return runpy.run_path(target87.settings.__file__)


def test_redis_url_without_the_package_names_the_extra_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "redis", None)  # as if the package were not installed
    with pytest.raises(
        ImproperlyConfigured, match=r"REDIS_URL is set, but the redis package is not installed"
    ) as error:
        settings_with(monkeypatch, tmp_path, "redis://localhost:6379/0")
    assert INSTALL in str(error.value)


def test_without_redis_url_the_package_is_not_needed(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "redis", None)
    settings = settings_with(monkeypatch, tmp_path, None)
    assert settings["HUEY"]["huey_class"] == "huey.SqliteHuey"
    assert settings["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"


def test_redis_url_with_the_package_puts_jobs_and_cache_on_redis(monkeypatch, tmp_path):
    pytest.importorskip("redis")
    settings = settings_with(monkeypatch, tmp_path, "redis://localhost:6379/0")
    assert (settings["HUEY"]["huey_class"], settings["HUEY"]["url"]) == ("huey.RedisHuey", "redis://localhost:6379/0")
    assert settings["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://localhost:6379/0",
    }


def test_the_command_stops_with_the_message_and_no_traceback(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(REDIS_URL="redis://localhost:6379/0", TARGET87_VAR=str(tmp_path))
    program = (
        "import sys\n"
        "sys.modules['redis'] = None\n"  # as if the package were not installed
        "from target87.__main__ import main\n"
        "sys.exit(main(['target87', 'check']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        'target87: REDIS_URL is set, but the redis package is not installed: install it with pip install -e ".[redis]" '
        "(or unset REDIS_URL to keep the job queue and the cache on this machine)."
    )
