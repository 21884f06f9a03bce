"""A real SMTP server of the test's own (aiosmtpd, on a free loopback port) that keeps
what it receives: the product sends through Django's SMTP backend to it, never to a mock
of smtplib. A Celery worker started after this fixture sends to it too (EMAIL_URL)."""

import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)

    @property
    def text(self) -> str:
        body = self.message.get_body(preferencelist=("plain",))
        return body.get_content() if body is not None else ""

    def __getitem__(self, header: str) -> str:
        return str(self.message[header] or "")


@dataclass
class Mailbag:
    """What the server accepted, in order; `refuse` makes it answer 451 to everything."""

    received: list[Received] = field(default_factory=list)
    refuse: bool = False
    arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        if self.refuse:
            return "451 4.3.0 Essayez plus tard"
        with self.arrived:
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
            )
            self.arrived.notify_all()
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 20) -> list[Received]:
        """Block until `count` messages arrived (a worker sends them), or fail."""
        with self.arrived:
            done = self.arrived.wait_for(lambda: len(self.received) >= count, timeout)
        assert done, f"{len(self.received)} message(s) received, {count} expected"
        return self.received

    def to(self, address: str) -> list[Received]:
        return [item for item in self.received if address in item.rcpt_tos]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings, monkeypatch):
    """Start the server; point Django (and any worker started later) at it."""
    bag = Mailbag()
    port = _free_port()
    controller = Controller(bag, hostname="127.0.0.1", port=port, decode_data=False)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    monkeypatch.setenv("EMAIL_URL", f"smtp://127.0.0.1:{port}")
    bag.port = port
    yield bag
    controller.stop()
