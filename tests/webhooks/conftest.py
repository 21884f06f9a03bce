"""Webhook fixtures: a real HTTP receiver on 127.0.0.1, partners' endpoints, a customer
with contact details (to prove none of them leaves in a payload), and the reference
lists the real Celery worker (tests/support/worker.py) needs. Data is French, with accents."""

import datetime
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from relation_client.touchpoints.services import touchpoint_log
from relation_client.webhooks.services import webhook_endpoint_create


class Receiver:
    """A partner's server: records every POST and answers `status` (or is down)."""

    def __init__(self):
        self.status = 200
        self.received: list[dict] = []
        self.port = 0
        self._server = None
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/rc/evenements"

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver._lock:
                    status = receiver.status
                    receiver.received.append(
                        {"headers": dict(self.headers), "body": body, "answered": status}
                    )
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Down: the port is closed, connections are refused."""
        self._server.shutdown()
        self._server.server_close()

    def delivered(self) -> list[dict]:
        """The POSTs acknowledged with a 2xx."""
        with self._lock:
            return [r for r in self.received if 200 <= r["answered"] < 300]


@pytest.fixture
def receiver():
    server = Receiver()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def make_endpoint(db):
    """An endpoint created the way the admin does; returns (endpoint, secret)."""

    def make(url: str, events: list[str], name="Billettique Métropole", **extra):
        return webhook_endpoint_create(name=name, url=url, events=events, **extra)

    return make


@pytest.fixture
def log(reasons, agent):
    """touchpoint_log with the agent: an inbound phone question about a subscription opens
    a request (a piece of information would not)."""

    def do(customer, *, channel="phone", reason="subscription", **extra):
        extra.setdefault("summary", "Carte Técély bloquée après le rechargement")
        return touchpoint_log(
            agent=agent, customer=customer, channel=channel, reason=reasons[reason], **extra
        )

    return do


def wait_for(predicate, *, timeout: float = 60, what: str = "the worker"):
    """Poll until `predicate()` is truthy, failing after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def payload_of(received: dict) -> dict:
    return json.loads(received["body"])


def later(**delta) -> datetime.datetime:
    from django.utils import timezone

    return timezone.now() + datetime.timedelta(**delta)
