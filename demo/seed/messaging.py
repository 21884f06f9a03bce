"""The demo's mailbox: the network's address, a Maildir that the local SMTP receiver of
`make run` (relation_client/embedded/smtp.py) delivers into, polled like any mailbox.

Idempotent: keyed on the address. The path is the embedded data folder's (EMBEDDED_DATA_DIR,
else .data/ in the clone), the same whether seed_demo runs from `make run` or alone; the
Maildir is created here, so the poller finds it even before the receiver's first mail. A
clone moved elsewhere gets its path back on the next seed.
"""

import mailbox

from agences.models import Agency
from demo.seed.network import AGENCIES
from relation_client.embedded import paths
from relation_client.embedded.smtp import DEMO_ADDRESS
from relation_client.messaging.models import Mailbox, MailboxKind

MAILBOX_NAME = "Réseau — démonstration (Maildir local)"


def demo_seed_mailboxes() -> int:
    """The network's demo mailbox on the local Maildir; how many were created (0 or 1)."""
    path = str(paths.MAILDIR)  # read now: the tests point it elsewhere
    mailbox.Maildir(path, create=True)  # new/, cur/, tmp/
    main_agency = Agency.objects.get(name=AGENCIES[0][0])
    box, created = Mailbox.objects.get_or_create(
        address=DEMO_ADDRESS,
        defaults={
            "name": MAILBOX_NAME,
            "agency": main_agency,
            "network": True,
            "kind": MailboxKind.MAILDIR,
            "maildir_path": path,
        },
    )
    if not created and box.kind == MailboxKind.MAILDIR and box.maildir_path != path:
        box.maildir_path = path
        box.save(update_fields=["maildir_path"])
    return int(created)
