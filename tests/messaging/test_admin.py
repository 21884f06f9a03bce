"""The mailboxes in the admin (last poll, last error, never a password) and the messages
received, read only; the poll runs every minute."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from relation_client.messaging.models import InboundAttachment, InboundMessage, Mailbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("emilie", password="Émilie-42-admin")
    client.force_login(user)
    return client


def _form(agency, **values) -> dict:
    return {
        "name": "Agence Part-Dieu",
        "address": "partdieu@tcl-exemple.fr",
        "agency": agency.pk,
        "active": "on",
        "kind": "imap",
        "host": "imap.tcl-exemple.fr",
        "port": 993,
        "use_ssl": "on",
        "username": "partdieu",
        "password_env": "MAILBOX_PARTDIEU_PASSWORD",
        "folder": "INBOX",
        "maildir_path": "",
        **values,
    }


def test_mailboxes_are_listed_with_their_last_poll_and_error(admin_client, agency_lyon):
    Mailbox.objects.create(
        name="Agence Part-Dieu",
        address="partdieu@tcl-exemple.fr",
        agency=agency_lyon,
        last_polled_at=timezone.now(),
        last_error="Serveur IMAP imap.tcl-exemple.fr:993 injoignable : délai dépassé",
    )
    page = admin_client.get(reverse("admin:messaging_mailbox_changelist")).content.decode()
    assert "Agence Part-Dieu" in page
    assert "injoignable : délai dépassé" in page and "Dernière relève" in page


def test_the_form_names_the_password_variable_and_never_takes_a_password(
    admin_client, agency_lyon, monkeypatch
):
    add = reverse("admin:messaging_mailbox_add")
    page = admin_client.get(add).content.decode()
    assert 'name="password_env"' in page
    assert 'type="password"' not in page and 'name="password"' not in page

    refused = admin_client.post(add, _form(agency_lyon, password_env="Soleil2026!"))
    assert refused.status_code == 200 and "jamais le mot de passe lui-même" in refused.text
    assert not Mailbox.objects.exists()

    monkeypatch.delenv("MAILBOX_PARTDIEU_PASSWORD", raising=False)
    saved = admin_client.post(add, _form(agency_lyon), follow=True)
    mailbox = Mailbox.objects.get()
    assert mailbox.password_env == "MAILBOX_PARTDIEU_PASSWORD"
    assert "MAILBOX_PARTDIEU_PASSWORD n&#x27;est pas définie pour ce serveur" in saved.text


def test_an_imap_mailbox_needs_its_server_and_a_maildir_its_path(admin_client, agency_lyon):
    add = reverse("admin:messaging_mailbox_add")
    imap = admin_client.post(add, _form(agency_lyon, host="", password_env=""))
    assert imap.text.count("Obligatoire pour une boîte IMAP.") == 2
    maildir = admin_client.post(add, _form(agency_lyon, kind="maildir"))
    assert "Obligatoire pour un Maildir." in maildir.text
    assert not Mailbox.objects.exists()


def test_messages_received_are_read_only(admin_client, agency_lyon):
    message = InboundMessage.objects.create(
        source="imap",
        subject="Carte Técély refusée",
        sender_address="helene.marechal@exemple.fr",
        received_at=timezone.now(),
        raw=b"From: x\r\n\r\nsecret brut",
        raw_size=22,
        flags=["attachment_too_large"],
    )
    InboundAttachment.objects.create(
        message=message,
        filename="incident.mp4",
        content_type="video/mp4",
        size=31457280,
        refused="attachment_too_large",
    )
    listing = admin_client.get(reverse("admin:messaging_inboundmessage_changelist"))
    assert "Carte Técély refusée" in listing.text
    assert admin_client.get(reverse("admin:messaging_inboundmessage_add")).status_code == 403
    page = admin_client.get(reverse("admin:messaging_inboundmessage_change", args=[message.pk]))
    assert page.status_code == 200 and "incident.mp4" in page.text
    assert 'name="subject"' not in page.text and "secret brut" not in page.text


def test_the_mailboxes_are_polled_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["messaging-mailboxes-poll"]
    assert entry["task"] == "relation_client.messaging.tasks.mailboxes_poll"
    assert entry["schedule"].minute == set(range(60))
    from relation_client.celery import app

    app.loader.import_default_modules()  # what a worker does at start: autodiscovery
    assert entry["task"] in app.tasks


def test_the_task_polls_every_active_mailbox(agency_lyon, tmp_path):
    from relation_client.messaging.tasks import mailboxes_poll

    Mailbox.objects.create(
        name="Maildir local",
        address="local@tcl-exemple.fr",
        agency=agency_lyon,
        kind="maildir",
        maildir_path=str(tmp_path / "absent"),
    )
    Mailbox.objects.create(
        name="Arrêtée", address="arret@tcl-exemple.fr", agency=agency_lyon, active=False
    )
    (result,) = mailboxes_poll()
    assert result["mailbox"] == "Maildir local" and "Aucun Maildir" in result["error"]
