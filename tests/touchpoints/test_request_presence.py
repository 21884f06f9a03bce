"""« Camille Rousseau consulte aussi cette demande » : the request page names the others
who have it open (touchpoints:request_detail), its heartbeat (request_presence) and its
leaving (request_presence_leave); only for those who may open the request."""

import json
import socket
import time

import pytest
import redis
from django.conf import settings
from django.test import Client
from django.urls import reverse

from agences.sessions import SEEN
from relation_client import live
from relation_client.live.presence import presence_agents

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clean_presence():
    client = redis.Redis.from_url(settings.REDIS_URL)
    for key in client.scan_iter("rc:presence:*"):
        client.delete(key)
    yield
    for key in client.scan_iter("rc:presence:*"):
        client.delete(key)


@pytest.fixture
def client_of():
    """client_of(agent): a browser of their own, signed in."""

    def make(agent):
        client = Client()
        client.force_login(agent.user)
        return client

    return make


def url(name, request):
    return reverse(f"touchpoints:{name}", args=[request.pk])


def _beat(client, request) -> str:
    response = client.post(url("request_presence", request))
    assert response.status_code == 200
    return response.json()["text"]


def test_the_second_sees_the_first_and_the_first_hears_of_the_second(
    agent, colleague_lyon, client_of, open_request
):
    camille, karim = client_of(agent), client_of(colleague_lyon)
    first = camille.get(url("request_detail", open_request)).content.decode()
    assert "consulte aussi" not in first
    assert 'role="status" aria-live="polite"' in first

    second = karim.get(url("request_detail", open_request)).content.decode()
    assert "Camille Rousseau consulte aussi cette demande." in second
    assert _beat(camille, open_request) == "Karim Benali consulte aussi cette demande."


def test_several_names_are_joined_in_french(
    agent, colleague_lyon, supervisor_lyon, client_of, open_request
):
    for someone in (colleague_lyon, supervisor_lyon):
        client_of(someone).get(url("request_detail", open_request))
    assert _beat(client_of(agent), open_request) == (
        "Karim Benali et Nathalie Girard consultent aussi cette demande."
    )


def test_arriving_tells_the_others_pages_at_once(agent, colleague_lyon, client_of, open_request):
    client_of(agent).get(url("request_detail", open_request))
    pubsub = redis.Redis.from_url(settings.REDIS_URL).pubsub()
    pubsub.subscribe(live.agent_channel(agent.pk))
    try:
        assert pubsub.get_message(timeout=5)["type"] == "subscribe"
        _beat(client_of(colleague_lyon), open_request)
        message = pubsub.get_message(timeout=5)
        assert json.loads(message["data"]) == {
            "event": "presence",
            "data": {"request": open_request.pk},
        }
    finally:
        pubsub.close()


def test_leaving_takes_the_name_away(agent, colleague_lyon, client_of, open_request):
    camille, karim = client_of(agent), client_of(colleague_lyon)
    camille.get(url("request_detail", open_request))
    assert _beat(karim, open_request) == "Camille Rousseau consulte aussi cette demande."

    response = camille.post(url("request_presence_leave", open_request))
    assert response.status_code == 204
    assert _beat(karim, open_request) == ""


def test_the_heartbeat_is_a_post_with_few_queries(
    agent_client, colleague_lyon, client_of, open_request, django_assert_max_num_queries
):
    client_of(colleague_lyon).get(url("request_detail", open_request))
    assert agent_client.get(url("request_presence", open_request)).status_code == 405
    # session, user, agent with its roles, the request is theirs, the others' names
    with django_assert_max_num_queries(5):
        assert _beat(agent_client, open_request) == "Karim Benali consulte aussi cette demande."


@pytest.mark.parametrize("view", ["request_detail", "request_presence", "request_presence_leave"])
def test_another_agencys_agent_does_not_get_in(
    agent, agent_villeurbanne, client_of, open_request, view
):
    client_of(agent).get(url("request_detail", open_request))
    outsider = client_of(agent_villeurbanne)
    method = outsider.get if view == "request_detail" else outsider.post
    assert method(url(view, open_request)).status_code == 404
    # neither seen there, nor able to take someone away
    assert presence_agents(request_id=open_request.pk) == [agent.pk]


def test_the_dpo_alone_does_not_get_in(dpo, client_of, open_request):
    response = client_of(dpo).post(url("request_presence", open_request))
    assert response.status_code == 403
    assert presence_agents(request_id=open_request.pk) == []


def test_the_heartbeat_does_not_postpone_the_sessions_end(agent_client, open_request):
    session = agent_client.session
    ten_minutes_ago = int(time.time()) - 600
    session[SEEN] = ten_minutes_ago
    session.save()

    _beat(agent_client, open_request)
    agent_client.post(url("request_presence_leave", open_request))
    assert agent_client.session[SEEN] == ten_minutes_ago

    # the page itself is the agent at work
    agent_client.get(url("request_detail", open_request))
    assert abs(agent_client.session[SEEN] - time.time()) < 5


def test_an_ended_session_is_not_kept_present(agent_client, open_request, settings):
    session = agent_client.session
    session[SEEN] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 60
    session.save()
    response = agent_client.post(url("request_presence", open_request))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert presence_agents(request_id=open_request.pk) == []


def test_with_redis_unreachable_the_page_opens_alone(
    monkeypatch, agent_client, colleague_lyon, client_of, open_request
):
    client_of(colleague_lyon).get(url("request_detail", open_request))
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setattr(live, "_client", redis.Redis(port=port, socket_connect_timeout=1))
    monkeypatch.setattr(live, "_down_until", 0.0)

    page = agent_client.get(url("request_detail", open_request))
    assert page.status_code == 200
    assert "consulte aussi" not in page.content.decode()
    # found unreachable once: the heartbeats that follow do not wait on it
    assert not live.redis_available()
    assert _beat(agent_client, open_request) == ""
