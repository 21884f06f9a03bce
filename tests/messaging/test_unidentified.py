"""Messages à identifier: the unidentified messages of the agency's mailboxes and of the
network's, newest first and paginated; each filed in one step for a customer found by the
customers' search, or for a new customer created from its sender (duplicate check
included); the automatic and unreadable ones in their own tabs, treated anyway the same
way; the count in the navigation, in one query."""

import datetime
import html

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from relation_client.customers.models import ContactKind, Customer
from relation_client.messaging.identify import sender_name_split
from relation_client.messaging.models import InboundMessage, InboundStatus
from relation_client.privacy.models import AuditAction, AuditEvent
from relation_client.touchpoints.context_processors import alerts as navigation
from relation_client.touchpoints.models import Request, Touchpoint
from relation_client.touchpoints.services import alert_raise
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

LIST = reverse("messaging:waiting_list")


def attach_url(message):
    return reverse("messaging:attach", args=[message.pk])


def create_url(message):
    return reverse("messaging:customer_create", args=[message.pk])


def fiche(message, **values):
    """The new customer's form of a message, as the page posts it."""
    fields = {"first_name": "Hélène", "last_name": "Maréchal", "email": "", "phone": ""}
    fields.update(values)
    return {f"fiche-{message.pk}-{name}": value for name, value in fields.items()}


def page_of(client, *args, **kwargs) -> str:
    response = client.get(*args, **kwargs)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


# --- the list ---------------------------------------------------------------------------


def test_the_list_holds_the_agencys_and_the_networks_unidentified_messages_newest_first(
    agent_client, received
):
    now = timezone.now()
    received(subject="Bagage oublié dans le T1", received_at=now - datetime.timedelta(hours=3))
    received(
        "network",
        subject="Abonnement Tout Lyon non débité",
        sender_name="Noël Bézier",
        sender_address="noel.bezier@exemple.fr",
        received_at=now - datetime.timedelta(hours=1),
    )
    received(
        None,
        subject="Question posée sur le site",
        sender_phone="06 11 22 33 44",
        received_at=now - datetime.timedelta(hours=2),
    )
    received("villeurbanne", subject="Réclamation à Villeurbanne")
    received(subject="Déjà classé", status=InboundStatus.FILED)
    received(subject="Absence du bureau", status=InboundStatus.AUTOMATIC)

    page = page_of(agent_client, LIST)

    order = [
        page.find(subject)
        for subject in (
            "Abonnement Tout Lyon non débité",
            "Question posée sur le site",
            "Bagage oublié dans le T1",
        )
    ]
    assert -1 not in order and order == sorted(order)
    for absent in ("Réclamation à Villeurbanne", "Déjà classé", "Absence du bureau"):
        assert absent not in page
    # sender, excerpt of the new part, mailbox, when
    assert "Noël Bézier" in page and "<noel.bezier@exemple.fr>" in page
    assert "Ma carte est refusée aux valideurs depuis lundi." in page
    assert "Votre message du 3 mars" not in page  # the quote is not the excerpt
    assert "Réseau TCL (réseau)" in page and "Agence Lyon Part-Dieu" in page
    assert "Formulaire de contact" in page
    assert 'À identifier <span class="badge rounded-pill text-bg-primary">3</span>' in page


def test_villeurbanne_sees_the_network_but_not_lyon(login, agent_villeurbanne, received):
    received(subject="Bagage oublié dans le T1")
    received("network", subject="Abonnement Tout Lyon non débité")
    page = page_of(login(agent_villeurbanne), LIST)
    assert "Abonnement Tout Lyon non débité" in page
    assert "Bagage oublié dans le T1" not in page


def test_the_list_is_paginated(agent_client, received):
    now = timezone.now()
    for number in range(21):
        received(
            subject=f"Message n° {number:02d}", received_at=now - datetime.timedelta(minutes=number)
        )
    first = page_of(agent_client, LIST)
    assert "Message n° 00" in first and "Message n° 19" in first
    assert "Message n° 20" not in first and "Page 1 sur 2" in first
    second = page_of(agent_client, LIST, {"page": 2})
    assert "Message n° 20" in second and "Message n° 00" not in second


def test_the_dpo_and_partners_do_not_get_it(login, dpo, client, gerard, received):
    received()
    assert login(dpo).get(LIST).status_code == 403
    home = login(dpo).get(reverse("home"), follow=True).content.decode()
    assert LIST not in home
    client.force_login(gerard)
    assert client.get(LIST).status_code == 403


# --- the navigation's count -----------------------------------------------------------------


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_navigation_counts_the_messages_to_identify_with_the_alerts_in_one_query(
    agent, received, django_assert_num_queries
):
    """The bar's count costs no query of its own: it is read with the alerts' count."""
    received()
    received("network")
    received(None)  # the contact form's
    received("villeurbanne")
    received(status=InboundStatus.AUTOMATIC)
    alert_raise(
        kind="handover",
        recipient=agent,
        cause="test:barre",
        code="legacy",
        params={"text": "Hélène"},
    )
    with django_assert_num_queries(0):
        context = navigation(_request(agent.user))
    with django_assert_num_queries(1):
        assert int(context["unidentified_count"]) == 3
        assert f"{context['unidentified_count']}" == "3"  # shown twice, queried once
        assert int(context["alert_count"]) == 1


def test_villeurbanne_counts_its_own_and_the_networks(
    agent_villeurbanne, received, django_assert_num_queries
):
    received()
    received("network")
    received("villeurbanne")
    context = navigation(_request(agent_villeurbanne.user))
    assert int(context["unidentified_count"]) == 2 and int(context["alert_count"]) == 0


def test_no_count_for_anonymous_visitors(django_assert_num_queries):
    with django_assert_num_queries(0):
        context = navigation(_request(AnonymousUser()))
    assert not context.get("unidentified_count")


def test_the_bar_shows_the_count_to_agents(agent_client, received):
    received()
    received("network")
    page = " ".join(page_of(agent_client, reverse("home"), follow=True).split())
    assert f'href="{LIST}">Messages <span class="badge rounded-pill text-bg-light">2' in page
    assert '2<span class="visually-hidden"> à identifier</span>' in page


# --- "Rattacher à …" --------------------------------------------------------------------


def test_the_search_finds_the_customer_to_attach_to(agent_client, received, helene):
    message = received()
    response = agent_client.get(
        reverse("messaging:detail", args=[message.pk]),
        {"q": "Dupont-Lefevre"},
        headers={"HX-Request": "true", "HX-Target": f"candidats-{message.pk}"},
    )
    partial = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert partial.startswith(f'\n<div id="candidats-{message.pk}"')
    assert "Rattacher à Mme Hélène Dupont-Lefèvre" in partial
    assert f'action="{attach_url(message)}"' in partial
    # audited like any search page
    assert AuditEvent.objects.filter(
        action=AuditAction.LIST, params__query__icontains="Dupont"
    ).exists()


def test_the_search_leaves_erased_records_out(agent_client, received, erased_customer):
    message = received()
    response = agent_client.get(
        reverse("messaging:detail", args=[message.pk]),
        {"q": "Anonyme"},
        headers={"HX-Request": "true", "HX-Target": f"candidats-{message.pk}"},
    )
    assert f'value="{erased_customer.pk}"' not in response.content.decode()


def test_attaching_files_the_message_and_lands_on_the_new_request(
    agent_client, agent, received, helene
):
    message = received()
    response = agent_client.post(attach_url(message), {"customer": helene.pk})

    message.refresh_from_db()
    assert message.status == InboundStatus.FILED
    assert message.customer == helene and message.filed_by == agent
    request = message.request
    assert response.status_code == 302
    assert response["Location"] == reverse("touchpoints:request_detail", args=[request.pk])
    assert request.customer == helene and request.channel == "email"
    assert request.agency.name == "Lyon Part-Dieu"
    assert message.touchpoint.customer == helene
    assert "refusée aux valideurs" in message.touchpoint.summary
    audit = AuditEvent.objects.get(customer_id=helene.pk, action=AuditAction.CHANGE)
    assert f"Message reçu n° {message.pk}" in audit.detail_text
    followed = page_of(agent_client, response["Location"])
    assert "Message rattaché à Mme Hélène Dupont-Lefèvre" in followed
    assert "Carte Técély bloquée" not in page_of(agent_client, LIST)


def test_a_network_message_attached_to_another_agencys_customer_goes_to_their_agency(
    login, agent_villeurbanne, received, helene
):
    message = received("network")
    client = login(agent_villeurbanne)
    response = client.post(attach_url(message), {"customer": helene.pk})
    message.refresh_from_db()
    assert message.request.agency.name == "Lyon Part-Dieu"  # Hélène's home agency
    # Théo may not work it: he lands on Hélène's page, told where the request went
    assert response["Location"] == helene.get_absolute_url()
    page = page_of(client, response["Location"])
    assert "La demande est suivie par l'agence Lyon Part-Dieu." in page


def test_a_message_filed_meanwhile_is_not_filed_twice(
    agent_client, login, colleague_lyon, received, helene, make_customer
):
    message = received()
    other = make_customer("Noël", "Bézier")
    agent_client.post(attach_url(message), {"customer": helene.pk})
    response = login(colleague_lyon).post(attach_url(message), {"customer": other.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("messaging:detail", args=[message.pk])
    message.refresh_from_db()
    assert message.customer == helene
    assert Touchpoint.objects.filter(customer=other).count() == 0


def test_an_erased_record_is_refused(agent_client, received, erased_customer):
    message = received()
    response = agent_client.post(attach_url(message), {"customer": erased_customer.pk})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == InboundStatus.UNIDENTIFIED and message.customer is None
    page = page_of(agent_client, response["Location"])
    assert "Cette fiche a été effacée." in page


def test_attaching_without_a_customer_says_what_to_do(agent_client, received):
    message = received()
    response = agent_client.post(attach_url(message), {"customer": "n'importe quoi"})
    assert response.status_code == 422
    assert "Choisissez le client dans les résultats de la recherche." in html.unescape(
        response.content.decode()
    )


# --- "Créer la fiche" -------------------------------------------------------------------


def test_the_new_customers_form_is_prefilled_from_the_sender(agent_client, received):
    message = received(sender_name="MARÉCHAL Hélène", sender_phone="")
    page = page_of(agent_client, LIST)
    prefix = f"fiche-{message.pk}"
    assert f'name="{prefix}-first_name" value="Hélène"' in page
    assert f'name="{prefix}-last_name" value="Maréchal"' in page
    assert f'name="{prefix}-email" value="helene.marechal@exemple.fr"' in page


def test_creating_the_customer_files_the_message_in_one_step(
    agent_client, agent, received, agency_lyon
):
    message = received(sender_phone="06 11 22 33 44")
    response = agent_client.post(
        create_url(message),
        fiche(message, email="helene.marechal@exemple.fr", phone="06 11 22 33 44"),
    )

    customer = Customer.objects.get(last_name="Maréchal")
    message.refresh_from_db()
    assert message.status == InboundStatus.FILED and message.customer == customer
    assert response["Location"] == reverse("touchpoints:request_detail", args=[message.request_id])
    assert customer.home_agency == agency_lyon and customer.first_name == "Hélène"
    assert set(customer.contact_points.values_list("kind", "value")) == {
        (ContactKind.EMAIL, "helene.marechal@exemple.fr"),
        (ContactKind.PHONE, "+33611223344"),
    }
    followed = page_of(agent_client, response["Location"])
    assert "Fiche de Hélène Maréchal créée, avec son message." in followed
    assert "Carte Técély bloquée" in followed


def test_a_possible_duplicate_is_shown_before_anything_is_created(
    agent_client, received, agency_lyon
):
    message = received()
    # the address was added to her record after the message arrived
    existing = CustomerFactory(
        first_name="Hélène",
        last_name="Maréchal",
        emails=["helene.marechal@exemple.fr"],
        home_agency=agency_lyon,
    )
    form = fiche(message, email="helene.marechal@exemple.fr")
    response = agent_client.post(create_url(message), form)

    assert response.status_code == 422
    page = html.unescape(response.content.decode())
    assert "Cette personne existe peut-être déjà" in page
    assert existing.get_absolute_url() in page
    assert f'name="fiche-{message.pk}-confirm_duplicate"' in page
    assert Customer.objects.filter(last_name="Maréchal").count() == 1
    message.refresh_from_db()
    assert message.status == InboundStatus.UNIDENTIFIED

    confirmed = agent_client.post(
        create_url(message), {**form, f"fiche-{message.pk}-confirm_duplicate": "on"}
    )
    assert confirmed.status_code == 302
    assert Customer.objects.filter(last_name="Maréchal").count() == 2


def test_a_name_missing_is_refused_in_french(agent_client, received):
    message = received()
    response = agent_client.post(create_url(message), fiche(message, first_name=""))
    assert response.status_code == 422
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not Customer.objects.filter(last_name="Maréchal").exists()


# --- automatic and unreadable messages --------------------------------------------------


def test_automatic_messages_are_set_aside_in_their_tab_and_treated_anyway(
    agent_client, received, helene
):
    message = received(
        subject="Réponse automatique : absent jusqu'au 12",
        status=InboundStatus.AUTOMATIC,
        automatic_reason="auto-submitted",
        headers={"Auto-Submitted": "auto-replied"},
    )
    page = page_of(agent_client, LIST, {"vue": "automatiques"})
    assert "Réponse automatique : absent jusqu'au 12" in page
    assert "Réponse automatique (en-tête Auto-Submitted)" in page
    assert "Traiter quand même" in page
    assert "Réponse automatique : absent" not in page_of(agent_client, LIST)

    response = agent_client.post(attach_url(message), {"customer": helene.pk})

    message.refresh_from_db()
    assert message.status == InboundStatus.FILED and message.customer == helene
    assert response["Location"] == reverse("touchpoints:request_detail", args=[message.request_id])
    assert Request.objects.filter(customer=helene).count() == 1


def test_unreadable_messages_show_their_flags_in_words(agent_client, received):
    received(
        subject="Pièce jointe illisible",
        status=InboundStatus.MALFORMED,
        flags=["malformed_mime", "attachment_refused"],
        error="Limite MIME absente",
    )
    page = page_of(agent_client, LIST, {"vue": "illisibles"})
    assert "Pièce jointe illisible" in page
    assert "Structure MIME défectueuse" in page and "Type de pièce jointe refusé" in page
    assert "Limite MIME absente" in page
    assert "malformed_mime" not in page


def test_a_filed_message_cannot_be_attached_again(agent_client, received, helene):
    message = received(status=InboundStatus.FILED)
    response = agent_client.post(attach_url(message), {"customer": helene.pk})
    assert response.status_code == 404  # not in Lyon's queue any more, and on no request
    assert not Touchpoint.objects.filter(customer=helene).exists()


# --- another agency's messages -----------------------------------------------------------


def test_another_agencys_message_does_not_exist_for_lyon(agent_client, received, helene):
    message = received("villeurbanne")
    for response in (
        agent_client.get(reverse("messaging:detail", args=[message.pk])),
        agent_client.post(attach_url(message), {"customer": helene.pk}),
        agent_client.post(create_url(message), fiche(message)),
    ):
        assert response.status_code == 404
    message.refresh_from_db()
    assert message.status == InboundStatus.UNIDENTIFIED
    assert InboundMessage.objects.filter(customer__isnull=False).count() == 0


# --- the sender's name, split ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "address", "expected"),
    [
        ("Hélène Maréchal", "", ("Hélène", "Maréchal")),
        ("MARÉCHAL Hélène", "", ("Hélène", "Maréchal")),
        ("Hélène DUPONT-LEFÈVRE", "", ("Hélène", "Dupont-Lefèvre")),
        ("Maréchal, Hélène", "", ("Hélène", "Maréchal")),
        ('"Anne-Sophie Le Goff"', "", ("Anne-Sophie", "Le Goff")),
        ("Jean de La Fontaine", "", ("Jean", "de La Fontaine")),
        ("Marie Claire Dubois", "", ("Marie Claire", "Dubois")),
        ("Noël Bézier (via Google Forms)", "", ("Noël", "Bézier")),
        ("hélène maréchal", "", ("Hélène", "Maréchal")),
        ("Hélène", "", ("Hélène", "")),
        ("Hélène D.", "", ("Hélène", "")),
        ("", "helene.marechal@exemple.fr", ("Helene", "Marechal")),
        ("helene.marechal@exemple.fr", "helene.marechal@exemple.fr", ("Helene", "Marechal")),
        ("", "contact42@exemple.fr", ("", "")),
    ],
)
def test_the_senders_name_is_split_in_first_and_last_name(name, address, expected):
    assert sender_name_split(name, address) == expected


# --- what a page costs ---------------------------------------------------------------------


def test_the_list_costs_the_same_with_two_or_twelve_messages(agent_client, received):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        agent_client.get(LIST)  # warm per-process caches
        with CaptureQueriesContext(connection) as queries:
            assert agent_client.get(LIST).status_code == 200
        return len(queries)

    for _ in range(2):
        received("network", flags=["bad_header"])
    small = count()
    for _ in range(10):
        received(sender_phone="06 11 22 33 44")
    assert count() == small
    # the session (the user and the agent come from the staff cache), the tabs' counts (the
    # paginator's too), the rows, the bar's counts (alerts, messages to identify: one query)
    assert small == 4
