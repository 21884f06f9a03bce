"""The login page with its cache gone: a real redis-server on its own port
(tests/support/redis_server.py), stopped mid-test. The brake fails open with a warning;
signing in still works."""

import logging

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_works_when_redis_stops_mid_test(client, agent, own_redis, caplog):
    response = client.post(reverse("login"), {"username": "camille", "password": "devine"})
    assert response.status_code == 200
    # the failure was counted in this Redis
    assert cache._cache.get_client().keys("*brake:login:account*")

    own_redis.stop()

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
