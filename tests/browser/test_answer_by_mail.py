"""An agent answers a customer's mail from the request page, with the keyboard: a few
letters find the canned answer, Enter puts it in the message, she adds a sentence and
sends; the real worker hands it to a real SMTP server, and the page shows it sent. A
supervisor writes the canned answer first, and is told about the variable she mistyped."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from relation_client.messaging.answer_templates import answer_template_save
from relation_client.messaging.inbound import inbound_file
from relation_client.messaging.models import AnswerTemplate, InboundMessage, Mailbox
from relation_client.touchpoints.models import Reason
from tests.browser.conftest import ARTIFACTS
from tests.conftest import PASSWORD
from tests.factories import CustomerFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(page, username: str, name: str) -> None:
    page.goto("/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.keyboard.press("Enter")
    # supervisors land on the queue, agents on their inbox: the bar names them on both
    expect(page.locator("nav.navbar-rc")).to_contain_text(name)


@pytest.fixture
def mail_request(agency_lyon, agent, supervisor_lyon):
    """Hélène Maréchal wrote to the Lyon mailbox about a tram that did not run; a canned
    answer for complaints exists."""
    Mailbox.objects.create(
        name="Agence de Lyon", address="lyon@tcl-exemple.fr", agency=agency_lyon, kind="maildir"
    )
    CustomerFactory(
        first_name="Hélène",
        last_name="Maréchal",
        civility="mme",
        emails=["helene.marechal@exemple.fr"],
        home_agency=agency_lyon,
        usual_contact=agent,
    )
    mail = inbound_file(
        message=InboundMessage.objects.create(
            source="maildir",
            mailbox=Mailbox.objects.get(),
            message_id="<tram.samedi@voyageur.exemple.fr>",
            sender_address="helene.marechal@exemple.fr",
            sender_name="Hélène Maréchal",
            subject="Tram T1 supprimé samedi",
            body_text="Bonjour, le tram T1 ne circulait pas samedi matin. Suis-je remboursée ?",
            received_at=timezone.now() - datetime.timedelta(hours=3),
        )
    )
    answer_template_save(
        by=supervisor_lyon,
        title="Remboursement d'un trajet",
        reason=Reason.objects.get(code="other"),
        body="Votre demande {reference} est enregistrée : vous serez remboursée avant le "
        "{echeance}.",
    )
    answer_template_save(by=supervisor_lyon, title="Horaires d'été", body="Les horaires changent.")
    return mail.request


def test_an_agent_answers_a_mail_with_a_canned_answer_using_the_keyboard(
    page, smtp_server, celery_worker_process, mail_request, agent
):
    sign_in(page, "camille", "Camille")
    page.goto(f"/demandes/{mail_request.pk}/")
    body = page.get_by_label("Message", exact=True)
    expect(body).to_have_value(
        "Bonjour Madame Maréchal,\n\n\n\nBien cordialement,\n\nCamille Rousseau\n"
        "Agence Lyon Part-Dieu"
    )
    expect(page.get_by_label("Objet")).to_have_value(
        f"Re: Tram T1 supprimé samedi [{mail_request.reference}]"
    )
    page.screenshot(path=ARTIFACTS / "reponse-mail-formulaire.png", full_page=True)

    # a few letters, the arrow down to the first answer found, Enter
    page.get_by_label("Partir d'une réponse type").press_sequentially("rembou", delay=40)
    option = page.locator("[data-answer-option]").first
    expect(option).to_contain_text("Remboursement d'un trajet")
    expect(page.locator("#reponses-types")).to_contain_text("1 réponse type")
    page.keyboard.press("ArrowDown")
    expect(option).to_be_focused()
    page.keyboard.press("Enter")
    expect(body).to_be_focused()
    value = body.input_value()
    assert value.startswith(
        f"Bonjour Madame Maréchal,\n\nVotre demande {mail_request.reference} est enregistrée"
    )
    assert value.endswith("Bien cordialement,\n\nCamille Rousseau\nAgence Lyon Part-Dieu")

    # she adds a sentence before the canned text, then Tab to the button and Enter
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.type("Toutes nos excuses pour ce samedi sans tram. ")
    page.screenshot(path=ARTIFACTS / "reponse-mail-reponse-type.png", full_page=True)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Envoyer la réponse")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#request-panel > .alert-success")).to_contain_text(
        "Réponse enregistrée : le message part vers helene.marechal@exemple.fr."
    )

    # the real worker sends it; the list on the page turns to "Envoyé" by itself
    smtp_server.wait_for(1)
    (received,) = [
        mail for mail in smtp_server.received if mail_request.reference in mail["Subject"]
    ]
    assert received["From"] == "Lyon Part-Dieu <lyon@tcl-exemple.fr>"
    assert received["In-Reply-To"] == "<tram.samedi@voyageur.exemple.fr>"
    text = received.text.replace("\r\n", "\n")
    assert text.startswith(
        "Bonjour Madame Maréchal,\n\nToutes nos excuses pour ce samedi sans tram. Votre demande"
    )
    assert "Camille Rousseau\nAgence Lyon Part-Dieu" in text
    expect(page.locator("#envois-demande [data-status]").first).to_have_text(
        "Envoyé", timeout=15_000
    )
    expect(page.locator("#request-panel dd").nth(1)).to_contain_text("Répondue")
    expect(page.locator("#titre-contacts + ol")).to_contain_text(
        "Réponse par e-mail à helene.marechal@exemple.fr"
    )
    page.screenshot(path=ARTIFACTS / "reponse-mail-envoyee.png", full_page=True)


def test_a_supervisor_writes_a_canned_answer_and_is_told_of_a_mistyped_variable(
    page, supervisor_lyon
):
    sign_in(page, "nathalie", "Nathalie")
    page.goto("/reponses-types/")
    page.get_by_role("link", name="Nouvelle réponse type").click()
    page.get_by_label("Titre").fill("Carte Técély débloquée")
    page.get_by_label("Motif").select_option(label="Réclamation")
    page.get_by_label("Texte", exact=True).fill(
        "Votre carte est débloquée, {prénom}. Référence : {reference}."
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".invalid-feedback")).to_contain_text(
        "Variable inconnue : {prénom}. Variables possibles : {salutation}"
    )
    page.screenshot(path=ARTIFACTS / "reponses-types-erreur.png", full_page=True)
    page.get_by_label("Texte", exact=True).fill(
        "Votre carte est débloquée, {salutation}. Référence : {reference}."
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Réponse type « Carte Técély débloquée » enregistrée."
    )
    expect(page.get_by_role("table", name="Réponses types, par titre")).to_contain_text(
        "Carte Técély débloquée"
    )
    page.screenshot(path=ARTIFACTS / "reponses-types-liste.png", full_page=True)
    assert AnswerTemplate.objects.get().reason.code == "complaint"


def test_a_mail_given_up_shows_on_the_request_alerts_and_is_tried_again(
    page, smtp_server, settings, mail_request, agent
):
    from relation_client.messaging import answers, outbox

    settings.OUTBOX_MAX_ATTEMPTS = 1
    smtp_server.refuse = True
    message = answers.answer_send(
        request=mail_request, by=agent, body="Bonjour Madame Maréchal,\n\nC'est réglé."
    )
    assert outbox.outbound_send(message_id=message.pk, dispatch=message.dispatch) == "failed"

    sign_in(page, "camille", "Camille")
    page.goto("/demandes/alertes/")
    expect(page.locator("#contenu")).to_contain_text("Envoi impossible")
    expect(page.locator("#contenu")).to_contain_text(
        f"Le message à helene.marechal@exemple.fr ({mail_request.reference}) n'a pas pu être envoyé"
    )
    page.get_by_role("link", name="Voir la demande").click()
    item = page.locator(f"#envoi-{message.pk}")
    expect(item.locator("[data-status]")).to_have_text("Échec")
    expect(item).to_contain_text("Abandonné après 1 tentative : SMTPDataError")
    page.screenshot(path=ARTIFACTS / "reponse-mail-echec.png", full_page=True)

    smtp_server.refuse = False
    item.get_by_role("button", name="Réessayer").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#request-panel > .alert-success")).to_contain_text(
        "Message remis à l'envoi vers helene.marechal@exemple.fr."
    )
    expect(page.locator(f"#envoi-{message.pk} [data-status]")).to_have_text("À envoyer")
    message.refresh_from_db()
    assert outbox.outbound_send(message_id=message.pk, dispatch=message.dispatch) == "sent"
    expect(page.locator(f"#envoi-{message.pk} [data-status]")).to_have_text(
        "Envoyé", timeout=15_000
    )
    assert smtp_server.received[0]["Message-ID"] == message.message_id
