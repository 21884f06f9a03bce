"""The local mail receiver of ``make run``: an SMTP server on the loopback that delivers
every message it accepts into the demo Maildir (``.data/maildir``), which the demo's
Maildir mailbox (seed_demo) is polled from, like a real mail server's delivery agent.

A local tool: ``make run`` always starts it (it binds 127.0.0.1 only, whatever
``EMAIL_URL`` or the real mailboxes say), on ``MAIL_RECEIVER_PORT`` (2525) or, when that
port is taken, the next free one, printed and written to ``.data/mail-receiver.port`` for
``python -m relation_client.embedded mail``, which sends a customer's mail through it.
It runs in a thread of the launcher: Ctrl-C stops it with the rest, no process of its own.

This module must not import Django (the launcher imports it before any settings).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import mailbox
import os
import smtplib
import socket
import sys
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from aiosmtpd.controller import Controller

from relation_client.embedded.paths import DATA_DIR

HOST = "127.0.0.1"
DEFAULT_PORT = 2525
# a taken port: the next ones are tried, then the receiver gives up (make run goes on)
PORTS_TRIED = 20
PORT_FILE = DATA_DIR / "mail-receiver.port"
# the demo network's address (seed_demo's Maildir mailbox): where `mail` sends by default
DEMO_ADDRESS = "contact@demo.relation-client.fr"
# the name this server gives itself in its greeting and the Received header it adds
SERVER_NAME = "relation-client.local"


class MailReceiverError(RuntimeError):
    """The receiver cannot start: a bad MAIL_RECEIVER_PORT, or no free port."""


def port_wanted(environ=None) -> int:
    """MAIL_RECEIVER_PORT, or 2525; a bad value is one line naming the variable."""
    raw = (environ if environ is not None else os.environ).get("MAIL_RECEIVER_PORT", "")
    if not raw.strip():
        return DEFAULT_PORT
    try:
        port = int(raw.strip())
    except ValueError:
        raise MailReceiverError(
            f"MAIL_RECEIVER_PORT must be a whole number, not {raw!r}."
        ) from None
    if not 1 <= port <= 65535:
        raise MailReceiverError(f"MAIL_RECEIVER_PORT must be between 1 and 65535, not {port}.")
    return port


class MaildirDelivery:
    """The aiosmtpd handler: each message accepted is written once into the Maildir
    (mailbox.Maildir writes it in tmp/ and links it into new/: a reader never sees half
    a message), as sent, with the two trace lines a delivery agent adds on top."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.maildir = mailbox.Maildir(self.path, create=True)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook
        peer = session.peer[0] if session.peer else "?"
        helo = session.host_name or peer
        trace = (
            f"Return-Path: <{envelope.mail_from}>\n"
            f"Received: from {helo} ([{peer}])\n"
            f"\tby {SERVER_NAME} (Relation Client, make run) with ESMTP;\n"
            f"\t{formatdate(localtime=True)}\n"
        ).encode()
        # as the client sent it (dot-unstuffed), lines ending the Unix way as in any Maildir
        content = envelope.original_content.replace(b"\r\n", b"\n")
        try:
            key = self.maildir.add(trace + content)
        except OSError as error:
            return f"451 4.3.0 Maildir indisponible ({error.strerror})"
        return f"250 2.0.0 Ok: déposé dans le Maildir ({key})"


class _BoundController(Controller):
    """aiosmtpd's threaded controller, serving a socket already bound: the port is taken
    when it is chosen, so nothing can take it in between."""

    def __init__(self, handler, sock: socket.socket, **kwargs):
        self._sock = sock
        host, port = sock.getsockname()[:2]
        super().__init__(handler, hostname=host, port=port, **kwargs)

    def _create_server(self):
        return self.loop.create_server(self._factory_invoker, sock=self._sock, ssl=None)


def _bind(first: int, tries: int) -> socket.socket:
    for port in range(first, min(first + tries, 65536)):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # like any server: a port whose last connections linger in TIME_WAIT is reusable,
        # a port someone listens on is not (EADDRINUSE)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError as error:
            sock.close()
            if error.errno in (errno.EADDRINUSE, errno.EACCES):
                continue
            raise
        sock.listen(100)
        return sock
    raise MailReceiverError(
        f"No free port for the local mail receiver from {first} to {first + tries - 1} "
        "(MAIL_RECEIVER_PORT)."
    )


class MailReceiver:
    """A running receiver: its port, its Maildir, and stop()."""

    def __init__(self, controller: _BoundController, maildir: Path, port_file: Path | None):
        self._controller = controller
        self.maildir = maildir
        self.port = controller.port
        self.port_file = port_file

    def stop(self) -> None:
        if self._controller is None:
            return
        self._controller.stop()
        self._controller = None
        if self.port_file is not None:
            with contextlib.suppress(FileNotFoundError):
                if self.port_file.read_text().strip() == str(self.port):
                    self.port_file.unlink()


def mail_receiver_start(
    *, maildir: Path, port: int | None = None, port_file: Path | None = None
) -> MailReceiver:
    """Listen on 127.0.0.1, `port` (MAIL_RECEIVER_PORT, 2525) or the next free one, and
    deliver into `maildir` (make run: paths.MAILDIR); the port chosen is written to
    `port_file` (make run: PORT_FILE, read by `mail`)."""
    first = port if port is not None else port_wanted()
    handler = MaildirDelivery(maildir)
    sock = _bind(first, PORTS_TRIED)
    controller = _BoundController(handler, sock, server_hostname=SERVER_NAME)
    try:
        controller.start()
    except BaseException:
        sock.close()
        raise
    if port_file is not None:
        port_file.parent.mkdir(parents=True, exist_ok=True)
        port_file.write_text(str(controller.port))
    return MailReceiver(controller, Path(maildir), port_file)


def port_running() -> int | None:
    """The port of the receiver `make run` started, if it wrote one."""
    try:
        return int(PORT_FILE.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


def mail_command(argv: list[str]) -> int:
    """``python -m relation_client.embedded mail --from ADDRESS SUBJECT [TEXT]``: a
    customer's mail, sent through the receiver of the running ``make run``."""
    parser = argparse.ArgumentParser(
        prog="python -m relation_client.embedded mail",
        description=(
            "Envoie un courriel de client au récepteur local de `make run` : il arrive dans "
            "le Maildir de la démo, relevé par la boîte de démonstration."
        ),
    )
    parser.add_argument("--from", dest="sender", required=True, help="adresse du client")
    parser.add_argument("--name", default="", help="nom affiché de l'expéditeur")
    parser.add_argument("--to", default=DEMO_ADDRESS, help=f"destinataire ({DEMO_ADDRESS})")
    parser.add_argument("--port", type=int, default=None, help="port du récepteur local")
    parser.add_argument("subject", help="objet du message")
    parser.add_argument("text", nargs="?", default="", help="texte (par défaut : l'objet)")
    options = parser.parse_args(argv)
    port = options.port or port_running()
    if port is None:
        print(
            "Le récepteur local ne tourne pas : lancez d'abord `make run` (ou passez --port).",
            file=sys.stderr,
        )
        return 1
    message = EmailMessage()
    try:
        message["From"] = Address(display_name=options.name, addr_spec=options.sender)
        message["To"] = options.to
    except (ValueError, HeaderParseError) as error:
        parser.error(f"adresse illisible : {error}")
    message["Subject"] = options.subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=options.sender.rpartition("@")[2] or None)
    signature = f"\n{options.name}" if options.name else ""
    message.set_content(
        options.text or f"Bonjour,\n\n{options.subject}\n\nCordialement,{signature}\n"
    )
    try:
        with smtplib.SMTP(HOST, port, timeout=10) as client:
            client.send_message(message)
    except OSError as error:
        print(f"Le récepteur local ({HOST}:{port}) ne répond pas : {error}", file=sys.stderr)
        return 1
    print(
        f"Envoyé à {options.to} par le récepteur local ({HOST}:{port}), "
        f"Message-ID {message['Message-ID']}.\n"
        "La relève des boîtes (chaque minute) le classe : une demande s'ouvre pour un client "
        "connu, un expéditeur inconnu attend parmi les contacts à identifier."
    )
    return 0
