"""The login page with its cache gone: a real redis-server on its own port, stopped
mid-test. The brake fails open with a warning; signing in still works."""

import logging
import socket
import subprocess
import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def own_redis(settings, tmp_path):
    """A redis-server of this test's own, as the cache; stop() kills it."""
    port = _free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }

    def stop():
        server.terminate()
        server.wait(timeout=10)

    yield stop
    if server.poll() is None:
        stop()


def test_login_works_when_redis_stops_mid_test(client, agent, own_redis, caplog):
    response = client.post(reverse("login"), {"username": "camille", "password": "devine"})
    assert response.status_code == 200
    # the failure was counted in this Redis
    assert cache._cache.get_client().keys("*brake:login:account*")

    own_redis()

    page = client.get(reverse("login"))
    assert page.status_code == 200
    with caplog.at_level(logging.WARNING, logger="agences.brake"):
        wrong = client.post(reverse("login"), {"username": "camille", "password": "faux"})
        assert wrong.status_code == 200
        assert "Identifiant ou mot de passe incorrect" in wrong.content.decode()
        right = client.post(reverse("login"), {"username": "camille", "password": PASSWORD})
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(agent.user.pk)
    assert any("cache unreachable" in record.getMessage() for record in caplog.records)
