"""Polling a Maildir (the local mail server's): the same guarantees as IMAP. A message is
read from new/, stored once, filed, and only then moved to cur/ with the S flag."""

import os
import signal
from pathlib import Path

import pytest

from agences.models import Agency
from relation_client.messaging.fetch import mailbox_poll
from relation_client.messaging.models import InboundFlag, InboundMessage, InboundStatus
from relation_client.touchpoints.deadlines import deadline_for
from relation_client.touchpoints.models import Request
from tests.factories import CustomerFactory
from tests.messaging import mails
from tests.messaging.polling import poll_in_child, wait_for_poll_lock_free
from tests.support.imap_server import maildir_deliver


@pytest.fixture
def helene(agency_lyon):
    return CustomerFactory(
        first_name="Hélène",
        last_name="Maréchal",
        emails=["Helene.Marechal@exemple.fr"],
        home_agency=agency_lyon,
    )


def _folder(mailbox) -> Path:
    return Path(mailbox.maildir_path)


def _listing(mailbox, sub: str) -> list[str]:
    return sorted(os.listdir(_folder(mailbox) / sub))


def test_a_customers_mail_becomes_a_request_and_its_file_moves_to_cur(
    db, maildir_mailbox, agency_lyon, helene
):
    mailbox = maildir_mailbox(agency_lyon)
    key = maildir_deliver(_folder(mailbox), mails.mail(message_id="<md-1@voyageurs.fr>"))

    result = mailbox_poll(mailbox)

    assert (result.stored, result.error) == (1, "")
    message = InboundMessage.objects.get()
    assert message.source == "maildir" and message.maildir_key == key
    assert message.status == InboundStatus.FILED and message.customer == helene
    request = message.request
    assert request.channel == "email" and request.agency == agency_lyon
    assert request.deadline == deadline_for(
        agency=agency_lyon, channel="email", start=message.received_at, segment=helene.segment
    )
    assert _listing(mailbox, "new") == [] and _listing(mailbox, "cur") == [f"{key}:2,S"]
    mailbox.refresh_from_db()
    assert mailbox.last_polled_at is not None and mailbox.last_error == ""


def test_a_message_in_two_maildirs_and_polled_twice_is_stored_once(
    db, maildir_mailbox, agency_lyon, helene
):
    lyon = maildir_mailbox(agency_lyon, "lyon")
    network = maildir_mailbox(agency_lyon, "reseau", network=True)
    raw = mails.mail(message_id="<md-copie@voyageurs.fr>")
    maildir_deliver(_folder(lyon), raw)
    maildir_deliver(_folder(network), raw)

    first = mailbox_poll(lyon)
    # put back in new/ by someone: read again, recognised by its place
    (name,) = _listing(lyon, "cur")
    os.rename(_folder(lyon) / "cur" / name, _folder(lyon) / "new" / name.split(":")[0])
    again = mailbox_poll(lyon)
    other = mailbox_poll(network)

    assert (first.stored, again.already, other.already) == (1, 1, 1)
    assert InboundMessage.objects.count() == 1
    assert Request.objects.filter(customer=helene).count() == 1
    assert _listing(lyon, "new") == [] and _listing(network, "new") == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_poller_killed_midway_loses_nothing(reference_data, maildir_mailbox):
    agency = Agency.objects.create(name="Lyon Part-Dieu", city="Lyon")
    mailbox = maildir_mailbox(agency)
    for number in range(1, 9):
        maildir_deliver(
            _folder(mailbox),
            mails.mail(
                sender=f"Voyageuse n° {number} <voyageuse{number}@exemple.fr>",
                message_id=f"<md-question-{number}@voyageurs.fr>",
            ),
        )

    # killed right after its 3rd commit: the 3rd message is stored, its file still in new/
    child = poll_in_child(mailbox, kill_after=3)

    assert child.returncode == -signal.SIGKILL, child.stderr
    assert InboundMessage.objects.count() == 3
    assert len(_listing(mailbox, "new")) == 6 and len(_listing(mailbox, "cur")) == 2
    wait_for_poll_lock_free(mailbox)

    result = mailbox_poll(mailbox)

    assert (result.stored, result.already) == (5, 1)
    assert sorted(InboundMessage.objects.values_list("message_id", flat=True)) == sorted(
        f"<md-question-{number}@voyageurs.fr>" for number in range(1, 9)
    )
    assert _listing(mailbox, "new") == [] and len(_listing(mailbox, "cur")) == 8


def test_broken_messages_are_kept_flagged_and_never_block_the_others(
    db, maildir_mailbox, agency_lyon, helene
):
    mailbox = maildir_mailbox(agency_lyon)
    for raw in (
        mails.JUNK,
        mails.broken_boundary(),
        mails.raw_8bit_headers(),
        mails.mail(message_id="<md-bonne@voyageurs.fr>"),
    ):
        maildir_deliver(_folder(mailbox), raw)

    result = mailbox_poll(mailbox)

    assert (result.stored, result.failed) == (4, 0)
    by_id = {message.message_id: message for message in InboundMessage.objects.all()}
    assert by_id[""].status == InboundStatus.MALFORMED and bytes(by_id[""].raw) == mails.JUNK
    assert by_id["<bord-casse@voyageurs.fr>"].flags == [InboundFlag.MALFORMED_MIME]
    assert by_id["<entetes-8bit@voyageurs.fr>"].flags == [InboundFlag.BAD_HEADER]
    assert by_id["<md-bonne@voyageurs.fr>"].status == InboundStatus.FILED
    assert _listing(mailbox, "new") == []


def test_a_missing_maildir_records_its_error(db, maildir_mailbox, agency_lyon, tmp_path):
    mailbox = maildir_mailbox(agency_lyon, maildir_path=str(tmp_path / "absent"))

    result = mailbox_poll(mailbox)

    mailbox.refresh_from_db()
    assert result.error == f"Aucun Maildir lisible à « {tmp_path / 'absent'} »."
    assert mailbox.last_error == result.error and mailbox.last_polled_at is not None
