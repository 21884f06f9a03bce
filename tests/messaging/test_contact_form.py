"""The public contact form (/contact/): what a visitor sends opens a request at once — on
the customer their e-mail or phone belongs to, else without one in the network's agency —
with the web form's deadline, and the e-mail given gets the acknowledgement (reference and
deadline, in the page's language) through the real SMTP server. Robots, floods and
oversized texts store nothing."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from relation_client.messaging import outbox
from relation_client.messaging.acknowledgements import deadline_words
from relation_client.messaging.inbound import inbound_file
from relation_client.messaging.models import (
    InboundMessage,
    InboundStatus,
    Mailbox,
    OutboundMessage,
    OutboundPurpose,
    OutboundStatus,
)
from relation_client.network.models import Line
from relation_client.touchpoints.deadlines import deadline_for
from relation_client.touchpoints.models import Request, Touchpoint
from relation_client.touchpoints.selectors import request_queue
from tests.factories import AgencyFactory, CustomerFactory
from tests.support.time import paris

URL = "/contact/"
MESSAGE = (
    "Bonjour, le bus C3 de 7 h 42 n'est pas passé à l'arrêt Hôtel de Ville ce matin, "
    "et je suis arrivée en retard au travail. Pouvez-vous m'expliquer pourquoi ?"
)


@pytest.fixture(autouse=True)
def empty_cache():
    # the brake's counters live in Redis: each test starts with none
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def line_c3(db):
    """The line the visitors name: the form offers the network's lines."""
    return Line.objects.create(
        gtfs_id="C3", short_name="C3", long_name="Gare Saint-Paul – Vaulx-en-Velin", mode=3
    )


@pytest.fixture
def network_mailbox(agency_villeurbanne):
    """The network's address, read by Villeurbanne: not the first agency by name."""
    return Mailbox.objects.create(
        name="Réseau TCL",
        address="contact@tcl-exemple.fr",
        agency=agency_villeurbanne,
        network=True,
        kind="maildir",
    )


@pytest.fixture
def helene(agency_lyon, agent):
    return CustomerFactory(
        first_name="Hélène",
        last_name="Maréchal",
        civility="mme",
        emails=["Helene.Marechal@exemple.fr"],
        phones=["06 12 34 56 78"],
        home_agency=agency_lyon,
        usual_contact=agent,
    )


def _form(reasons, **values) -> dict:
    data = {
        "name": "Hélène Maréchal",
        "email": "",
        "phone": "",
        "reason": reasons["complaint"].pk,
        "line": Line.objects.get(gtfs_id="C3").pk,
        "stop": "Hôtel de Ville",
        "body": MESSAGE,
        "website": "",
    }
    return {**data, **values}


def _web_form_deadline(request: Request) -> datetime.datetime:
    customer = request.customer
    return deadline_for(
        agency=request.agency,
        channel="web_form",
        start=request.opened_at,
        segment=customer.segment if customer and customer.segment_id else None,
    )


def _nothing_stored() -> bool:
    return not (
        InboundMessage.objects.exists()
        or Request.objects.exists()
        or Touchpoint.objects.exists()
        or OutboundMessage.objects.exists()
    )


def test_the_page_is_public_and_french_first(client, reasons):
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert "Nous écrire" in page and "Envoyer mon message" in page
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    # the public chooses among the active reasons, staff-only ones aside
    assert "Réclamation" in page and "Objet perdu" in page
    assert "Incivilité" not in page
    # every field has its label; the honeypot is out of the keyboard's way
    for name in ("name", "email", "phone", "reason", "line", "stop", "body"):
        assert f'for="id_{name}"' in page
    assert 'name="website"' in page and 'tabindex="-1"' in page
    assert "<script" not in page  # no script at all, so none inline
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]


def test_a_known_customer_by_email_gets_a_request_with_the_web_form_deadline(
    client, reasons, helene, agent, agency_lyon, network_mailbox
):
    response = client.post(URL, _form(reasons, email="HELENE.marechal@exemple.fr"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("contact:thanks"))
    message = InboundMessage.objects.get()
    assert message.source == "web_form" and message.status == InboundStatus.FILED
    assert message.customer == helene
    assert message.sender_address == "helene.marechal@exemple.fr"
    request = message.request
    assert request.customer == helene and request.channel == "web_form"
    assert request.reason == reasons["complaint"]
    # their home agency, their usual contact, the web form's commitment
    assert request.agency == agency_lyon and request.assignee == agent
    assert request.deadline == _web_form_deadline(request)
    assert request.deadline > message.received_at
    touchpoint = message.touchpoint
    assert touchpoint.customer == helene and touchpoint.contact_left == ""
    assert touchpoint.summary.startswith("Hélène Maréchal — ligne C3, arrêt Hôtel de Ville")
    assert "n'est pas passé" in touchpoint.summary


def test_a_known_customer_by_phone_only(client, reasons, helene, agency_lyon):
    response = client.post(URL, _form(reasons, phone="+33 6 12 34 56 78", line="", stop=""))

    assert response.status_code == 302
    message = InboundMessage.objects.get()
    assert message.sender_phone == "+33612345678" and message.sender_address == ""
    assert message.customer == helene
    assert message.request.customer == helene
    assert message.request.deadline == _web_form_deadline(message.request)
    # no e-mail given: nothing to acknowledge by mail
    assert not OutboundMessage.objects.exists()


def test_an_unknown_visitor_opens_a_request_without_customer_in_the_network_agency(
    client, login, reasons, helene, network_mailbox, agency_villeurbanne, agent_villeurbanne
):
    response = client.post(
        URL,
        _form(
            reasons,
            name="Aurélie Fontaine-Brûlé",
            email="aurelie.fontaine@exemple.fr",
            phone="07 98 76 54 32",
            reason=reasons["lost_property"].pk,
            body="J'ai oublié mon parapluie bleu dans le tram T1 hier soir.",
        ),
    )

    assert response.status_code == 302
    message = InboundMessage.objects.get()
    assert message.status == InboundStatus.FILED and message.customer is None
    request = message.request
    assert request.customer is None and request.status == "open"
    assert request.agency == agency_villeurbanne and request.assignee is None
    assert request.deadline == _web_form_deadline(request)
    touchpoint = message.touchpoint
    assert touchpoint.contact_left == "aurelie.fontaine@exemple.fr · 07 98 76 54 32"
    assert touchpoint.summary.startswith("Aurélie Fontaine-Brûlé — ligne C3, arrêt Hôtel de Ville")
    assert request in request_queue(agency_id=agency_villeurbanne.pk)

    queue = login(agent_villeurbanne).get(reverse("touchpoints:queue"))
    assert queue.status_code == 200
    page = queue.content.decode()
    assert "Aurélie Fontaine-Brûlé" in page and "Personne non identifiée" in page
    detail = login(agent_villeurbanne).get(request.get_absolute_url()).content.decode()
    assert "aurelie.fontaine@exemple.fr · 07 98 76 54 32" in detail


def test_an_address_two_customers_share_opens_a_request_on_the_first_agency_by_name(
    client, reasons, agency_lyon, agency_villeurbanne
):
    for first_name in ("Paul", "Inès"):
        CustomerFactory(
            first_name=first_name,
            last_name="Girard",
            emails=["famille.girard@exemple.fr"],
            home_agency=agency_lyon,
        )
    annecy = AgencyFactory(name="Annecy Bonlieu", city="Annecy")  # newest, first by name

    client.post(URL, _form(reasons, name="Inès Girard", email="famille.girard@exemple.fr"))

    message = InboundMessage.objects.get()
    assert message.customer is None and message.status == InboundStatus.FILED
    assert message.request.customer is None and message.request.agency == annecy


def test_mail_from_an_unknown_sender_still_waits_for_a_person(db, agency_lyon):
    mailbox = Mailbox.objects.create(
        name="Agence de Lyon", address="lyon@tcl-exemple.fr", agency=agency_lyon, kind="maildir"
    )
    message = InboundMessage.objects.create(
        source="maildir",
        mailbox=mailbox,
        message_id="<1.inconnu@exemple.fr>",
        sender_address="inconnu@exemple.fr",
        subject="Horaires de la ligne C3",
        body_text="Bonjour, quels sont les horaires du dimanche ?",
        received_at=timezone.now(),
    )
    assert inbound_file(message=message).status == InboundStatus.UNIDENTIFIED
    assert not Request.objects.exists()


def test_the_acknowledgement_reaches_the_smtp_server_and_the_reply_threads_back(
    client, reasons, network_mailbox, smtp_server
):
    response = client.post(
        URL,
        _form(reasons, name="Aurélie Fontaine-Brûlé", email="aurelie.fontaine@exemple.fr"),
    )
    request = InboundMessage.objects.get().request
    acknowledgement = OutboundMessage.objects.get()
    assert acknowledgement.purpose == OutboundPurpose.ACKNOWLEDGEMENT
    assert acknowledgement.channel == "email" and acknowledgement.language == "fr"
    assert acknowledgement.request == request

    status = outbox.outbound_send(message_id=acknowledgement.pk, dispatch=acknowledgement.dispatch)

    assert status == OutboundStatus.SENT
    (mail,) = smtp_server.received
    assert mail.rcpt_tos == ["aurelie.fontaine@exemple.fr"]
    assert mail["From"] == "contact@tcl-exemple.fr"  # the network's mailbox: replies are read
    assert mail["Subject"] == f"Nous avons bien reçu votre message [{request.reference}]"
    assert mail["Auto-Submitted"] == "auto-replied"
    deadline = deadline_words(request.deadline, "fr")
    assert mail.text.replace("\r\n", "\n").startswith("Bonjour Aurélie Fontaine-Brûlé,\n")
    assert f"enregistré sous la référence {request.reference}." in mail.text
    assert f"Nous vous répondrons au plus tard le {deadline}." in mail.text
    assert "parapluie" not in mail.text and "n'est pas passé" not in mail.text  # never echoed
    # the thank-you page says the same
    thanks = client.get(response["Location"]).content.decode()
    assert request.reference in thanks and deadline in thanks

    # the visitor answers the acknowledgement: the mail joins their request
    reply = InboundMessage.objects.create(
        source="maildir",
        mailbox=network_mailbox,
        message_id="<reponse.1@exemple.fr>",
        in_reply_to=mail["Message-ID"],
        sender_address="aurelie.fontaine@exemple.fr",
        subject=f"Re: {mail['Subject']}",
        body_text="Je précise : c'était le bus de 7 h 42.",
        received_at=timezone.now(),
    )
    assert inbound_file(message=reply).request == request
    # a stranger quoting the reference does not
    stranger = InboundMessage.objects.create(
        source="maildir",
        mailbox=network_mailbox,
        message_id="<intrus.1@exemple.fr>",
        sender_address="intrus@exemple.fr",
        subject=f"Re: [{request.reference}]",
        body_text="Bonjour",
        received_at=timezone.now(),
    )
    assert inbound_file(message=stranger).status == InboundStatus.UNIDENTIFIED


def test_a_known_customer_is_greeted_by_their_salutation(client, reasons, helene, smtp_server):
    client.post(URL, _form(reasons, name="Léna", email="helene.marechal@exemple.fr"))
    acknowledgement = OutboundMessage.objects.get()
    outbox.outbound_send(message_id=acknowledgement.pk, dispatch=acknowledgement.dispatch)
    (mail,) = smtp_server.received
    assert mail.text.replace("\r\n", "\n").startswith("Bonjour Mme Hélène Maréchal,\n")
    # no mailbox at all: the default sender
    assert "relation@exemple.fr" in mail["From"]


def test_the_english_page_sends_an_english_acknowledgement(
    client, reasons, agency_lyon, smtp_server
):
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert '<html lang="en">' in page
    assert "Write to us" in page and "Send my message" in page and "Lost property" in page
    chosen = client.get(URL + "?langue=en", HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="en">' in chosen.content.decode()
    assert chosen["Content-Language"] == "en"

    response = client.post(
        URL + "?langue=en",
        _form(reasons, name="Emily Clarke", email="emily.clarke@example.co.uk"),
    )

    request = InboundMessage.objects.get().request
    acknowledgement = OutboundMessage.objects.get()
    assert acknowledgement.language == "en"
    outbox.outbound_send(message_id=acknowledgement.pk, dispatch=acknowledgement.dispatch)
    (mail,) = smtp_server.received
    assert mail["Subject"] == f"We have received your message [{request.reference}]"
    deadline = deadline_words(request.deadline, "en")
    assert mail.text.replace("\r\n", "\n").startswith("Hello Emily Clarke,\n")
    assert f"reference {request.reference}" in mail.text
    assert f"We will answer you by {deadline} at the latest." in mail.text
    thanks = client.get(response["Location"]).content.decode()
    assert '<html lang="en">' in thanks and request.reference in thanks and deadline in thanks


def test_deadlines_are_written_the_french_and_the_english_way(db):
    this_year = timezone.localtime().year
    year = "" if this_year == 2026 else " 2026"
    assert deadline_words(paris(2026, 12, 8, 17, 30), "fr") == f"mardi 8 décembre{year} à 17 h 30"
    assert deadline_words(paris(2026, 12, 1, 9, 0), "fr") == f"mardi 1er décembre{year} à 9 h"
    assert (
        deadline_words(paris(2026, 12, 8, 17, 30), "en") == f"Tuesday 8 December{year} at 5:30 pm"
    )
    assert deadline_words(paris(2026, 12, 8, 12, 0), "en") == f"Tuesday 8 December{year} at 12 pm"
    next_year = paris(this_year + 1, 1, 5, 10, 15)
    assert deadline_words(next_year, "fr").endswith(f"janvier {this_year + 1} à 10 h 15")


def test_a_filled_honeypot_gets_the_thank_you_page_and_stores_nothing(client, reasons):
    response = client.post(
        URL,
        _form(reasons, email="robot@exemple.fr", website="https://pilules.exemple.com"),
    )

    assert response.status_code == 302
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Merci, votre message est bien arrivé" in thanks.content.decode()
    assert _nothing_stored()


@pytest.mark.parametrize(
    "who",
    ["the same address", "the same e-mail from elsewhere", "the same phone from elsewhere"],
)
def test_the_sixth_message_in_an_hour_is_refused(client, reasons, agency_lyon, who):
    def send(number: int):
        values = {"email": f"voyageur{number}@exemple.fr", "phone": f"06 11 22 33 {number:02d}"}
        address = "203.0.113.7"
        if who == "the same e-mail from elsewhere":
            values["email"], address = "meme.adresse@exemple.fr", f"198.51.100.{number}"
        elif who == "the same phone from elsewhere":
            values["phone"], address = "06 99 88 77 66", f"198.51.100.{number}"
        return client.post(URL, _form(reasons, **values), REMOTE_ADDR=address)

    for number in range(1, 6):
        response = send(number)
        assert response.status_code == 302, response.content.decode()
    refused = send(6)

    assert refused.status_code == 429
    page = refused.content.decode().replace("&#x27;", "'")
    assert "Vous nous avez déjà écrit 5 fois en une heure" in page
    assert "rien de plus n'a été enregistré" in page
    assert InboundMessage.objects.count() == Request.objects.count() == 5
    # someone else, elsewhere, still gets through
    other = client.post(
        URL,
        _form(reasons, email="quelquun@exemple.fr", phone="07 98 76 54 32"),
        REMOTE_ADDR="192.0.2.44",
    )
    assert other.status_code == 302


def test_a_too_long_message_is_refused_clearly_and_nothing_is_saved(client, reasons):
    response = client.post(URL, _form(reasons, email="long@exemple.fr", body="é" * 5001))

    assert response.status_code == 400
    page = response.content.decode().replace("\xa0", " ").replace("&#x27;", "'")
    assert "Votre message compte 5 001 caractères, pour 5 000 au plus" in page
    assert "Rien n'a été envoyé" in page
    # the error is tied to the field, and the summary links to it
    assert 'aria-describedby="id_body-aide id_body-erreur"' in page
    assert 'id="id_body-erreur"' in page and 'href="#id_body"' in page
    assert 'aria-invalid="true"' in page
    # what was typed is kept, to be shortened
    assert "é" * 100 in page
    assert _nothing_stored()


def test_five_thousand_characters_with_line_breaks_are_accepted(client, reasons, agency_lyon):
    body = ("Ligne\r\n" * 800) + "fin."  # 5,604 characters sent, 4,804 typed
    assert len(body.replace("\r\n", "\n")) <= 5000 < len(body)
    response = client.post(URL, _form(reasons, email="long@exemple.fr", body=body))
    assert response.status_code == 302
    assert InboundMessage.objects.get().body_text == body.replace("\r\n", "\n")


def test_a_body_above_the_request_limit_is_refused_before_it_is_read(client, reasons, settings):
    data = _form(
        reasons, email="enorme@exemple.fr", body="x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    )
    response = client.post(URL, data)
    assert response.status_code == 413
    assert _nothing_stored()


def test_no_way_to_answer_and_a_wrong_phone_are_said_next_to_the_fields(client, reasons):
    response = client.post(URL, _form(reasons, name=""))
    page = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 400
    assert "Indiquez votre nom." in page
    assert "Indiquez une adresse e-mail ou un numéro de téléphone" in page
    # the phone field points at the same error: "an e-mail or a phone"
    assert 'aria-describedby="id_phone-aide id_email-erreur"' in page

    response = client.post(URL, _form(reasons, phone="12 34"))
    page = response.content.decode()
    assert "« 12 34 » n'est pas un numéro de téléphone valide" in page.replace("&#x27;", "'")
    assert 'aria-describedby="id_phone-aide id_phone-erreur"' in page
    assert _nothing_stored()


def test_a_failure_while_filing_leaves_nothing_half_saved(client, reasons):
    # no agency at all to receive an unknown visitor's request: the message stored first
    # is rolled back with the rest, and the visitor is told
    response = client.post(URL, _form(reasons, email="personne@exemple.fr"))
    assert response.status_code == 400
    assert "Aucune agence ne peut recevoir ce message." in response.content.decode()
    assert _nothing_stored()
