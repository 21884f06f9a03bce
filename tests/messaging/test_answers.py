"""An agent answers a request by e-mail from the tool: the mail reaches a real SMTP server
from the agency's address, threaded on the customer's mail, greeting them by name and
signed by the agent; the request is answered and the answer is on the timeline; a mail
given up shows on the request page, alerts its writer, and can be tried again."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agences import roles
from relation_client.messaging import answers, outbox
from relation_client.messaging.inbound import inbound_file
from relation_client.messaging.models import (
    InboundMessage,
    Mailbox,
    OutboundMessage,
    OutboundPurpose,
    OutboundStatus,
)
from relation_client.touchpoints.models import (
    Alert,
    AlertKind,
    Reason,
    RequestStatus,
    Touchpoint,
)
from relation_client.touchpoints.services import (
    request_close,
    request_wait_customer,
    touchpoint_log,
)
from socle.errors import DomainError
from tests.factories import CustomerFactory

CARTE = "Ma carte Técély est refusée aux valideurs depuis lundi, pouvez-vous m'aider ?"


@pytest.fixture
def mailbox_lyon(agency_lyon):
    return Mailbox.objects.create(
        name="Agence de Lyon", address="lyon@tcl-exemple.fr", agency=agency_lyon, kind="maildir"
    )


@pytest.fixture
def marechal(agency_lyon, agent):
    """Hélène Maréchal, Camille's customer: two addresses, French."""
    return CustomerFactory(
        first_name="Hélène",
        last_name="Maréchal",
        civility="mme",
        emails=["Helene.Marechal@exemple.fr", "h.marechal@travail-exemple.fr"],
        home_agency=agency_lyon,
        usual_contact=agent,
    )


def customer_mail(mailbox, **values) -> InboundMessage:
    """A mail of the customer's, stored and filed as the mailbox poller does."""
    defaults = {
        "source": "maildir",
        "mailbox": mailbox,
        "message_id": f"<carte.{InboundMessage.objects.count() + 1}@voyageur.exemple.fr>",
        "references": "<premier.echange@voyageur.exemple.fr>",
        "sender_address": "helene.marechal@exemple.fr",
        "sender_name": "Hélène Maréchal",
        "subject": "Carte Técély bloquée",
        "body_text": CARTE,
        "received_at": timezone.now() - datetime.timedelta(minutes=30),
    }
    return inbound_file(message=InboundMessage.objects.create(**{**defaults, **values}))


def send_now(message: OutboundMessage) -> str:
    """One attempt by the worker (outbox.outbound_send, what the task runs)."""
    message.refresh_from_db()
    return outbox.outbound_send(message_id=message.pk, dispatch=message.dispatch)


def written_answer(request, agent, text="Votre carte est débloquée : elle fonctionne à nouveau."):
    """The form's draft (greeting and signature) with the agent's text in the middle."""
    draft = answers.answer_draft(request=request, by=agent)
    head, tail = draft.split("\n\n\n\n", 1)
    return f"{head}\n\n{text}\n\n{tail}"


# --- sending ------------------------------------------------------------------------------


def test_the_answer_reaches_the_customer_from_the_agency_threaded_and_signed(
    db, smtp_server, mailbox_lyon, marechal, agent
):
    mail = customer_mail(mailbox_lyon)
    request = mail.request

    message = answers.answer_send(request=request, by=agent, body=written_answer(request, agent))
    assert send_now(message) == OutboundStatus.SENT

    (received,) = smtp_server.received
    assert received.mail_from == "lyon@tcl-exemple.fr"
    assert received.rcpt_tos == ["helene.marechal@exemple.fr"]
    assert received["From"] == "Lyon Part-Dieu <lyon@tcl-exemple.fr>"
    assert received["Subject"] == f"Re: Carte Técély bloquée [{request.reference}]"
    assert received["In-Reply-To"] == mail.message_id
    assert received["References"] == f"<premier.echange@voyageur.exemple.fr> {mail.message_id}"
    assert received["Message-ID"] == message.message_id
    text = received.text.replace("\r\n", "\n")
    assert text.startswith("Bonjour Madame Maréchal,\n\nVotre carte est débloquée")
    assert text.rstrip().endswith("Bien cordialement,\n\nCamille Rousseau\nAgence Lyon Part-Dieu")

    # the request is answered, and the answer is on the customer's timeline
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED and request.answered_at is not None
    touchpoint = Touchpoint.objects.get(pk=message.touchpoint_id)
    assert (touchpoint.channel, touchpoint.direction, touchpoint.outcome) == (
        "email",
        "outbound",
        "answered",
    )
    assert touchpoint.request == request and touchpoint.customer == marechal
    assert touchpoint.agent == agent
    assert "Votre carte est débloquée" in touchpoint.summary
    assert "helene.marechal@exemple.fr" in touchpoint.summary
    assert message.purpose == OutboundPurpose.ANSWER and message.agent == agent
    # a reply of the customer's to our answer comes back to this request (threads.py)
    reply = customer_mail(
        mailbox_lyon,
        subject=f"RE: Re: Carte Técély bloquée [{request.reference}]",
        in_reply_to=message.message_id,
        references=f"{mail.message_id} {message.message_id}",
        body_text="Merci beaucoup, tout fonctionne !",
        received_at=timezone.now(),
    )
    assert reply.request == request


def test_a_web_form_request_answered_by_mail_gets_an_email_touchpoint(
    db, smtp_server, marechal, agent, agency_lyon
):
    form = InboundMessage.objects.create(
        source="web_form",
        sender_address="helene.marechal@exemple.fr",
        sender_name="Hélène Maréchal",
        subject="Remboursement d'un trajet",
        body_text="Le tram T1 ne circulait pas samedi, je souhaite être remboursée.",
        reason=Reason.objects.get(code="complaint"),
        line="T1",
        received_at=timezone.now() - datetime.timedelta(hours=2),
    )
    request = inbound_file(message=form).request
    assert request.channel == "web_form"

    message = answers.answer_send(
        request=request, by=agent, body=written_answer(request, agent, "Vous serez remboursée.")
    )
    send_now(message)

    assert Touchpoint.objects.get(pk=message.touchpoint_id).channel == "email"
    (received,) = smtp_server.received
    assert received["Subject"] == f"Re: Remboursement d'un trajet [{request.reference}]"
    # no mail to answer: no threading headers, and no mailbox at all: the default address
    assert received["In-Reply-To"] == "" and received["References"] == ""
    assert received["From"] == "Lyon Part-Dieu <relation@exemple.fr>"


def test_answering_a_request_waiting_for_the_customer_clears_its_paused_clock(
    db, mailbox_lyon, marechal, agent
):
    request = customer_mail(mailbox_lyon).request
    request_wait_customer(request=request, by=agent)
    request.refresh_from_db()
    assert request.paused_at is not None

    answers.answer_send(request=request, by=agent, body=written_answer(request, agent))

    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED
    assert request.paused_at is None and request.remaining_at_pause is None


def test_the_sender_is_the_agencys_mailbox_else_the_networks_else_the_default(
    db, agency_lyon, agency_villeurbanne
):
    assert answers.answer_sender(agency_lyon) == "Lyon Part-Dieu <relation@exemple.fr>"
    Mailbox.objects.create(
        name="Réseau", address="contact@tcl-exemple.fr", agency=agency_villeurbanne, network=True
    )
    assert answers.answer_sender(agency_lyon) == "Lyon Part-Dieu <contact@tcl-exemple.fr>"
    Mailbox.objects.create(name="Lyon", address="lyon@tcl-exemple.fr", agency=agency_lyon)
    assert answers.answer_sender(agency_lyon) == "Lyon Part-Dieu <lyon@tcl-exemple.fr>"
    # the network's mailbox is never mistaken for its agency's own
    assert answers.answer_sender(agency_villeurbanne) == (
        "Villeurbanne Gratte-Ciel <contact@tcl-exemple.fr>"
    )


def test_the_answer_goes_to_the_latest_sender_or_another_address_of_the_customer(
    db, smtp_server, mailbox_lyon, marechal, agent
):
    request = customer_mail(mailbox_lyon, sender_address="h.marechal@travail-exemple.fr").request
    assert answers.answer_addresses(request) == [
        "h.marechal@travail-exemple.fr",
        "helene.marechal@exemple.fr",
    ]
    with pytest.raises(DomainError) as refused:
        answers.answer_send(
            request=request,
            by=agent,
            to_address="quelquun@ailleurs.exemple.fr",
            body=written_answer(request, agent),
        )
    assert refused.value.code == "unknown_address" and refused.value.field == "to_address"

    message = answers.answer_send(
        request=request,
        by=agent,
        to_address="Helene.Marechal@exemple.fr",
        subject="Votre carte\r\nBcc: espion@exemple.fr Técély",
        body=written_answer(request, agent),
    )
    send_now(message)
    assert smtp_server.received[0].rcpt_tos == ["helene.marechal@exemple.fr"]
    # one line whatever was posted: no header slips in
    assert smtp_server.received[0]["Subject"].strip() == (
        f"Votre carte Bcc: espion@exemple.fr Técély [{request.reference}]"
    )
    assert smtp_server.received[0]["Bcc"] == ""


def test_without_a_mail_the_answer_goes_to_the_first_address_of_the_customer(db, marechal, agent):
    request = touchpoint_log(
        agent=agent,
        customer=marechal,
        channel="phone",
        reason=Reason.objects.get(code="complaint"),
        summary="Contrôleur désagréable sur la ligne C3\nElle souhaite une réponse écrite.",
    ).request
    assert answers.answer_addresses(request)[0] == "helene.marechal@exemple.fr"
    assert answers.answer_subject(request) == (
        f"Re: Contrôleur désagréable sur la ligne C3 [{request.reference}]"
    )


def test_the_greeting_follows_how_the_customer_likes_to_be_addressed_and_their_language(
    db, agent, agency_lyon
):
    docteur = CustomerFactory(
        first_name="Paul", last_name="Lambert", civility="m", preferred_name="Docteur Lambert"
    )
    smith = CustomerFactory(
        first_name="Emily", last_name="Smith", civility="mme", preferred_language="en"
    )
    sans_civilite = CustomerFactory(first_name="Noé", last_name="Castaño")
    assert answers.greeting(docteur, "fr") == "Bonjour Docteur Lambert,"
    assert answers.greeting(smith, "en") == "Dear Ms Smith,"
    assert answers.greeting(sans_civilite, "fr") == "Bonjour Noé Castaño,"
    assert answers.greeting(smith, "de") == "Bonjour Madame Smith,"  # no letter in German
    assert answers.signature(agent, "en") == "Kind regards,\n\nCamille Rousseau\nLyon Part-Dieu"


# --- refusals -------------------------------------------------------------------------------


def _nothing_sent(request):
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN
    assert not OutboundMessage.objects.exists()
    assert not request.touchpoints.filter(direction="outbound").exists()


def test_a_customer_without_an_address_is_refused(db, make_customer, agent):
    jerome = make_customer("Jérôme", "Gaël-Noël", phones=["07 98 76 54 32"])
    request = touchpoint_log(
        agent=agent,
        customer=jerome,
        channel="phone",
        reason=Reason.objects.get(code="complaint"),
        summary="Bus en retard tous les matins",
    ).request
    with pytest.raises(DomainError) as refused:
        answers.answer_send(request=request, by=agent, body="Bonjour Monsieur Gaël-Noël, …")
    assert refused.value.code == "no_email"
    assert "Aucune adresse e-mail" in str(refused.value.message)
    _nothing_sent(request)


def test_an_empty_body_is_refused(db, mailbox_lyon, marechal, agent):
    request = customer_mail(mailbox_lyon).request
    with pytest.raises(DomainError) as refused:
        answers.answer_send(request=request, by=agent, body=" \n ")
    assert refused.value.code == "required" and refused.value.field == "body"
    _nothing_sent(request)


def test_another_agencys_agent_is_refused(db, mailbox_lyon, marechal, agent_villeurbanne):
    request = customer_mail(mailbox_lyon).request
    with pytest.raises(DomainError) as refused:
        answers.answer_send(request=request, by=agent_villeurbanne, body="Bonjour, c'est réglé.")
    assert refused.value.code == "forbidden"
    assert str(refused.value.message) == "Cette demande est suivie par une autre agence."
    _nothing_sent(request)


def test_a_closed_request_is_refused(db, mailbox_lyon, marechal, agent):
    request = customer_mail(mailbox_lyon).request
    request_close(request=request, by=agent)
    request.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        answers.answer_send(request=request, by=agent, body="Bonjour, c'est réglé.")
    assert refused.value.code == "closed"
    assert "rouvrez-la" in str(refused.value.message)
    assert not OutboundMessage.objects.exists()


def test_an_erased_customer_is_refused(db, mailbox_lyon, marechal, agent, dpo):
    from relation_client.privacy.services import customer_erase

    request = customer_mail(mailbox_lyon).request
    customer_erase(customer=marechal, user=dpo.user, reason="Demande écrite du 3 mars")
    request.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        answers.answer_send(request=request, by=agent, body="Bonjour, c'est réglé.")
    assert refused.value.code == "customer_erased"
    assert not OutboundMessage.objects.exists()


# --- failure, alert, retry ----------------------------------------------------------------------


def test_a_refusing_server_fails_the_message_on_the_request_page_alerts_and_retry_sends_it(
    db, smtp_server, settings, mailbox_lyon, marechal, agent, login
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    smtp_server.refuse = True
    request = customer_mail(mailbox_lyon).request
    message = answers.answer_send(request=request, by=agent, body=written_answer(request, agent))

    assert [send_now(message) for _ in range(3)] == ["pending", "pending", "failed"]
    message.refresh_from_db()
    assert message.status == OutboundStatus.FAILED and message.attempts == 3
    assert "451" in message.last_error and smtp_server.received == []

    # the writer is alerted, once per failure
    alert = Alert.objects.get(kind=AlertKind.SEND_FAILED)
    assert alert.recipient == agent and alert.request == request and alert.customer == marechal
    assert "helene.marechal@exemple.fr" in alert.text and request.reference in alert.text
    assert "451" in alert.text

    client = login(agent)
    page = client.get(reverse("touchpoints:request_detail", args=[request.pk])).content.decode()
    assert 'data-status="failed">Échec</span>' in page
    assert "Abandonné après 3 tentatives : SMTPDataError" in page
    assert "Réessayer" in page
    assert "Essayez plus tard" in page

    smtp_server.refuse = False
    response = client.post(reverse("answers:message_retry", args=[message.pk]), follow=True)
    assert (
        "Message remis à l&#x27;envoi vers helene.marechal@exemple.fr." in response.content.decode()
    )
    assert 'data-status="pending">À envoyer</span>' in response.content.decode()
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("pending", 0, "")
    # retried once only: a second press finds nothing to retry
    again = client.post(reverse("answers:message_retry", args=[message.pk]))
    assert again.status_code == 400
    assert "il n&#x27;y a rien à réessayer" in again.content.decode()

    assert send_now(message) == OutboundStatus.SENT
    (received,) = smtp_server.received
    assert received["Message-ID"] == message.message_id
    page = client.get(reverse("touchpoints:request_detail", args=[request.pk])).content.decode()
    assert 'data-status="sent">Envoyé</span>' in page and "Réessayer" not in page


def test_the_alert_goes_to_the_assignee_then_the_agencys_escalation(
    db, smtp_server, settings, mailbox_lyon, marechal, agent, colleague_lyon, supervisor_lyon
):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    smtp_server.refuse = True
    request = customer_mail(mailbox_lyon).request
    assert request.assignee == agent
    message = answers.answer_send(
        request=request, by=colleague_lyon, body=written_answer(request, colleague_lyon)
    )
    colleague_lyon.user.is_active = False  # left the company meanwhile
    colleague_lyon.user.save()
    send_now(message)
    assert Alert.objects.get(kind=AlertKind.SEND_FAILED).recipient == agent

    # tried again and given up again: a second alert, to the escalation this time
    agent.user.is_active = False
    agent.user.save()
    answers.answer_retry(message=message, by=supervisor_lyon)
    send_now(message)
    recipients = list(
        Alert.objects.filter(kind=AlertKind.SEND_FAILED)
        .order_by("created_at")
        .values_list("recipient", flat=True)
    )
    assert recipients == [agent.pk, supervisor_lyon.pk]


# --- the request page -----------------------------------------------------------------------------


def test_the_request_page_offers_the_form_prefilled_and_sends_through_it(
    db, mailbox_lyon, marechal, agent, login
):
    request = customer_mail(mailbox_lyon).request
    client = login(agent)
    page = client.get(reverse("touchpoints:request_detail", args=[request.pk])).content.decode()
    assert "Répondre par e-mail" in page
    assert "Bonjour Madame Maréchal,\n\n\n\nBien cordialement,\n\nCamille Rousseau" in page
    assert f"Re: Carte Técély bloquée [{request.reference}]" in page
    assert '<option value="helene.marechal@exemple.fr" selected>' in page
    assert '<option value="h.marechal@travail-exemple.fr">' in page
    assert "Aucun message envoyé pour cette demande." in page

    empty = client.post(
        reverse("answers:send", args=[request.pk]),
        {"mail-to_address": "helene.marechal@exemple.fr", "mail-subject": "Re: carte"},
    )
    assert empty.status_code == 400
    assert "Écrivez la réponse avant de l&#x27;envoyer." in empty.content.decode()

    response = client.post(
        reverse("answers:send", args=[request.pk]),
        {
            "mail-to_address": "h.marechal@travail-exemple.fr",
            "mail-subject": "Re: Carte Técély bloquée",
            "mail-body": written_answer(request, agent),
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Réponse enregistrée : le message part vers h.marechal@travail-exemple.fr." in content
    assert 'data-status="pending">À envoyer</span>' in content
    assert "Répondue" in content
    message = OutboundMessage.objects.get()
    assert message.to_address == "h.marechal@travail-exemple.fr"
    assert message.subject == f"Re: Carte Técély bloquée [{request.reference}]"


def test_another_agencys_agent_cannot_send_and_the_dpo_sees_no_form(
    db, mailbox_lyon, marechal, agent_villeurbanne, dpo, login, make_staff, agency_lyon
):
    request = customer_mail(mailbox_lyon).request
    data = {
        "mail-to_address": "helene.marechal@exemple.fr",
        "mail-subject": "Re: Carte",
        "mail-body": "Bonjour Madame Maréchal, c'est réglé.",
    }
    theo = login(agent_villeurbanne)
    assert theo.post(reverse("answers:send", args=[request.pk]), data).status_code == 404
    assert theo.get(reverse("touchpoints:request_detail", args=[request.pk])).status_code == 404

    bertrand = login(dpo)
    page = bertrand.get(reverse("touchpoints:request_detail", args=[request.pk]))
    assert page.status_code == 403 and "Répondre par e-mail" not in page.content.decode()
    assert bertrand.post(reverse("answers:send", args=[request.pk]), data).status_code == 403
    assert not OutboundMessage.objects.exists()

    # the agency's supervisor answers like its agents
    nathalie = login(make_staff("nathalie", "Nathalie Girard", roles.SUPERVISOR, agency_lyon))
    page = nathalie.get(reverse("touchpoints:request_detail", args=[request.pk])).content.decode()
    assert "Répondre par e-mail" in page and "Nathalie Girard\nAgence Lyon Part-Dieu" in page


def test_the_page_says_why_there_is_no_form(db, make_customer, agent, login):
    jerome = make_customer("Jérôme", "Gaël-Noël", phones=["07 98 76 54 32"])
    request = touchpoint_log(
        agent=agent,
        customer=jerome,
        channel="phone",
        reason=Reason.objects.get(code="complaint"),
        summary="Bus en retard tous les matins",
    ).request
    page = login(agent).get(reverse("touchpoints:request_detail", args=[request.pk]))
    content = page.content.decode()
    assert "Aucune adresse e-mail n&#x27;est connue pour ce client" in content
    assert 'name="mail-body"' not in content


def test_the_sent_messages_list_refreshes_itself_while_one_is_pending(
    db, mailbox_lyon, marechal, agent, login
):
    request = customer_mail(mailbox_lyon).request
    message = answers.answer_send(request=request, by=agent, body=written_answer(request, agent))
    client = login(agent)
    url = reverse("answers:sent_messages", args=[request.pk])
    listing = client.get(url).content.decode()
    assert f'hx-get="{url}" hx-trigger="every 4s"' in listing and "À envoyer" in listing
    OutboundMessage.objects.filter(pk=message.pk).update(status="sent", sent_at=timezone.now())
    listing = client.get(url).content.decode()
    assert "hx-trigger" not in listing and "Envoyé" in listing
