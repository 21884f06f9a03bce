import pytest
from django.core.cache import cache

from relation_client.tasks import HEARTBEAT_KEY, heartbeat


@pytest.mark.django_db
def test_health_reports_database_and_worker_heartbeat(client):
    cache.delete(HEARTBEAT_KEY)
    assert client.get("/sante/").json() == {"database": "ok", "worker_heartbeat": None}
    stamp = heartbeat()  # run in-process here; the worker test runs it for real
    assert client.get("/sante/").json()["worker_heartbeat"] == stamp
