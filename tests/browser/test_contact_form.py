"""In a real browser: a visitor writes to the network from the public contact form with the
keyboard alone — errors first, said next to the fields and summarised at the top, then
sent — and sees their reference and deadline; the post passes Django's CSRF check (the
browser names the site in Origin). Then an agent of the network's agency signs in and
finds the request in the agency's queue, with the visitor's name and contact, and answers
her by mail from the request page."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from relation_client.messaging.acknowledgements import deadline_words
from relation_client.messaging.models import InboundMessage, Mailbox, OutboundMessage
from relation_client.messaging.outbox import outbound_send
from relation_client.network.models import Line
from tests.browser.conftest import ARTIFACTS
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NAME = "Aurélie Fontaine-Brûlé"
TEXT = "J'ai oublié mon parapluie bleu dans le tram T1, vers 18 h, direction IUT Feyssine."


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # the contact form's counters, in Redis
    yield
    cache.clear()


@pytest.fixture
def network_mailbox(agency_villeurbanne):
    return Mailbox.objects.create(
        name="Réseau TCL",
        address="contact@tcl-exemple.fr",
        agency=agency_villeurbanne,
        network=True,
        kind="maildir",
    )


@pytest.fixture
def lines(agency_lyon):
    """The network's lines the form offers."""
    return [
        Line.objects.create(gtfs_id=gtfs_id, short_name=name, long_name=long_name, mode=mode)
        for gtfs_id, name, long_name, mode in [
            ("C3", "C3", "Gare Saint-Paul – Vaulx-en-Velin", 3),
            ("T1", "T1", "Croix-Luizet – Perrache", 0),
        ]
    ]


def focused(page) -> str:
    return page.evaluate(
        "document.activeElement.id || document.activeElement.name"
        " || document.activeElement.textContent.trim()"
    )


def tab_to(page, target: str, limit: int = 15) -> list[str]:
    """Press Tab until `target` has the focus; the names met on the way."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(focused(page))
        if seen[-1] == target:
            return seen
    raise AssertionError(f"{target} never focused: {seen}")


def test_a_visitor_writes_with_the_keyboard_and_an_agent_answers_from_the_queue(
    page, smtp_server, network_mailbox, agency_lyon, agent_villeurbanne, lines
):
    posts = []
    page.on("request", lambda request: posts.append(request) if request.method == "POST" else None)
    response = page.goto("/contact/")
    assert response.headers["referrer-policy"] == "same-origin"
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_text("Nous écrire")
    expect(page.locator("main")).to_contain_text("Nous nous engageons à vous répondre sous")
    page.screenshot(path=ARTIFACTS / "contact-formulaire.png", full_page=True)

    # the keyboard's order: skip link, language, then the fields as they read; the
    # honeypot is never reached
    order = tab_to(page, "id_name")
    assert order[0] == "Aller au contenu" and "English" in order
    style = page.evaluate(
        "[getComputedStyle(document.activeElement).outlineStyle,"
        " getComputedStyle(document.activeElement).outlineWidth]"
    )
    assert style == ["solid", "3px"], f"no visible focus on the name field: {style}"
    page.keyboard.type(NAME)
    # sent with Enter from the name field: nothing else given yet
    page.keyboard.press("Enter")

    expect(page.locator("#erreurs")).to_be_visible()
    expect(page).to_have_title("Erreur : Nous écrire – Relation Client")
    # the summary takes the focus, and each error is tied to its field
    assert focused(page) == "erreurs"
    expect(page.locator("#erreurs")).to_contain_text("Votre message n'est pas encore envoyé")
    expect(page.locator("#id_email-erreur")).to_contain_text(
        "Indiquez une adresse e-mail ou un numéro de téléphone"
    )
    expect(page.locator("#id_email")).to_have_attribute(
        "aria-describedby", "id_email-aide id_email-erreur"
    )
    expect(page.locator("#id_email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_body")).to_have_attribute(
        "aria-describedby", "id_body-aide id_body-erreur"
    )
    expect(page.locator("#id_name")).to_have_value(NAME)
    page.screenshot(path=ARTIFACTS / "contact-erreurs.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=ARTIFACTS / "contact-erreurs-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # from the summary, its first link leads to the e-mail field
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert focused(page) == "id_email"
    page.keyboard.type("Aurelie.Fontaine@exemple.fr")
    assert tab_to(page, "id_phone") == ["id_phone"]
    page.keyboard.type("07 98 76 54 32")
    assert tab_to(page, "id_reason") == ["id_reason"]
    page.keyboard.type("Obj")  # the select's type-ahead: "Objet perdu"
    expect(page.locator("#id_reason option:checked")).to_have_text("Objet perdu")
    assert tab_to(page, "id_line") == ["id_line"]
    page.keyboard.type("T1")  # the select's type-ahead: the network's line « T1 »
    expect(page.locator("#id_line option:checked")).to_have_text("T1 — Croix-Luizet – Perrache")
    assert tab_to(page, "id_stop") == ["id_stop"]
    page.keyboard.type("IUT Feyssine")
    assert tab_to(page, "id_body") == ["id_body"]
    page.keyboard.type(TEXT)
    # the honeypot is skipped: from the message, the next stop is the button
    assert tab_to(page, "Envoyer mon message") == ["Envoyer mon message"]
    page.screenshot(path=ARTIFACTS / "contact-rempli.png", full_page=True)
    page.keyboard.press("Enter")

    expect(page.locator("h1")).to_have_text("Merci, votre message est bien arrivé")
    message = InboundMessage.objects.get()
    assert message.network_line == lines[1] and message.line == "T1"
    request = message.request
    deadline = deadline_words(request.deadline, "fr")
    expect(page.locator("main")).to_contain_text(f"référence {request.reference}")
    expect(page.locator("main")).to_contain_text(f"au plus tard le {deadline}")
    page.screenshot(path=ARTIFACTS / "contact-merci.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=ARTIFACTS / "contact-merci-390.png", full_page=True)
    page.goto("/contact/")
    page.screenshot(path=ARTIFACTS / "contact-formulaire-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # same origin: the browser named the site, so the CSRF check passed (never "null")
    assert len(posts) == 2
    for post in posts:
        assert post.all_headers()["origin"] == page.url.split("/contact")[0]
    assert message.customer is None and message.sender_address == "aurelie.fontaine@exemple.fr"
    assert request.agency == network_mailbox.agency and request.channel == "web_form"
    assert OutboundMessage.objects.get(purpose="acknowledgement").to_address == (
        "aurelie.fontaine@exemple.fr"
    )

    # the network's agency: Théo signs in and finds it in the queue
    page.goto("/connexion/")
    page.get_by_label("Identifiant").fill("theo")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Bonjour, Théo")
    page.goto("/demandes/")
    row = page.locator("main tbody tr").filter(has_text=NAME)
    expect(row).to_contain_text("Personne non identifiée")
    expect(row).to_contain_text("Formulaire web")
    page.screenshot(path=ARTIFACTS / "contact-file-agence.png", full_page=True)
    row.get_by_role("link").click()
    panel = page.locator("#request-panel")
    expect(panel).to_contain_text(TEXT)
    expect(panel).to_contain_text("aurelie.fontaine@exemple.fr · 07 98 76 54 32")
    page.screenshot(path=ARTIFACTS / "contact-demande.png", full_page=True)

    # he answers from the request page: the mail leaves to her, from the network's address
    body = page.get_by_label("Message", exact=True)
    body.focus()
    page.keyboard.press("Control+Home")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.type("Votre parapluie bleu est au service des objets trouvés de Perrache.")
    page.get_by_role("button", name="Envoyer la réponse").click()
    expect(page.locator("#request-panel > .alert-success")).to_contain_text(
        "aurelie.fontaine@exemple.fr"
    )
    answer = OutboundMessage.objects.get(purpose="answer")
    assert outbound_send(message_id=answer.pk, dispatch=answer.dispatch) == "sent"
    (received,) = smtp_server.to("aurelie.fontaine@exemple.fr")
    assert f"[{request.reference}]" in received["Subject"]
    assert received["From"].endswith("<contact@tcl-exemple.fr>")
    assert "objets trouvés de Perrache" in received.text
    request.refresh_from_db()
    assert request.status == "answered"


def test_the_english_page_from_the_language_switch(page, agency_lyon):
    page.goto("/contact/")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Write to us")
    page.get_by_label("Full name").fill("Emily Clarke")
    page.get_by_label("E-mail address").fill("emily.clarke@example.co.uk")
    page.get_by_label("What your message is about").select_option(label="Lost property")
    page.get_by_role("textbox", name="Your message").fill(
        "I left my black umbrella on tram T1 last night."
    )
    page.screenshot(path=ARTIFACTS / "contact-en.png", full_page=True)
    page.get_by_role("button", name="Send my message").click()

    expect(page.locator("h1")).to_have_text("Thank you, your message has arrived")
    request = InboundMessage.objects.get().request
    expect(page.locator("main")).to_contain_text(
        f"We will answer you by {deadline_words(request.deadline, 'en')} at the latest."
    )
    page.screenshot(path=ARTIFACTS / "contact-en-merci.png", full_page=True)
    assert OutboundMessage.objects.get().language == "en"
