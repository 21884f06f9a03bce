"""The agent's live event stream (GET /direct/) under a real ASGI server: uvicorn serving
relation_client.asgi, as `make run` does, on the test database and Redis. An agent's page
receives what is published for them and nothing published for a colleague; anyone else
is refused; an open stream holds no database connection; signing out closes it."""

import http.client
import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from agences.sessions import SEEN
from relation_client import live

# serialized like the browser tests: the flush then leaves the role groups as they were
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class EventStream:
    """A page's EventSource, by hand: one HTTP connection read line by line."""

    def __init__(self, server, cookie: str = "", timeout: float = 10, language: str = ""):
        self.connection = http.client.HTTPConnection(server.host, server.port, timeout=timeout)
        headers = {"Accept": "text/event-stream"}
        if language:
            headers["Accept-Language"] = language
        if cookie:
            headers["Cookie"] = cookie
        self.connection.request("GET", "/direct/", headers=headers)
        self.response = self.connection.getresponse()

    def next_block(self) -> list[str] | None:
        """The lines up to the next blank line; None when the server closed the stream."""
        lines = []
        while True:
            raw = self.response.readline()
            if not raw:
                return None
            line = raw.decode().rstrip("\n")
            if line == "":
                if lines:
                    return lines
                continue
            lines.append(line)

    def next_event(self) -> tuple[str, dict] | None:
        """The next event (keep-alive comments and `retry` skipped)."""
        while True:
            block = self.next_block()
            if block is None:
                return None
            fields = dict(line.split(": ", 1) for line in block if not line.startswith(":"))
            if "event" in fields:
                return fields["event"], json.loads(fields["data"])

    def close(self):
        self.connection.close()


def _signed_in_cookie(user) -> tuple[Client, str]:
    client = Client()
    client.force_login(user)
    return client, f"sessionid={client.cookies['sessionid'].value}"


def _database_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


def test_an_agent_receives_their_events_and_not_a_colleagues(
    reference_data, asgi_live_server, agent, colleague_lyon
):
    _client, cookie = _signed_in_cookie(agent.user)
    before = _database_connections()
    stream = EventStream(asgi_live_server, cookie)
    try:
        assert stream.response.status == 200
        assert stream.response.getheader("Content-Type") == "text/event-stream; charset=utf-8"
        assert stream.response.getheader("Cache-Control") == "no-cache"
        assert stream.response.getheader("X-Accel-Buffering") == "no"
        # the reconnection delay first, then "ready": subscribed from here on
        assert stream.next_block() == ["retry: 3000"]
        assert stream.next_event() == ("live.ready", {})
        # an open stream holds no database connection (one per agent's page, for hours)
        assert _database_connections() == before

        live.publish(
            agent_ids=[colleague_lyon.pk],
            event="call.ringing",
            data={"call": 1, "caller": "0478000000", "customer": None, "name": ""},
        )
        received = live.publish(
            agent_ids=[agent.pk],
            event="call.ringing",
            data={"call": 2, "caller": "0612345678", "customer": 7, "name": "Mme Hélène Maréchal"},
        )
        assert received == 1
        # Redis delivers in order: the colleague's event would have come first
        assert stream.next_event() == (
            "call.ringing",
            {"call": 2, "caller": "0612345678", "customer": 7, "name": "Mme Hélène Maréchal"},
        )
    finally:
        stream.close()


def test_anonymous_and_non_agents_are_refused(reference_data, asgi_live_server, gerard):
    anonymous = EventStream(asgi_live_server)
    assert anonymous.response.status == 401
    assert anonymous.response.read() == b""
    anonymous.close()

    _client, cookie = _signed_in_cookie(gerard)  # a partner's person: no agent profile
    partner = EventStream(asgi_live_server, cookie)
    assert partner.response.status == 403
    partner.close()


def test_signing_out_closes_that_sessions_stream_only(reference_data, asgi_live_server, agent):
    desk, desk_cookie = _signed_in_cookie(agent.user)
    _other, other_cookie = _signed_in_cookie(agent.user)  # the same agent on another machine
    desk_stream = EventStream(asgi_live_server, desk_cookie)
    other_stream = EventStream(asgi_live_server, other_cookie)
    try:
        assert desk_stream.next_event() == ("live.ready", {})
        assert other_stream.next_event() == ("live.ready", {})

        desk.logout()

        assert desk_stream.next_event() is None  # the server ended it
        live.publish(agent_ids=[agent.pk], event="alert", data={"message": "Toujours là"})
        assert other_stream.next_event() == ("alert", {"message": "Toujours là"})
    finally:
        desk_stream.close()
        other_stream.close()


def test_request_lines_in_the_server_log_lose_their_query_string(reference_data, asgi_live_server):
    conn = http.client.HTTPConnection(asgi_live_server.host, asgi_live_server.port, timeout=10)
    conn.request("GET", "/connexion/?next=/clients/%3Fq%3DH%C3%A9l%C3%A8ne")
    assert conn.getresponse().status == 200
    conn.close()
    log = asgi_live_server.log()
    assert "/connexion/?…" in log
    assert "H%C3%A9l%C3%A8ne" not in log


def test_under_wsgi_the_stream_says_no_content_rather_than_hold_a_thread(
    reference_data, agent_client
):
    """runserver or pytest-django's live_server: no live events, and no thread held."""
    # from a thread of its own, as a WSGI server's: the test thread may hold Playwright's
    # event loop (browser tests earlier in the session), where async_to_sync refuses to run
    with ThreadPoolExecutor(max_workers=1) as pool:
        response = pool.submit(agent_client.get, "/direct/").result(timeout=30)
    assert response.status_code == 204


def test_reconnecting_the_stream_does_not_postpone_the_sessions_end(reference_data, agent_client):
    """A page left open reconnects its stream every few minutes: that is not the agent at
    work, and the session still ends after its idle time."""
    session = agent_client.session
    ten_minutes_ago = int(time.time()) - 600
    session[SEEN] = ten_minutes_ago
    session.save()
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(agent_client.get, "/direct/").result(timeout=30)
    assert agent_client.session[SEEN] == ten_minutes_ago
