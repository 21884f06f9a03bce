"""Mailboxes and received messages for the staff's pages: Lyon's and Villeurbanne's
agency mailboxes, the network's, and messages written straight into the table (fetching
them is the IMAP and Maildir readers' business, tested on their own)."""

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
