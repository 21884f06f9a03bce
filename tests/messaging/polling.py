"""The poller run in a child process that a test may kill, and waiting for its lock."""

import os
import subprocess
import sys

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from relation_client.messaging.fetch import KILL_AFTER_VARIABLE, POLL_LOCK
from relation_client.messaging.models import Mailbox
from tests.support.worker import ROOT, session_database_url


def poll_in_child(mailbox: Mailbox, *, kill_after: int = 0, batch: int = 0):
    """`manage.py mailboxes_poll <name>` in a child process on the test database; with
    kill_after, it SIGKILLs itself right after its n-th commit."""
    env = dict(os.environ, DATABASE_URL=session_database_url(), REDIS_URL=settings.REDIS_URL)
    if kill_after:
        env[KILL_AFTER_VARIABLE] = str(kill_after)
    if batch:
        env["MAIL_POLL_BATCH"] = str(batch)
    return subprocess.run(
        [sys.executable, "manage.py", "mailboxes_poll", mailbox.name],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def wait_for_poll_lock_free(mailbox: Mailbox) -> None:
    """Block until no session holds the mailbox's poll lock (a killed poller's session
    ends when PostgreSQL notices its connection closed)."""
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with side.cursor() as cursor:
            cursor.execute("SET lock_timeout = '20s'")
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [POLL_LOCK, mailbox.pk])
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [POLL_LOCK, mailbox.pk])
    finally:
        side.close()
