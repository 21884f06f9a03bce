"""Under ASGI the request threads share a pool of PostgreSQL connections
(settings.DATABASE_POOL_SIZE, which relation_client/asgi.py sets): each request used to
open a connection of its own and close it, because a connection kept per thread is never
used again there. Served by the real ASGI server of `make run`, on the test database."""

import urllib.request

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def server_connections() -> set[int]:
    """The backends connected to the test database, this test's own left out."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [connection.settings_dict["NAME"]],
        )
        return {pid for (pid,) in cursor.fetchall()}


def health(server) -> bytes:
    with urllib.request.urlopen(f"{server.url}/sante/", timeout=10) as response:
        assert response.status == 200
        return response.read()


def test_the_requests_reuse_the_pooled_connections(asgi_live_server):
    health(asgi_live_server)  # the health check reads the database
    kept = server_connections()
    for _ in range(20):
        health(asgi_live_server)
    # the connection opened for the first request is still there, serving the next twenty
    assert kept and kept <= server_connections()
    assert len(server_connections()) <= 10  # DATABASE_POOL_SIZE under asgi.py


def test_the_pool_is_the_asgi_servers_only(settings):
    # this test process (Django's test client, WSGI-like) keeps persistent connections
    assert settings.DATABASE_POOL_SIZE == 0
    assert "pool" not in settings.DATABASES["default"]["OPTIONS"]
