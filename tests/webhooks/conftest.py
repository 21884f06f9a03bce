"""Webhook fixtures: a real HTTP receiver on 127.0.0.1, partners' endpoints, a customer
with contact details (to prove none of them leaves in a payload), and a real Celery
worker. Data is French, with accents."""

import datetime
import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from relation_client.touchpoints.services import touchpoint_log
from relation_client.webhooks.services import webhook_endpoint_create

ROOT = Path(__file__).resolve().parent.parent.parent


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
    """touchpoint_log with the agent: an inbound phone question opens a request."""

    def do(customer, *, channel="phone", reason="information", **extra):
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


def worker_database_url() -> str:
    """settings.DATABASE_URL names the development database; the worker must use the
    test database this session created."""
    parts = urlsplit(settings.DATABASE_URL)
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


@pytest.fixture
def celery_worker_process(reference_data):
    """A real worker (solo pool) on the test database and the test Redis; stopped before
    the database is flushed."""
    from relation_client.celery import app

    app.control.purge()  # tasks queued by earlier tests point at rows long gone
    env = dict(os.environ, DATABASE_URL=worker_database_url(), REDIS_URL=settings.REDIS_URL)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "relation_client",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield worker
    worker.terminate()
    output, _ = worker.communicate(timeout=30)
    assert "Traceback" not in output, output


def payload_of(received: dict) -> dict:
    return json.loads(received["body"])


def later(**delta) -> datetime.datetime:
    from django.utils import timezone

    return timezone.now() + datetime.timedelta(**delta)
