"""Start-up errors are one clear line; production settings pass `check --deploy`."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **overrides: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(DATABASE_URL=settings.DATABASE_URL, REDIS_URL=settings.REDIS_URL)
    env.update(overrides)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_secret_key_stops_start_up_with_one_line():
    result = manage("check", DEBUG="false")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "SECRET_KEY is not set" in lines[0]


def test_unreachable_database_names_the_host_never_the_password():
    result = manage(
        "migrate",
        DEBUG="true",
        DATABASE_URL="postgres://relation:motdepasse-Sécret@127.0.0.1:1/relation",
    )
    assert result.returncode == 1
    assert "Cannot reach the PostgreSQL database 'relation' at 127.0.0.1:1" in result.stderr
    assert "motdepasse" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_an_error_the_server_answers_is_not_called_unreachable():
    from django.db import OperationalError, connection, transaction

    from relation_client.dbcheck import is_unreachable

    with (
        pytest.raises(OperationalError) as raised,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL statement_timeout = 10")
        cursor.execute("SELECT pg_sleep(1)")  # cancelled by the server: 57014
    assert not is_unreachable(raised.value)


def test_database_url_must_be_postgresql():
    result = manage("check", DEBUG="true", DATABASE_URL="sqlite:///relation.db")
    assert result.returncode != 0
    assert "DATABASE_URL must point to PostgreSQL" in result.stderr


# every integer and boolean variable settings.py reads, with junk it must refuse: read
# around the helpers, an integer would raise a traceback and a boolean pass silently
BAD_VALUES = {
    "DEBUG": "peut-être",
    "SECURE_SSL_REDIRECT": "oui",
    "BEHIND_TLS_PROXY": "2",
    "CONN_MAX_AGE": "abc",
    "DATABASE_POOL_SIZE": "dix",
    "SECURE_HSTS_SECONDS": "un an",
    "RETENTION_YEARS": "3.5",
    "LOGIN_MAX_FAILURES": "cinq",
    "LOGIN_MAX_FAILURES_PER_ADDRESS": "cinquante",
    "LOGIN_WINDOW_SECONDS": "15 min",
    "TRUSTED_PROXY_COUNT": "un",
    "SESSION_IDLE_MINUTES": "2h",
    "SESSION_MAX_HOURS": "douze",
    "SESSION_WARNING_SECONDS": "5 min",
    "WEBHOOK_MAX_ATTEMPTS": "32x",
    "WEBHOOK_TIMEOUT_SECONDS": "5s",
    "WEBHOOK_LOG_DAYS": "trente",
    "RUN_LEASE_SECONDS": "90s",
    "QUALITY_SAMPLE_SIZE": "dix",
    "READ_VOLUME_ALERT": "trois mille",
    "EMAIL_TIMEOUT_SECONDS": "20s",
    "OUTBOX_MAX_ATTEMPTS": "douze",
    "SMS_GATEWAY_TIMEOUT_SECONDS": "dix",
    "CONTACT_FORM_MAX_PER_HOUR": "cinq",
    "MAIL_ATTACHMENT_MAX_BYTES": "10 Mo",
    "MAIL_POLL_BATCH": "vingt",
    "MAIL_POLL_BATCH_BYTES": "32M",
    "STAFF_CACHE_SECONDS": "5 min",
    "DASHBOARD_CACHE_SECONDS": "six heures",
    "NETWORK_ALERTS_TIMEOUT_SECONDS": "10s",
    "NETWORK_HELD_OUT_PERCENT": "10 %",
    "NETWORK_COMPLAINT_WINDOW_HOURS": "un jour",
    "NETWORK_SOCIAL_ALERT_COMPLAINTS": "cinq",
    "NETWORK_SOCIAL_ALERT_WINDOW_MINUTES": "2h",
}


@pytest.mark.parametrize(("variable", "value"), sorted(BAD_VALUES.items()))
def test_a_bad_integer_or_boolean_stops_start_up_with_one_line_naming_it(variable, value):
    result = manage("check", **{"DEBUG": "true", variable: value})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Configuration error: {variable} must be "), lines[0]
    assert repr(value) in lines[0]


def test_every_integer_and_boolean_variable_is_in_the_list_above():
    tree = ast.parse((ROOT / "relation_client" / "settings.py").read_text())
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    helpers = {"env_int", "env_bool"}
    read = {
        call.args[0].value
        for call in calls
        if isinstance(call.func, ast.Name) and call.func.id in helpers
    }
    assert read == set(BAD_VALUES)
    # env.int(), env.bool(), env.float() would read a variable around the helpers
    around = [
        ast.unparse(call)
        for call in calls
        if isinstance(call.func, ast.Attribute) and call.func.attr in {"int", "bool", "float"}
    ]
    assert around == []


def test_an_integer_below_its_minimum_is_refused():
    result = manage("check", DEBUG="true", LOGIN_MAX_FAILURES="0")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Configuration error: LOGIN_MAX_FAILURES must be at least 1, not 0."
    )


def test_bad_debug_value_is_explained():
    result = manage("check", DEBUG="peut-être")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


@pytest.mark.parametrize("debug", ["false"])
def test_production_settings_pass_check_deploy(debug):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG=debug,
        SECRET_KEY="x7#Kq9!vLz2@Wm4$Np8^Rt6&Yb1*Hc3(Jd5)Fg0-Se7+Ua2=Xo9",
        ALLOWED_HOSTS="relation.exemple.fr",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_time_is_stored_in_utc_and_read_in_paris():
    assert settings.USE_TZ is True
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.LANGUAGE_CODE == "fr"
