"""The real Celery worker of the tests, and the database URL of any process a test starts.

A test session creates its own database (TEST_DATABASE_NAME); settings.DATABASE_URL still
names the development one. A worker or a child process must use the former, whichever
server holds it: the machine's (``postgres://…:5432/postgres``) or the embedded one
(``postgres://postgres@/relation_client?host=…/.data/postgres``).
"""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def session_database_url() -> str:
    """settings.DATABASE_URL pointed at the database this test session created."""
    parts = urlsplit(settings.DATABASE_URL)
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


@pytest.fixture
def celery_worker_process(django_db_setup):
    """A real worker (solo pool) on the test database and the test Redis.

    It reads committed rows only: a test that hands it rows is transactional, and this
    fixture, set up after the test's database, stops the worker before the flush."""
    from relation_client.celery import app

    app.control.purge()  # tasks queued by earlier tests point at rows long gone
    env = dict(os.environ, DATABASE_URL=session_database_url(), REDIS_URL=settings.REDIS_URL)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "relation_client",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield worker
    worker.terminate()
    output, _ = worker.communicate(timeout=30)
    assert "Traceback" not in output, output
