"""Webhook fixtures: a real HTTP receiver on 127.0.0.1, partners' endpoints, a customer
with contact details (to prove none of them leaves in a payload), and the reference
lists the real Celery worker (tests/support/worker.py) needs. Data is French, with accents."""

import datetime
import importlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from relation_client.customers.services import CustomerData, customer_create
from relation_client.touchpoints.models import Reason
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
def reasons(db) -> dict[str, Reason]:
    return {reason.code: reason for reason in Reason.objects.all()}


@pytest.fixture
def helene(db, agent, agency_lyon):
    return customer_create(
        data=CustomerData(
            first_name="Hélène",
            last_name="Dupont-Lefèvre",
            civility="mme",
            home_agency=agency_lyon,
            usual_contact=agent,
            phones=["06 12 34 56 78"],
            emails=["helene.dupont@exemple.fr"],
            cards=["TCL 0042 1968"],
        ),
        confirm_duplicate=True,
    )


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


# the data migrations holding reference lists: a transactional test's flush empties them
# (see tests/browser/conftest.py, whose list this is)
REFERENCE_MIGRATIONS = [
    "relation_client.customers.migrations.0005_default_segments",
    "relation_client.touchpoints.migrations.0002_reference_data",
    "reconquete.migrations.0002_reconquest_touchpoint_reason",
    "satisfaction.migrations.0004_default_surveys",
    "agences.migrations.0004_default_skills",
]


@pytest.fixture
def reference_data(transactional_db):
    """The reference lists and role groups, whatever flushed them before."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    from agences.roles import roles_sync

    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)
        create_permissions(app_config, verbosity=0)
    for name in REFERENCE_MIGRATIONS:
        importlib.import_module(name).create(apps, None)
    roles_sync()


def payload_of(received: dict) -> dict:
    return json.loads(received["body"])


def later(**delta) -> datetime.datetime:
    from django.utils import timezone

    return timezone.now() + datetime.timedelta(**delta)
