"""With DATABASE_REPLICA_URL set, the dashboards' snapshot reads go to the replica and
everything else to the primary (checked in a child process: settings are read once)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import router

from reconquete.models import ReconquestSnapshot
from relation_client.customers.models import Customer
from tests.support.worker import session_database_url

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import json
import django
django.setup()
from django.db import connections, router
from django.test.utils import CaptureQueriesContext
from reconquete.models import ReconquestSnapshot
from reconquete.selectors.dashboard import latest_period
from relation_client.customers.models import Customer
from satisfaction.models import GapSnapshot
with CaptureQueriesContext(connections["replica"]) as replica, \\
        CaptureQueriesContext(connections["default"]) as primary:
    latest_period()
print(json.dumps({
    "aliases": sorted(connections.settings),
    "snapshot_read": router.db_for_read(ReconquestSnapshot),
    "gap_read": router.db_for_read(GapSnapshot),
    "snapshot_write": router.db_for_write(ReconquestSnapshot),
    "customer_read": router.db_for_read(Customer),
    "replica_queries": len(replica), "primary_queries": len(primary),
    "migrate_on_replica": router.allow_migrate("replica", "reconquete"),
}))
"""


@pytest.mark.django_db
def test_snapshot_reads_go_to_the_replica_and_the_rest_to_the_primary():
    # the test database, on the machine's server or the embedded one (a socket in ?host=)
    url = session_database_url()
    env = dict(
        os.environ,
        DATABASE_URL=url,
        DATABASE_REPLICA_URL=url,
        REDIS_URL=settings.REDIS_URL,
        DEBUG="true",
    )
    env["DJANGO_SETTINGS_MODULE"] = "relation_client.settings"
    result = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["aliases"] == ["default", "replica"]
    assert (seen["snapshot_read"], seen["gap_read"]) == ("replica", "replica")
    assert seen["snapshot_write"] == "default"
    assert seen["customer_read"] == "default"
    assert (seen["replica_queries"], seen["primary_queries"]) == (1, 0)
    assert seen["migrate_on_replica"] is False


def test_without_a_replica_everything_reads_the_primary():
    assert "replica" not in settings.DATABASES
    assert router.db_for_read(ReconquestSnapshot) == "default"
    assert router.db_for_read(Customer) == "default"
