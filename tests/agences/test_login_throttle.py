import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counters(settings):
    settings.LOGIN_MAX_FAILURES = 3
    cache.clear()


def test_guessing_is_braked_even_with_the_right_password_afterwards(client, agent):
    for _ in range(3):
        response = client.post(reverse("login"), {"username": "camille", "password": "devine"})
        assert response.status_code == 200
    response = client.post(reverse("login"), {"username": "camille", "password": PASSWORD})
    assert response.status_code == 429
    assert "Trop de tentatives de connexion" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_login_below_the_limit_works(client, agent):
    client.post(reverse("login"), {"username": "camille", "password": "devine"})
    response = client.post(reverse("login"), {"username": "camille", "password": PASSWORD})
    assert response.status_code == 302
