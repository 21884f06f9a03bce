"""/sante/: JSON saying which part is down; 503 only when the database is, so that a
Redis outage never takes every node out of the load balancer."""

import pytest
from django.core.cache import cache
from django.db import connection

from relation_client.tasks import HEARTBEAT_KEY, heartbeat


@pytest.mark.django_db
def test_health_reports_database_and_worker_heartbeat(client):
    cache.delete(HEARTBEAT_KEY)
    body = client.get("/sante/").json()
    assert body == {
        "status": "degraded",
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
        "worker": "down",
        "worker_heartbeat": None,
    }
    stamp = heartbeat()  # run in-process here; the worker test runs it for real
    body = client.get("/sante/").json()
    assert (body["status"], body["worker"], body["worker_heartbeat"]) == ("ok", "ok", stamp)


@pytest.mark.django_db
def test_redis_down_degrades_but_keeps_the_node_in(client, own_redis):
    own_redis.stop()
    response = client.get("/sante/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "cache": "down",
        "broker": "down",
        "worker": "unknown",
        "worker_heartbeat": None,
    }


def test_database_down_is_a_503_in_json(client, django_db_blocker):
    with django_db_blocker.unblock():
        connection.close()
        real_port = connection.settings_dict["PORT"]
        connection.settings_dict["PORT"] = "1"  # nothing listens there
        try:
            response = client.get("/sante/")
        finally:
            connection.close()
            connection.settings_dict["PORT"] = real_port
    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["database"]) == ("down", "down")
