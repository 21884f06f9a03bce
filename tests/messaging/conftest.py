"""Mailboxes on the test's own Dovecot (tests/support/imap_server.py) or in a Maildir."""

import pytest

from relation_client.messaging.models import Mailbox


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
