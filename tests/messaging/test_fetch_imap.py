"""Polling an IMAP mailbox on a real Dovecot: a customer's mail becomes a request, every
message is stored exactly once (polled twice, received by two mailboxes, a poller killed
mid-batch), broken messages are kept with their flags and never block the others, an
automatic mail opens nothing, a reply keeps its new part, a mailbox out of reach records
why and does not stop the others."""

import datetime
import errno
import os
import signal

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from relation_client.messaging.fetch import POLL_LOCK, _groups, mailbox_poll, mailboxes_poll
from relation_client.messaging.models import InboundFlag, InboundMessage, InboundStatus
from relation_client.touchpoints.deadlines import deadline_for
from relation_client.touchpoints.models import Reason, Request
from tests.factories import CustomerFactory
from tests.messaging import mails
from tests.messaging.polling import poll_in_child, wait_for_poll_lock_free
from tests.support import imap_server as imap_server_module


@pytest.fixture
def helene(agency_lyon, agent):
    return CustomerFactory(
        first_name="Hélène",
        last_name="Maréchal",
        emails=["helene.marechal@exemple.fr"],
        home_agency=agency_lyon,
        usual_contact=agent,
    )


def test_a_customers_mail_becomes_a_request_with_the_e_mail_deadline(
    db, imap_server, imap_mailbox, agency_lyon, helene, agent
):
    mailbox = imap_mailbox(agency_lyon)
    # it arrived two hours ago, while nobody polled: the deadline counts from its arrival
    arrived = (timezone.now() - datetime.timedelta(hours=2)).replace(microsecond=0)
    key = imap_server["lyon"].deliver(mails.mail(message_id="<carte-1@voyageurs.fr>"))
    new_file = imap_server["lyon"].maildir / "new" / key
    os.utime(new_file, (arrived.timestamp(), arrived.timestamp()))

    result = mailbox_poll(mailbox)

    assert (result.stored, result.already, result.failed, result.error) == (1, 0, 0, "")
    message = InboundMessage.objects.get()
    assert message.source == "imap" and message.mailbox == mailbox
    assert message.message_id == "<carte-1@voyageurs.fr>"
    assert message.status == InboundStatus.FILED and message.customer == helene
    assert message.received_at == arrived
    request = message.request
    assert request.customer == helene and request.channel == "email"
    assert request.agency == agency_lyon and request.assignee == agent
    assert request.deadline == deadline_for(
        agency=agency_lyon, channel="email", start=arrived, segment=helene.segment
    )
    assert "refusée aux valideurs" in message.touchpoint.summary
    # marked read on the server once stored; the mailbox remembers its poll
    assert imap_server["lyon"].unseen() == []
    mailbox.refresh_from_db()
    assert mailbox.last_error == "" and mailbox.last_polled_at is not None
    with imap_server["lyon"].client() as box:
        assert mailbox.uidvalidity == int(box.folder.status("INBOX")["UIDVALIDITY"])
    assert message.uidvalidity == mailbox.uidvalidity and message.uid == 1


def test_a_message_polled_twice_and_received_by_two_mailboxes_is_stored_once(
    db, imap_server, imap_mailbox, agency_lyon, agency_villeurbanne, helene
):
    lyon = imap_mailbox(agency_lyon, "lyon")
    network = imap_mailbox(agency_villeurbanne, "reseau", network=True)
    raw = mails.mail(message_id="<copie-aux-deux@voyageurs.fr>")
    imap_server["lyon"].deliver(raw)
    imap_server["reseau"].deliver(raw)

    first = mailbox_poll(lyon)
    # marked unread again by someone on the server: fetched again, recognised
    with imap_server["lyon"].client() as box:
        box.folder.set("INBOX")
        box.flag(box.uids("ALL"), "\\Seen", False)
    again = mailbox_poll(lyon)
    other = mailbox_poll(network)

    assert (first.stored, again.stored, again.already) == (1, 0, 1)
    assert (other.stored, other.already) == (0, 1)
    message = InboundMessage.objects.get()
    assert message.mailbox == lyon and message.customer == helene
    assert Request.objects.filter(customer=helene).count() == 1
    assert imap_server["lyon"].unseen() == [] and imap_server["reseau"].unseen() == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_poller_killed_mid_batch_loses_nothing(reference_data, imap_server, imap_mailbox):
    from agences.models import Agency

    agency = Agency.objects.create(name="Lyon Part-Dieu", city="Lyon")
    mailbox = imap_mailbox(agency)
    for number in range(1, 11):
        imap_server["lyon"].deliver(
            mails.mail(
                sender=f"Voyageur n° {number} <voyageur{number}@exemple.fr>",
                subject=f"Question n° {number} sur la ligne C3",
                message_id=f"<question-{number}@voyageurs.fr>",
            )
        )

    # batches of 4: the first batch is committed and marked read; the 5th and 6th are
    # committed, then the process dies before marking them
    child = poll_in_child(mailbox, kill_after=6, batch=4)

    assert child.returncode == -signal.SIGKILL, child.stderr
    assert InboundMessage.objects.count() == 6
    assert len(imap_server["lyon"].unseen()) == 6
    wait_for_poll_lock_free(mailbox)

    result = mailbox_poll(mailbox)

    assert (result.stored, result.already, result.failed) == (4, 2, 0)
    ids = list(InboundMessage.objects.values_list("message_id", flat=True))
    assert sorted(ids) == sorted(f"<question-{number}@voyageurs.fr>" for number in range(1, 11))
    assert imap_server["lyon"].unseen() == []
    assert set(InboundMessage.objects.values_list("status", flat=True)) == {"unidentified"}


def test_broken_messages_are_stored_flagged_and_never_block_the_others(
    db, imap_server, imap_mailbox, agency_lyon, helene
):
    mailbox = imap_mailbox(agency_lyon)
    for raw in (
        mails.broken_boundary(),
        mails.raw_8bit_headers(),
        mails.latin1_subject(),
        mails.big_attachment(),
        mails.html_with_script(),
        mails.JUNK,
        mails.mail(message_id="<la-bonne@voyageurs.fr>"),
    ):
        imap_server["lyon"].deliver(raw)

    result = mailbox_poll(mailbox)

    assert (result.stored, result.failed, result.error) == (7, 0, "")
    assert imap_server["lyon"].unseen() == []
    by_id = {message.message_id: message for message in InboundMessage.objects.all()}
    assert by_id["<bord-casse@voyageurs.fr>"].flags == [InboundFlag.MALFORMED_MIME]
    assert "oublié mon sac" in by_id["<bord-casse@voyageurs.fr>"].body_text
    assert by_id["<entetes-8bit@voyageurs.fr>"].flags == [InboundFlag.BAD_HEADER]
    assert by_id["<entetes-8bit@voyageurs.fr>"].subject == "Retard ligne C3 à Cusset, très gênant"
    assert by_id["<latin1@voyageurs.fr>"].subject == "Re: Réclamation"
    big = by_id["<gros@voyageurs.fr>"]
    assert big.flags == [InboundFlag.ATTACHMENT_TOO_LARGE]
    assert big.raw_size > 30 * 1024 * 1024 and len(big.raw) < 10_000
    (video,) = big.attachments.all()
    assert (video.filename, video.refused, video.content) == (
        "incident.mp4",
        InboundFlag.ATTACHMENT_TOO_LARGE,
        None,
    )
    html = by_id["<html-script@voyageurs.fr>"]
    assert "<script" not in html.body_html and "ma carte" in html.body_text
    junk = by_id[""]
    assert junk.status == InboundStatus.MALFORMED and "aucun en-tête" in junk.error
    # kept as the server hands it (IMAP sends CRLF line ends, and no NUL byte)
    assert bytes(junk.raw).startswith(b"\x89PNG") and junk.raw_size == len(junk.raw)
    assert junk.flags == [InboundFlag.MALFORMED_MIME]
    good = by_id["<la-bonne@voyageurs.fr>"]
    assert good.status == InboundStatus.FILED and good.customer == helene


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"X-Autoreply": "yes", "Subject": "Absence du bureau"},
        {"Precedence": "bulk"},
    ],
    ids=["auto-submitted", "x-autoreply", "precedence"],
)
def test_an_auto_reply_opens_nothing(db, imap_server, imap_mailbox, agency_lyon, helene, headers):
    mailbox = imap_mailbox(agency_lyon)
    subject = headers.pop("Subject", "Réponse automatique : absente jusqu'au 12 novembre")
    imap_server["lyon"].deliver(mails.mail(subject=subject, headers=headers))

    mailbox_poll(mailbox)

    message = InboundMessage.objects.get()
    assert message.status == InboundStatus.AUTOMATIC and message.automatic_reason
    assert not Request.objects.exists()
    assert imap_server["lyon"].unseen() == []


@pytest.mark.parametrize(
    ("text", "kept", "quoted"),
    [
        (mails.FRENCH_REPLY, "Toujours pas de remboursement", "Votre demande de remboursement"),
        (mails.ENGLISH_REPLY, "Still no refund", "Your refund request"),
    ],
    ids=["français", "english"],
)
def test_a_reply_files_its_new_part_without_the_quote(
    db, imap_server, imap_mailbox, agency_lyon, helene, text, kept, quoted
):
    mailbox = imap_mailbox(agency_lyon)
    imap_server["lyon"].deliver(mails.mail(subject="Re: Remboursement", text=text))

    mailbox_poll(mailbox)

    message = InboundMessage.objects.get()
    assert kept in message.reply_text and quoted not in message.reply_text
    assert "Maréchal" not in message.reply_text and "Helen" not in message.reply_text
    assert quoted in message.body_text
    summary = message.touchpoint.summary
    assert kept in summary and quoted not in summary


def test_a_message_that_cannot_be_filed_stays_stored_with_its_error(
    db, imap_server, imap_mailbox, agency_lyon, helene
):
    mailbox = imap_mailbox(agency_lyon)
    # the reason a mail opens its request with is gone: filing a customer's mail fails
    Reason.objects.filter(code="other").delete()
    imap_server["lyon"].deliver(mails.mail(message_id="<sans-motif@voyageurs.fr>"))
    imap_server["lyon"].deliver(
        mails.mail(sender="Inconnu <inconnu@exemple.fr>", message_id="<inconnu@voyageurs.fr>")
    )

    result = mailbox_poll(mailbox)

    assert (result.stored, result.failed) == (2, 0)
    failed = InboundMessage.objects.get(message_id="<sans-motif@voyageurs.fr>")
    assert failed.status == InboundStatus.RECEIVED and failed.touchpoint is None
    assert "DoesNotExist" in failed.error
    other = InboundMessage.objects.get(message_id="<inconnu@voyageurs.fr>")
    assert other.status == InboundStatus.UNIDENTIFIED
    assert imap_server["lyon"].unseen() == []


def test_a_mailbox_out_of_reach_records_why_and_the_others_are_polled(
    db, imap_server, imap_mailbox, agency_lyon, helene, monkeypatch
):
    closed_port = imap_mailbox(agency_lyon, "lyon", name="Port fermé", address="a@x.fr", port=1)
    no_password = imap_mailbox(
        agency_lyon, "lyon", name="Sans mot de passe", address="b@x.fr", password_env="RC_ABSENT"
    )
    monkeypatch.delenv("RC_ABSENT", raising=False)
    wrong_password = imap_mailbox(agency_lyon, "reseau", name="Mauvais mot de passe")
    monkeypatch.setenv(wrong_password.password_env, "pas-le-bon")
    working = imap_mailbox(agency_lyon, "lyon")
    imap_server["lyon"].deliver(mails.mail())

    results = {result.mailbox: result for result in mailboxes_poll()}

    assert results[working.name].stored == 1
    assert results[closed_port.name].error.startswith(
        f"Serveur IMAP 127.0.0.1:1 injoignable : [Errno {errno.ECONNREFUSED}]"
    )
    assert results[no_password.name].error == (
        "La variable d'environnement RC_ABSENT (mot de passe de la boîte) n'est pas définie."
    )
    assert results[wrong_password.name].error == (
        "Identification refusée par le serveur IMAP pour « reseau » : "
        "[AUTHENTICATIONFAILED] Authentication failed."
    )
    for mailbox in (closed_port, no_password, wrong_password, working):
        mailbox.refresh_from_db()
        assert mailbox.last_polled_at is not None
        assert mailbox.last_error == results[mailbox.name].error[:300]


def test_one_poller_per_mailbox_at_a_time(db, imap_server, imap_mailbox, agency_lyon):
    mailbox = imap_mailbox(agency_lyon)
    imap_server["lyon"].deliver(mails.mail())
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with side.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [POLL_LOCK, mailbox.pk])
        busy = mailbox_poll(mailbox)
    finally:
        side.close()

    assert busy.busy and busy.stored == 0
    assert not InboundMessage.objects.exists() and len(imap_server["lyon"].unseen()) == 1
    assert mailbox_poll(mailbox).stored == 1


def test_a_batch_holds_a_bounded_number_of_bytes_a_larger_message_alone():
    sizes = {"1": 100, "2": 100, "3": 5000, "4": 100, "5": 900, "6": 50}
    groups = list(_groups(list(sizes), sizes, budget=1000))
    assert groups == [["1", "2"], ["3"], ["4", "5"], ["6"]]


def test_small_batches_store_everything(db, imap_server, imap_mailbox, agency_lyon, settings):
    settings.MAIL_POLL_BATCH = 3
    settings.MAIL_POLL_BATCH_BYTES = 3000
    mailbox = imap_mailbox(agency_lyon)
    for number in range(7):
        imap_server["lyon"].deliver(mails.mail(subject=f"Message n° {number}"))
    imap_server["lyon"].deliver(mails.mail(subject="Long", text="Très long récit. " * 1000))

    result = mailbox_poll(mailbox)

    assert result.stored == 8 and imap_server["lyon"].unseen() == []
    assert sorted(InboundMessage.objects.values_list("uid", flat=True)) == list(range(1, 9))


def test_without_dovecot_the_tests_say_how_in_one_line(monkeypatch, tmp_path):
    monkeypatch.setattr(imap_server_module, "DOVECOT", str(tmp_path / "absent"))
    with pytest.raises(pytest.fail.Exception) as failure:
        imap_server_module.imap_server_start(tmp_path)
    assert str(failure.value) == (
        "Dovecot is missing for the IMAP tests: apt-get install dovecot-imapd"
    )
