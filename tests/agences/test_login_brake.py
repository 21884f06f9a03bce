"""The brake on every login door: per account and per address, the admin's login and the
password reset form included, the address taken from the trusted proxy's header only."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from agences.brake import client_address
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counters(settings):
    settings.LOGIN_MAX_FAILURES = 5
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 50
    cache.clear()
    yield
    cache.clear()


def _fail(client, username, times, **extra):
    for _ in range(times):
        response = client.post(
            reverse("login"), {"username": username, "password": "devine"}, **extra
        )
        assert response.status_code in (200, 429)


def test_invented_usernames_from_one_address_do_not_lock_everyone_out(client, agent):
    # five failures used to brake the whole address: every user behind the proxy
    for number in range(12):
        client.post(reverse("login"), {"username": f"inconnu{number}", "password": "devine"})
    response = client.post(reverse("login"), {"username": "camille", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(agent.user.pk)


def test_one_account_is_braked_after_its_own_limit(client, agent, colleague_lyon):
    _fail(client, "camille", 5)
    refused = client.post(reverse("login"), {"username": "camille", "password": PASSWORD})
    assert refused.status_code == 429
    assert "débloquer votre compte" in refused.content.decode()
    # a colleague at the same counter is not held by Camille's brake
    response = client.post(reverse("login"), {"username": "karim", "password": PASSWORD})
    assert response.status_code == 302


def test_the_username_is_braked_whatever_its_case(client, agent):
    _fail(client, "Camille ", 5)
    response = client.post(reverse("login"), {"username": "camille", "password": PASSWORD})
    assert response.status_code == 429


def test_an_address_is_braked_past_its_higher_limit(client, settings, agent):
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 8
    for number in range(8):
        client.post(reverse("login"), {"username": f"inconnu{number}", "password": "devine"})
    response = client.post(reverse("login"), {"username": "camille", "password": PASSWORD})
    assert response.status_code == 429
    # from another address Camille gets in
    response = client.post(
        reverse("login"),
        {"username": "camille", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.44",
    )
    assert response.status_code == 302


def test_a_successful_login_starts_the_account_count_again(client, agent):
    _fail(client, "camille", 4)
    assert (
        client.post(reverse("login"), {"username": "camille", "password": PASSWORD}).status_code
        == 302
    )
    client.post(reverse("logout"))
    _fail(client, "camille", 4)
    assert (
        client.post(reverse("login"), {"username": "camille", "password": PASSWORD}).status_code
        == 302
    )


@pytest.fixture
def staff_manager(manager_lyon):
    manager_lyon.user.is_staff = True
    manager_lyon.user.save(update_fields=["is_staff"])
    return manager_lyon


def test_admin_login_is_braked(client, staff_manager):
    for _ in range(12):
        response = client.post(
            reverse("admin:login"), {"username": "francois", "password": "devine"}
        )
        assert response.status_code in (200, 429)
    response = client.post(reverse("admin:login"), {"username": "francois", "password": PASSWORD})
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_admin_login_still_lets_staff_in(client, staff_manager):
    response = client.post(
        reverse("admin:login") + "?next=/admin/",
        {"username": "francois", "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_admin_login_refuses_an_agent_without_the_admin(client, agent):
    response = client.post(reverse("admin:login"), {"username": "camille", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_failures_on_the_admin_door_count_for_the_staff_door(client, staff_manager):
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "francois", "password": "devine"})
    response = client.post(reverse("login"), {"username": "francois", "password": PASSWORD})
    assert response.status_code == 429


def test_password_reset_requests_are_braked(client, agent):
    agent.user.email = "camille.rousseau@exemple.fr"
    agent.user.save(update_fields=["email"])
    for _ in range(5):
        response = client.post(reverse("password_reset"), {"email": "camille.rousseau@exemple.fr"})
        assert response.status_code == 302
    response = client.post(reverse("password_reset"), {"email": "camille.rousseau@exemple.fr"})
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert len(mail.outbox) == 5


# ---- the client's address ---------------------------------------------------------------


def _request(remote="10.0.0.2", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/connexion/", **extra)


def test_without_a_configured_proxy_the_header_is_ignored(settings):
    settings.CLIENT_ADDRESS_HEADER, settings.TRUSTED_PROXY_COUNT = "", 0
    assert client_address(_request(forwarded="203.0.113.7")) == "10.0.0.2"


@pytest.mark.parametrize(
    "forwarded, proxies, expected",
    [
        ("203.0.113.7", 1, "203.0.113.7"),
        # the client wrote the leftmost entry itself: the proxy's own entry is believed
        ("6.6.6.6, 203.0.113.7", 1, "203.0.113.7"),
        ("6.6.6.6, 203.0.113.7, 10.0.0.9", 2, "203.0.113.7"),
        # not through every trusted proxy: only the socket is known
        ("", 1, "10.0.0.2"),
    ],
)
def test_behind_trusted_proxies_the_address_is_counted_from_the_right(
    settings, forwarded, proxies, expected
):
    settings.CLIENT_ADDRESS_HEADER, settings.TRUSTED_PROXY_COUNT = "X-Forwarded-For", proxies
    assert client_address(_request(forwarded=forwarded)) == expected


def test_behind_the_proxy_one_guesser_does_not_brake_the_others(client, settings, agent):
    settings.CLIENT_ADDRESS_HEADER, settings.TRUSTED_PROXY_COUNT = "X-Forwarded-For", 1
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 6
    # every request comes from the proxy's socket address; the header tells them apart
    for number in range(6):
        client.post(
            reverse("login"),
            {"username": f"inconnu{number}", "password": "devine"},
            HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.66",
        )
    guesser = client.post(
        reverse("login"),
        {"username": "camille", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.66",
    )
    assert guesser.status_code == 429
    colleague = client.post(
        reverse("login"),
        {"username": "camille", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert colleague.status_code == 302
