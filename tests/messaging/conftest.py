"""Mailboxes and received messages for the tests: Lyon's and Villeurbanne's agency
mailboxes and the network's with messages written straight into the table, and mailboxes
on the test's own Dovecot (tests/support/imap_server.py) or in a Maildir."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from relation_client.messaging.models import InboundMessage, InboundStatus, Mailbox


@pytest.fixture
def mailboxes(agency_lyon, agency_villeurbanne):
    def box(name, address, agency, network=False):
        return Mailbox.objects.create(
            name=name, address=address, agency=agency, network=network, kind="maildir"
        )

    return SimpleNamespace(
        lyon=box("Agence Lyon Part-Dieu", "lyon@tcl-exemple.fr", agency_lyon),
        villeurbanne=box("Agence Villeurbanne", "villeurbanne@tcl-exemple.fr", agency_villeurbanne),
        network=box("Réseau TCL", "contact@tcl-exemple.fr", agency_lyon, network=True),
    )


@pytest.fixture
def received(mailboxes):
    """received(**fields): a message as the readers store it, unidentified by default,
    in Lyon's mailbox, received an hour ago."""
    count = iter(range(1, 10_000))

    def make(mailbox="lyon", **values) -> InboundMessage:
        number = next(count)
        box = getattr(mailboxes, mailbox) if isinstance(mailbox, str) else mailbox
        defaults = {
            "source": "maildir" if box is not None else "web_form",
            "mailbox": box,
            "message_id": f"<{number}.voyageur@exemple.fr>",
            "sender_address": "helene.marechal@exemple.fr",
            "sender_name": "Hélène Maréchal",
            "to_address": box.address if box is not None else "",
            "subject": "Carte Técély bloquée",
            "body_text": "Bonjour,\n\nMa carte est refusée aux valideurs depuis lundi.\n\n"
            "Hélène Maréchal\n\n> Votre message du 3 mars",
            "reply_text": "Bonjour,\n\nMa carte est refusée aux valideurs depuis lundi.",
            "received_at": timezone.now() - datetime.timedelta(hours=1),
            "status": InboundStatus.UNIDENTIFIED,
        }
        return InboundMessage.objects.create(**{**defaults, **values})

    return make


@pytest.fixture
def imap_mailbox(imap_server, monkeypatch):
    """imap_mailbox(agency, account="lyon", **fields): a Mailbox on the Dovecot account,
    its password in the environment variable it names."""

    def make(agency, account: str = "lyon", **fields) -> Mailbox:
        variable = f"RC_TEST_IMAP_{account.upper()}_PASSWORD"
        monkeypatch.setenv(variable, imap_server[account].password)
        values = {
            "name": f"Boîte {account}",
            "address": f"{account}@tcl-exemple.fr",
            "agency": agency,
            "kind": "imap",
            "host": imap_server.host,
            "port": imap_server.port,
            "use_ssl": False,
            "username": account,
            "password_env": variable,
            **fields,
        }
        return Mailbox.objects.create(**values)

    return make


@pytest.fixture
def maildir_mailbox(tmp_path):
    """maildir_mailbox(agency, name="lyon"): a Mailbox reading a Maildir of its own."""

    def make(agency, name: str = "lyon", **fields) -> Mailbox:
        path = tmp_path / name / "Maildir"
        for sub in ("tmp", "new", "cur"):
            (path / sub).mkdir(parents=True, exist_ok=True)
        values = {
            "name": f"Maildir {name}",
            "address": f"{name}@tcl-exemple.fr",
            "agency": agency,
            "kind": "maildir",
            "maildir_path": str(path),
            **fields,
        }
        return Mailbox.objects.create(**values)

    return make
