"""In a real browser: an agent opens "Messages à identifier" from the navigation, creates
the sender's record from a message in one step and lands on the new request, then reads
the message; a colleague attaches another message to an existing customer found by name
(typed ahead with htmx)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from relation_client.messaging.models import (
    InboundAttachment,
    InboundMessage,
    InboundStatus,
    Mailbox,
)
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = "/tmp/unident-{}.png"


@pytest.fixture
def waiting(agency_lyon):
    """Two messages nobody recognised, in Lyon's mailbox and in the network's."""
    lyon = Mailbox.objects.create(
        name="Agence Lyon Part-Dieu", address="lyon@tcl-exemple.fr", agency=agency_lyon
    )
    network = Mailbox.objects.create(
        name="Réseau TCL", address="contact@tcl-exemple.fr", agency=agency_lyon, network=True
    )
    now = timezone.now()
    noel = InboundMessage.objects.create(
        source="imap",
        mailbox=network,
        message_id="<a1@exemple.fr>",
        sender_address="noel.bezier@exemple.fr",
        sender_name="BÉZIER Noël",
        to_address="contact@tcl-exemple.fr",
        subject="Abonnement Tout Lyon débité deux fois",
        sent_at=now - datetime.timedelta(hours=2, minutes=3),
        received_at=now - datetime.timedelta(hours=2),
        body_text="Bonjour,\n\nMon abonnement Tout Lyon a été débité deux fois ce mois-ci.\n"
        "Pouvez-vous me rembourser le second prélèvement ?\n\nNoël Bézier\n\n"
        "> Le 2 mars, TCL a écrit :\n> Votre abonnement est renouvelé.",
        reply_text="Bonjour,\n\nMon abonnement Tout Lyon a été débité deux fois ce mois-ci.\n"
        "Pouvez-vous me rembourser le second prélèvement ?",
        body_html="<p>Bonjour,</p><p>Mon abonnement <b>Tout Lyon</b> a été débité "
        "<i>deux fois</i> ce mois-ci.</p><p>Pouvez-vous me rembourser ?</p>"
        '<img src="https://pistage.exemple.net/ouvert.gif" alt="">',
        status=InboundStatus.UNIDENTIFIED,
    )
    InboundAttachment.objects.create(
        message=noel,
        filename="relevé bancaire mars.pdf",
        content_type="application/pdf",
        size=18_432,
        content=b"%PDF-1.4\n%%EOF\n",
    )
    InboundAttachment.objects.create(
        message=noel,
        filename="facture.exe",
        content_type="application/x-msdownload",
        size=48_213,
        refused="attachment_refused",
    )
    helene = InboundMessage.objects.create(
        source="imap",
        mailbox=lyon,
        message_id="<a2@exemple.fr>",
        sender_address="h.dupont.perso@exemple.fr",
        sender_name="Hélène D.",
        to_address="lyon@tcl-exemple.fr",
        subject="Ascenseur en panne à Bellecour",
        received_at=now - datetime.timedelta(minutes=30),
        body_text="L'ascenseur de la station Bellecour est encore en panne ce matin.",
        status=InboundStatus.UNIDENTIFIED,
    )
    return noel, helene


def sign_in(page, username: str, first_name: str):
    page.goto("/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(f"Bonjour, {first_name}")


def test_create_the_senders_record_in_one_step_and_read_the_message(page, agent, waiting):
    noel, _helene = waiting
    sign_in(page, "camille", "Camille")
    nav = page.get_by_role("navigation", name="Navigation principale")
    expect(nav.get_by_role("link", name="Messages 2 à identifier")).to_be_visible()
    nav.get_by_role("link", name="Messages 2 à identifier").click()

    expect(page.locator("h1")).to_have_text("Messages à identifier")
    item = page.locator(f"#message-{noel.pk}")
    expect(item).to_contain_text("BÉZIER Noël")
    expect(item).to_contain_text("<noel.bezier@exemple.fr>")
    expect(item).to_contain_text("Réseau TCL (réseau)")
    page.screenshot(path=SHOTS.format("liste"), full_page=True)
    # the bar's new entry and its count fit: the page does not scroll sideways
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    item.get_by_text("Rattacher à un client ou créer la fiche").click()
    field = f"#id_fiche-{noel.pk}-{{}}"
    expect(item.locator(field.format("first_name"))).to_have_value("Noël")
    expect(item.locator(field.format("last_name"))).to_have_value("Bézier")
    expect(item.locator(field.format("email"))).to_have_value("noel.bezier@exemple.fr")
    page.screenshot(path=SHOTS.format("liste-ouverte"), full_page=True)
    item.get_by_role("button", name="Créer la fiche").click()

    expect(page.get_by_text("Fiche de Noël Bézier créée, avec son message.")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("Abonnement Tout Lyon débité deux fois")
    noel.refresh_from_db()
    assert noel.status == InboundStatus.FILED and noel.customer.last_name == "Bézier"
    assert page.url.endswith(f"/demandes/{noel.request_id}/")
    page.get_by_role("link", name="Voir le message").click()

    expect(page.locator("h1")).to_have_text("Abonnement Tout Lyon débité deux fois")
    expect(page.get_by_text("Classé", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Télécharger relevé bancaire mars.pdf")).to_be_visible()
    expect(page.get_by_text("Refusée : Type de pièce jointe refusé")).to_be_visible()
    page.get_by_text("Version mise en forme").click()
    expect(page.locator(".message-html b")).to_have_text("Tout Lyon")
    page.get_by_text("Texte complet, avec les citations").click()
    expect(page.get_by_text("> Le 2 mars, TCL a écrit :")).to_be_visible()
    page.screenshot(path=SHOTS.format("message"), full_page=True)


def test_attach_a_message_to_a_customer_found_by_name(page, colleague_lyon, helene, waiting):
    _noel, message = waiting
    sign_in(page, "karim", "Karim")
    page.goto(f"/messages/{message.pk}/")
    expect(page.locator("h1")).to_have_text("Ascenseur en panne à Bellecour")
    expect(page.get_by_role("heading", name="Identifier l'expéditeur")).to_be_visible()
    page.screenshot(path=SHOTS.format("message-a-identifier"), full_page=True)
    page.get_by_role("link", name="← Messages à identifier").click()
    item = page.locator(f"#message-{message.pk}")
    item.get_by_text("Rattacher à un client ou créer la fiche").click()
    item.get_by_label("Nom, téléphone, e-mail ou numéro de carte").press_sequentially(
        "Dupont-Lefev", delay=20
    )
    attach = item.get_by_role("button", name="Rattacher à Mme Hélène Dupont-Lefèvre")
    expect(attach).to_be_visible()  # typed ahead, no page load
    page.screenshot(path=SHOTS.format("recherche"), full_page=True)
    attach.click()

    expect(page.get_by_text("Message rattaché à Mme Hélène Dupont-Lefèvre")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("Ascenseur en panne à Bellecour")
    message.refresh_from_db()
    assert message.customer_id == helene.pk and message.filed_by == colleague_lyon
    expect(page.get_by_role("link", name="Mme Hélène Dupont-Lefèvre")).to_be_visible()
