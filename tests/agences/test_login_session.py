"""Sessions end after an idle time and an absolute lifetime, enforced on the server
(agences.sessions.SessionTimeoutMiddleware); the page is told when, for its warning."""

import time

import pytest
from django.urls import reverse

from agences.sessions import SEEN, STARTED

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limits(settings):
    settings.SESSION_IDLE_SECONDS = 2 * 3600
    settings.SESSION_MAX_SECONDS = 12 * 3600


def _age(client, *, started: int, seen: int) -> None:
    session = client.session
    now = int(time.time())
    session[STARTED], session[SEEN] = now - started, now - seen
    session.save()


def test_signing_in_starts_both_clocks(agent_client):
    session = agent_client.session
    assert abs(session[STARTED] - time.time()) < 5
    assert session[SEEN] == session[STARTED]


def test_an_idle_session_ends_and_sends_back_to_login(agent_client):
    _age(agent_client, started=3 * 3600, seen=2 * 3600 + 60)
    response = agent_client.get(reverse("customers:search"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('customers:search')}"
    assert "_auth_user_id" not in agent_client.session
    page = agent_client.get(response["Location"]).content.decode()
    assert "Votre session a expiré" in page


def test_a_busy_session_ends_at_its_absolute_lifetime(agent_client):
    _age(agent_client, started=12 * 3600 + 60, seen=30)
    assert agent_client.get(reverse("home")).status_code == 302
    assert "_auth_user_id" not in agent_client.session


def test_a_session_within_its_limits_goes_on_and_is_touched(agent_client):
    _age(agent_client, started=3600, seen=600)
    response = agent_client.get(reverse("home"))
    assert response.status_code == 200
    assert abs(agent_client.session[SEEN] - time.time()) < 5
    # the page is told how long is left: here the idle limit, two hours
    assert 'data-session-left="7' in response.content.decode()


def test_an_expired_htmx_request_sends_the_whole_page_to_login(agent_client):
    _age(agent_client, started=3 * 3600, seen=2 * 3600 + 60)
    response = agent_client.get(
        reverse("customers:search"),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/clients/42/",
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{reverse('login')}?next=/clients/42/"


def test_keepalive_starts_the_idle_time_again(agent_client):
    _age(agent_client, started=3600, seen=3600)
    response = agent_client.post(reverse("session_keepalive"))
    assert response.status_code == 200
    assert response.json()["seconds_left"] > 2 * 3600 - 10


def test_keepalive_must_not_be_reached_anonymously(client):
    response = client.post(reverse("session_keepalive"))
    assert response.status_code == 302
