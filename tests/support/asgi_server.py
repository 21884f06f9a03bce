"""A real ASGI server for the tests that stream: uvicorn serving relation_client.asgi, the
command `make run` uses (launcher.asgi_command), in a child process on the test database
and the test Redis. pytest-django's live_server is WSGI, where the live event stream
(/direct/) cannot stream.

The server reads committed rows only: a test using it is transactional (the browser
tests' `reference_data`, or the `reference_data` fixture of tests/conftest.py). The
listening socket is opened here and handed to uvicorn (--fd): no port is guessed, and the
first request waits in the socket's queue until uvicorn answers it.
"""

import os
import socket
import subprocess
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from relation_client.embedded.launcher import asgi_command
from tests.support.worker import ROOT, session_database_url

LOG_DIR = ROOT / "test-artifacts"


@dataclass
class AsgiServer:
    url: str
    host: str
    port: int
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture(scope="session")
def asgi_live_server(django_db_setup, django_db_blocker):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    host, port = listener.getsockname()
    with django_db_blocker.unblock():
        database_url = session_database_url()
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        REDIS_URL=settings.REDIS_URL,
        # static files from the source folders (whitenoise's finders), as in `make run`
        DEBUG="true",
        # the test run's second factor (off, tests/conftest.py second_factor_off)
        OTP_REQUIRED_ROLES=",".join(sorted(settings.OTP_REQUIRED_ROLES)) or "aucun",
        PYTHONUNBUFFERED="1",
    )
    LOG_DIR.mkdir(exist_ok=True)
    log_path = LOG_DIR / "asgi-server.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            asgi_command("--fd", str(listener.fileno()), "--log-level", "info"),
            cwd=ROOT,
            env=env,
            pass_fds=[listener.fileno()],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    listener.close()  # uvicorn holds its own copy
    server = AsgiServer(f"http://{host}:{port}", host, port, process, log_path)
    try:
        # queued in the socket's backlog until uvicorn has started and answers
        with urllib.request.urlopen(f"{server.url}/connexion/", timeout=60) as response:
            assert response.status == 200
    except Exception:
        process.terminate()
        process.wait(timeout=10)
        raise RuntimeError(f"the ASGI server did not start:\n{server.log()}") from None
    yield server
    process.terminate()
    process.wait(timeout=15)
    assert "Traceback" not in server.log(), server.log()
