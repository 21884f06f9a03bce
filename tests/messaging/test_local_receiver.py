"""The local mail receiver of `make run`: a real SMTP server on the loopback that delivers
each mail it accepts once into the demo Maildir, which seed_demo's network mailbox points
at; and the DEBUG-only page of the mails sent."""

import email
import email.policy
import mailbox
import smtplib
import socket
from email.headerregistry import Address
from email.message import EmailMessage

import pytest
from django.core.management import call_command
from django.urls import reverse

from agences import roles
from demo.seed.messaging import demo_seed_mailboxes
from relation_client.customers.models import ContactPoint
from relation_client.embedded import launcher, paths, smtp
from relation_client.messaging import outbox
from relation_client.messaging.models import (
    Mailbox,
    MailboxKind,
    OutboundMessage,
    OutboundPurpose,
    OutboundStatus,
)

# the demo customer the README's `mail` example writes as
README_SENDER = "helene.dupont-lefevre@orange.example"
SUBJECT = "Ma carte Técély est bloquée — déjà trois jours"
TEXT = (
    "Bonjour,\n\nMa carte est refusée aux valideurs depuis lundi à Perrache.\n\nHélène Maréchal\n"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def demo_maildir(tmp_path, monkeypatch):
    """The embedded data folder's Maildir and port file, for this test only: make run's
    own (.data/) are never touched."""
    monkeypatch.setattr(paths, "MAILDIR", tmp_path / "maildir")
    monkeypatch.setattr(smtp, "PORT_FILE", tmp_path / "mail-receiver.port")
    return tmp_path / "maildir"


@pytest.fixture
def receiver(demo_maildir):
    """The receiver started as `make run` starts it (launcher), on a free port."""
    started, banner = launcher._mail_receiver(_free_port())
    assert started is not None, "the receiver did not start"
    yield started
    started.stop()


def _customer_mail() -> EmailMessage:
    message = EmailMessage()
    message["From"] = Address("Hélène Maréchal", addr_spec="helene.marechal@exemple.fr")
    message["To"] = smtp.DEMO_ADDRESS
    message["Subject"] = SUBJECT
    message["Message-ID"] = "<carte-bloquee.1@exemple.fr>"
    message.set_content(TEXT)
    return message


def _delivered(maildir) -> list[email.message.EmailMessage]:
    """What the Maildir holds, each message parsed from its bytes as sent."""
    box = mailbox.Maildir(maildir, create=False)
    keys = box.keys()
    return [
        email.message_from_bytes(box.get_bytes(key), policy=email.policy.default) for key in keys
    ]


def test_a_mail_sent_over_smtp_lands_once_in_the_maildir_headers_intact(receiver, demo_maildir):
    with smtplib.SMTP("127.0.0.1", receiver.port, timeout=10) as client:
        refused = client.send_message(_customer_mail())
    assert refused == {}

    (delivered,) = _delivered(demo_maildir)
    # delivered whole into new/ (tmp/ left empty: never a half-written message)
    assert len(list((demo_maildir / "new").iterdir())) == 1
    assert list((demo_maildir / "tmp").iterdir()) == []
    assert delivered["Subject"] == SUBJECT
    assert delivered["From"].addresses[0].display_name == "Hélène Maréchal"
    assert delivered["From"].addresses[0].addr_spec == "helene.marechal@exemple.fr"
    assert delivered["To"] == smtp.DEMO_ADDRESS
    assert delivered["Message-ID"] == "<carte-bloquee.1@exemple.fr>"
    assert delivered["Return-Path"] == "<helene.marechal@exemple.fr>"
    assert delivered.get_body(preferencelist=("plain",)).get_content() == TEXT


def test_make_runs_receiver_stops_and_says_where_it_listens(demo_maildir):
    port = _free_port()
    started, banner = launcher._mail_receiver(port)
    assert started.port == port and smtp.port_running() == port
    assert f"127.0.0.1:{port}" in banner and str(demo_maildir) in banner

    started.stop()

    assert smtp.port_running() is None
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0, "still listening after stop"


def test_a_busy_port_moves_to_the_next_free_one(demo_maildir):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        started, banner = launcher._mail_receiver(taken)
        try:
            assert started.port > taken
            assert f"127.0.0.1:{started.port} ({taken} était occupé)" in banner
            assert smtp.port_running() == started.port
        finally:
            started.stop()


def test_a_bad_receiver_port_is_one_line_naming_the_variable():
    with pytest.raises(smtp.MailReceiverError, match="MAIL_RECEIVER_PORT"):
        smtp.port_wanted({"MAIL_RECEIVER_PORT": "vingt-cinq"})
    assert smtp.port_wanted({}) == 2525
    assert smtp.port_wanted({"MAIL_RECEIVER_PORT": "2600"}) == 2600


def test_the_mail_command_of_the_readme_sends_through_the_receiver(receiver, demo_maildir):
    status = smtp.mail_command(
        ["--from", "helene.marechal@exemple.fr", "--name", "Hélène Maréchal", SUBJECT]
    )

    assert status == 0
    (delivered,) = _delivered(demo_maildir)
    assert delivered["To"] == smtp.DEMO_ADDRESS
    assert delivered["Subject"] == SUBJECT
    assert delivered["Message-ID"].endswith("@exemple.fr>")
    assert "Ma carte Técély est bloquée" in delivered.get_body().get_content()


def test_seed_demo_points_the_network_mailbox_at_the_receivers_maildir(db, demo_maildir, receiver):
    call_command("seed_demo", customers=10)
    call_command("seed_demo", customers=10)

    (box,) = Mailbox.objects.all()
    assert box.kind == MailboxKind.MAILDIR and box.network and box.active
    assert box.address == smtp.DEMO_ADDRESS
    assert box.agency.name == "Lyon Part-Dieu"
    assert box.maildir_path == str(demo_maildir)
    # what the receiver of make run delivers, the mailbox's path reads
    with smtplib.SMTP("127.0.0.1", receiver.port, timeout=10) as client:
        client.send_message(_customer_mail())
    (delivered,) = _delivered(box.maildir_path)
    assert delivered["Subject"] == SUBJECT
    # a clone moved elsewhere: the next seed gives the mailbox its path back
    Mailbox.objects.update(maildir_path="/ancien/clone/.data/maildir")
    assert demo_seed_mailboxes() == 0
    assert Mailbox.objects.get().maildir_path == str(demo_maildir)
    # the README's example writes as Hélène Dupont-Lefèvre: a known sender, a request opens
    assert ContactPoint.objects.filter(
        customer__last_name="Dupont-Lefèvre", kind="email", value=README_SENDER
    ).exists()


# ---- the DEBUG page of the mails sent ------------------------------------------------


@pytest.fixture
def administrator(make_staff, agency_lyon):
    return make_staff("emilie", "Émilie Chauvin", roles.ADMINISTRATOR, agency_lyon)


@pytest.fixture
def answer(db):
    message = outbox.message_queue(
        channel="email",
        purpose=OutboundPurpose.ANSWER,
        to_address="helene.marechal@exemple.fr",
        subject="Votre carte Técély [RC-000042]",
        body_text="Bonjour Madame Maréchal,\n\nVotre nouvelle carte vous attend à l'agence.",
        from_address="Agence de Lyon <lyon@demo.relation-client.fr>",
    )
    OutboundMessage.objects.filter(pk=message.pk).update(status=OutboundStatus.SENT)
    return message


def test_the_debug_page_lists_the_mails_sent(login, administrator, answer, settings):
    settings.DEBUG = True
    page = login(administrator).get(reverse("dev_sent_mails"))

    assert page.status_code == 200
    html = page.content.decode()
    assert "helene.marechal@exemple.fr" in html
    assert "Votre carte Técély [RC-000042]" in html
    assert "Votre nouvelle carte vous attend" in html
    assert "Envoyé" in html and "Réponse à une demande" in html


def test_the_debug_page_does_not_exist_without_debug(login, administrator, answer, settings):
    settings.DEBUG = False
    assert login(administrator).get(reverse("dev_sent_mails")).status_code == 404


def test_the_debug_page_is_for_administrators_only(client, login, agent, answer, settings):
    settings.DEBUG = True
    anonymous = client.get(reverse("dev_sent_mails"))
    assert anonymous.status_code == 302 and reverse("login") in anonymous["Location"]
    client.logout()
    assert login(agent).get(reverse("dev_sent_mails")).status_code == 403
