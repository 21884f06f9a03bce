"""A real SMS provider of the test's own: an HTTP server on a free loopback port that keeps
every POST and answers `status`; the product's SMS sender (relation_client/messaging/sms.py)
is pointed at it, never at a mock of http.client."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

TOKEN = "cle-passerelle-e2e-7f3a"


@dataclass
class Posted:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Gateway:
    status: int = 200
    received: list[Posted] = field(default_factory=list)
    port: int = 0
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1/sms"

    def start(self) -> None:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with gateway._lock:
                    status = gateway.status
                    gateway.received.append(Posted(self.path, dict(self.headers), body))
                answer = json.dumps({"id": f"msg-{len(gateway.received)}"}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Down: the port is closed, connections are refused."""
        self._server.shutdown()
        self._server.server_close()
        self._server = None


@pytest.fixture
def sms_gateway(settings):
    """Start the provider; point the settings at it (token, sender, STOP number)."""
    gateway = Gateway()
    gateway.start()
    settings.SMS_GATEWAY_URL = gateway.url
    settings.SMS_GATEWAY_TOKEN = TOKEN
    settings.SMS_SENDER = "TCL Lyon"
    settings.SMS_STOP_NUMBER = "36111"
    settings.SMS_FILE_PATH = ""
    yield gateway
    if gateway._server is not None:
        gateway.stop()
