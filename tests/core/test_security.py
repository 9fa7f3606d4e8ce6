import os
import subprocess
import sys

from django.contrib.auth import get_user_model


def test_sign_in_is_locked_after_repeated_failures(client, db):
    get_user_model().objects.create_user(username="ana", password="the-right-password-87")
    for _ in range(3):
        client.post("/accounts/login/", {"username": "ana", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "ana", "password": "the-right-password-87"})
    assert response.status_code == 429
    assert "this account is locked for 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_locked_account_does_not_lock_the_others_on_the_same_address(client, db):
    """Behind the TLS proxy everyone shares one address: five bad passwords for one account lock that account
    there, not every convener."""
    users = get_user_model().objects
    users.create_user(username="ana", password="the-right-password-87")
    users.create_user(username="ben", password="another-right-password-87")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "ana", "password": "wrong"})
    assert client.post("/accounts/login/", {"username": "ana", "password": "the-right-password-87"}).status_code == 429
    response = client.post("/accounts/login/", {"username": "ben", "password": "another-right-password-87"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(users.get(username="ben").pk)


def test_the_account_is_not_locked_from_another_address(client, db):
    get_user_model().objects.create_user(username="ana", password="the-right-password-87")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "ana", "password": "wrong"}, REMOTE_ADDR="203.0.113.9")
    response = client.post(
        "/accounts/login/", {"username": "ana", "password": "the-right-password-87"}, REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 302


def test_a_forwarded_address_is_believed_only_behind_a_declared_proxy(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.AXES_IPWARE_META_PRECEDENCE_ORDER[0], s.AXES_IPWARE_PROXY_COUNT)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("TRUSTED_PROXY_COUNT", "DATABASE_URL")}
    env.update(DJANGO_SETTINGS_MODULE="target87.settings", TARGET87_VAR=str(tmp_path))
    plain = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert plain.stdout.split() == ["REMOTE_ADDR", "None"]
    proxied = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "TRUSTED_PROXY_COUNT": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert proxied.stdout.split() == ["HTTP_X_FORWARDED_FOR", "1"]


def test_a_wrong_password_says_so(client, db):
    response = client.post("/accounts/login/", {"username": "nobody", "password": "x"})
    assert "Please enter a correct username and password." in response.content.decode()


def test_production_settings_pass_the_deployment_checks(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **env,
        "TARGET87_ENV": "production",
        "SECRET_KEY": "k" * 20 + "-production-secret-key-with-entropy-87a9f",
        "ALLOWED_HOSTS": "consult.example.org",
        "TARGET87_VAR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "target87.settings",
    }
    result = subprocess.run(
        [sys.executable, "-m", "target87", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_without_a_secret_key_stops_with_a_message(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(TARGET87_ENV="production", TARGET87_VAR=str(tmp_path), DJANGO_SETTINGS_MODULE="target87.settings")
    result = subprocess.run([sys.executable, "-m", "target87", "check"], env=env, capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr == "target87: Set SECRET_KEY in the environment: it is required when DEBUG is off.\n"


def test_the_development_secret_key_is_kept_under_var(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(TARGET87_VAR=str(tmp_path), DJANGO_SETTINGS_MODULE="target87.settings")
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    runs = [
        subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {code}"], env=env, capture_output=True, text=True
        )
        for _ in range(2)
    ]
    assert runs[0].stdout == runs[1].stdout and len(runs[0].stdout.strip()) > 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_the_default_sqlite_database_runs_in_wal_mode(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(TARGET87_VAR=str(tmp_path), DJANGO_SETTINGS_MODULE="target87.settings")
    code = (
        "import django; django.setup(); from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "wal", result.stderr
    assert (tmp_path / "target87.sqlite3").exists()
