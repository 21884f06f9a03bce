"""The message page: headers in words, the new part, the whole text, the HTML part (the
sanitised one, cleaned again: no script, no remote image; nothing else of the message is
ever HTML), the attachments with their size and type, downloaded as attachments and only
by those who may open the message; a refused one listed with its reason. Reached by
"Voir le message" from its request and from the customer's timeline. Same agency rule as
the requests: anyone else gets a 404."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from relation_client.messaging.identify import message_attach
from relation_client.messaging.models import InboundAttachment, InboundStatus
from relation_client.privacy.models import AuditAction, AuditEvent
from relation_client.touchpoints.models import Request

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% Justificatif de domicile\n%%EOF\n"
HTML_PART = (
    '<p>Bonjour,</p><p>Ma carte <b>Técély</b> est refusée.</p><script>alert("x")</script>'
    '<img src="https://pistage.exemple.net/ouvert.gif" alt="">'
    '<a href="https://www.tcl-exemple.fr/aide">aide</a>'
)


def detail_url(message):
    return reverse("messaging:detail", args=[message.pk])


def download_url(attachment):
    return reverse("messaging:attachment", args=[attachment.message_id, attachment.pk])


@pytest.fixture
def message(received):
    message = received(
        sender_name="Hélène Maréchal",
        subject="Carte Técély bloquée",
        sent_at=timezone.now() - datetime.timedelta(hours=2),
        in_reply_to="<rc.abc@tcl-exemple.fr>",
        body_text="Bonjour,\n\nMa carte est refusée <b>pas du HTML</b>.\n\n> Citation ancienne",
        reply_text="Bonjour,\n\nMa carte est refusée <b>pas du HTML</b>.",
        body_html=HTML_PART,
        flags=["bad_header"],
        headers={"X-Mailer": "Courrielleur 3"},
    )
    InboundAttachment.objects.create(
        message=message,
        filename="justificatif domicile é.pdf",
        content_type="application/pdf",
        size=len(PDF),
        content=PDF,
    )
    InboundAttachment.objects.create(
        message=message,
        filename="facture.exe",
        content_type="application/x-msdownload",
        size=48_213,
        refused="attachment_refused",
    )
    return message


@pytest.fixture
def filed(message, agent, helene):
    return message_attach(message=message, customer=helene, by=agent)


def test_the_page_shows_the_headers_in_words_and_each_part(agent_client, message):
    response = agent_client.get(detail_url(message))
    assert response.status_code == 200
    page = response.content.decode()
    text = html.unescape(page)
    assert "Hélène Maréchal <helene.marechal@exemple.fr>" in text
    assert "Agence Lyon Part-Dieu <lyon@tcl-exemple.fr>" in text
    for label in ("De", "À", "Reçu par", "Envoyé le", "Reçu le", "En réponse à", "Objet"):
        assert f">{label}</dt>" in page, label
    assert "Expéditeur inconnu" in text  # the status in words
    assert "En-tête mal encodé" in text and "bad_header" not in text
    assert "X-Mailer" in text and "Courrielleur 3" in text
    # the texts are text: what looks like HTML in them is shown, never interpreted
    assert "Ma carte est refusée &lt;b&gt;pas du HTML&lt;/b&gt;." in page
    assert "Citation ancienne" in text  # the whole text, quotes included
    # the sanitised HTML, cleaned for the page
    assert "Ma carte <b>Técély</b> est refusée." in page
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]
    assert "pistage.exemple.net" not in page
    assert (
        '<a href="https://www.tcl-exemple.fr/aide" target="_blank" '
        'rel="noopener noreferrer nofollow">aide</a>'
    ) in page


def test_the_attachments_are_listed_with_size_type_and_refusal(agent_client, message):
    page = html.unescape(agent_client.get(detail_url(message)).content.decode())
    accepted, refused = message.attachments.order_by("id")
    assert "justificatif domicile é.pdf" in page and "application/pdf" in page
    assert f"{len(PDF)}\xa0octets" in page
    assert download_url(accepted) in page
    assert "facture.exe" in page and "47,1\xa0Kio" in page
    assert "Refusée : Type de pièce jointe refusé" in page
    assert download_url(refused) not in page


def test_an_attachment_is_downloaded_never_shown(agent_client, message):
    accepted = message.attachments.get(refused="")
    response = agent_client.get(download_url(accepted))
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "justificatif%20domicile%20%C3%A9.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("declared", "served"),
    [
        ("text/plain; charset=utf-8", "text/plain"),
        ("IMAGE/JPEG", "image/jpeg"),
        ('text/html; charset="utf-8"', "application/octet-stream"),
        ("image/svg+xml", "application/octet-stream"),
        ("n'importe quoi", "application/octet-stream"),
        ("", "application/octet-stream"),
    ],
)
def test_a_type_a_browser_would_run_or_no_type_is_downloaded_as_bytes(
    agent_client, received, declared, served
):
    message = received()
    odd = InboundAttachment.objects.create(
        message=message, filename="plan.html", content_type=declared, size=4, content=b"<p>x"
    )
    response = agent_client.get(download_url(odd))
    assert response["Content-Type"] == served
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_refused_attachment_cannot_be_downloaded(agent_client, message):
    refused = message.attachments.get(refused="attachment_refused")
    assert agent_client.get(download_url(refused)).status_code == 404


def test_another_agencys_staff_and_the_dpo_get_nothing(login, agent_villeurbanne, dpo, message):
    accepted = message.attachments.get(refused="")
    theo = login(agent_villeurbanne)
    assert theo.get(detail_url(message)).status_code == 404
    assert theo.get(download_url(accepted)).status_code == 404
    bertrand = login(dpo)
    assert bertrand.get(detail_url(message)).status_code == 403
    assert bertrand.get(download_url(accepted)).status_code == 403


def test_an_attachment_is_reached_through_its_own_message_only(agent_client, message, received):
    accepted = message.attachments.get(refused="")
    other = received("network")
    path = reverse("messaging:attachment", args=[other.pk, accepted.pk])
    assert agent_client.get(path).status_code == 404


def test_a_filed_message_follows_its_requests_rule(
    login, agent, agent_villeurbanne, supervisor_lyon, filed
):
    assert filed.status == InboundStatus.FILED
    assert login(supervisor_lyon).get(detail_url(filed)).status_code == 200
    theo = login(agent_villeurbanne)
    assert theo.get(detail_url(filed)).status_code == 404
    # handed to Théo, it is his to read
    Request.objects.filter(pk=filed.request_id).update(assignee=agent_villeurbanne)
    assert theo.get(detail_url(filed)).status_code == 200


def test_reading_a_filed_message_is_in_the_audit_trail(agent_client, filed, helene):
    page = html.unescape(agent_client.get(detail_url(filed)).content.decode())
    assert "Mme Hélène Dupont-Lefèvre" in page
    assert f"Demande {filed.request.reference}" in page
    assert AuditEvent.objects.filter(
        customer_id=helene.pk,
        action=AuditAction.VIEW,
        code="audit.message_read",
        params={"pk": filed.pk},
    ).exists()
    accepted = filed.attachments.get(refused="")
    agent_client.get(download_url(accepted))
    assert AuditEvent.objects.filter(
        customer_id=helene.pk, action=AuditAction.VIEW, code="audit.attachment_read"
    ).exists()


def test_the_request_page_links_to_the_message(agent_client, filed):
    page = agent_client.get(
        reverse("touchpoints:request_detail", args=[filed.request_id])
    ).content.decode()
    assert f'href="{detail_url(filed)}">Voir le message' in page


def test_the_timeline_links_to_the_message_for_those_who_may_open_it(
    agent_client, login, agent_villeurbanne, dpo, filed, helene
):
    link = f'href="{detail_url(filed)}">Voir le message'
    assert link in agent_client.get(helene.get_absolute_url()).content.decode()
    assert (
        link in agent_client.get(reverse("customers:timeline", args=[helene.pk])).content.decode()
    )
    # the customer page is open to every agency and to the DPO; the message is not
    assert link not in login(agent_villeurbanne).get(helene.get_absolute_url()).content.decode()
    assert link not in login(dpo).get(helene.get_absolute_url()).content.decode()


def test_a_phone_call_has_no_message_link(agent_client, make_customer):
    customer = make_customer("Noël", "Bézier", touchpoints=2)
    assert "Voir le message" not in agent_client.get(customer.get_absolute_url()).content.decode()


def test_a_form_message_shows_what_was_chosen(agent_client, received, reasons):
    message = received(
        None,
        reason=reasons["lost_property"],
        line="C3",
        stop="Gare Part-Dieu Vivier Merle",
        sender_phone="06 11 22 33 44",
    )
    page = html.unescape(agent_client.get(detail_url(message)).content.decode())
    assert "Formulaire de contact du site" in page
    assert "ligne C3" in page and "arrêt Gare Part-Dieu Vivier Merle" in page
    assert "06 11 22 33 44" in page


def test_the_page_costs_the_same_with_two_or_twelve_attachments(agent_client, filed):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        agent_client.get(detail_url(filed))
        with CaptureQueriesContext(connection) as queries:
            assert agent_client.get(detail_url(filed)).status_code == 200
        return len(queries)

    small = count()
    for number in range(10):
        InboundAttachment.objects.create(
            message=filed,
            filename=f"photo du quai n° {number}.jpg",
            content_type="image/jpeg",
            size=1000,
            content=b"\xff\xd8",
        )
    assert count() == small
