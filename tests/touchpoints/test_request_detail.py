"""The request page (touchpoints:request_detail) and its actions."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from relation_client.touchpoints.models import RequestStatus, TouchpointKind

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, request):
    return reverse(f"touchpoints:{name}", args=[request.pk])


def test_the_page_shows_the_request_its_touchpoints_and_actions(
    agent_client, open_request, partner
):
    page = agent_client.get(url("request_detail", open_request)).content.decode()
    assert "Mme Hélène Dupont-Lefèvre" in page
    assert "Carte Técély bloquée après le rechargement" in page
    assert "Ouverte" in page
    for action in ("request_answer", "request_wait", "request_close", "request_escalate"):
        assert f'action="{url(action, open_request)}"' in page
    assert 'for="id_transmission-note"' in page  # labelled fields
    assert "Objets Trouvés Métropole" in page


@pytest.mark.parametrize("history", [1, 12])
def test_queries_do_not_grow_with_the_history(
    agent_client, open_request, helene, log, partner, history, django_assert_num_queries
):
    for index in range(history):
        log(helene, request=open_request, summary=f"Relance n° {index}")
        log(helene, reason="compliment", summary=f"Merci n° {index}")
    # session (user, agent: Redis), the request with customer/assignee/reason/partner/agency,
    # its touchpoints with agent and reason, the partners, the attachable touchpoints
    # ... the alert count in the navigation bar, the channels' commitments (the rule);
    # the answer by e-mail: the messages sent, the customer's latest mail, their addresses;
    # the disruptions the request's complaints were linked to (the network's panel)
    with django_assert_num_queries(11):
        response = agent_client.get(url("request_detail", open_request))
    assert response.status_code == 200


def test_answer_with_a_note_then_redirect(agent_client, open_request, helene):
    response = agent_client.post(
        url("request_answer", open_request), {"reponse-note": "Carte débloquée au guichet."}
    )
    assert response.status_code == 302
    assert response["Location"] == url("request_detail", open_request)
    open_request.refresh_from_db()
    assert open_request.status == RequestStatus.ANSWERED
    assert helene.touchpoints.filter(summary="Carte débloquée au guichet.").exists()
    page = agent_client.get(response["Location"]).content.decode()
    assert "Demande marquée comme répondue." in page


def test_htmx_actions_answer_with_the_panel_only(agent_client, open_request):
    response = agent_client.post(url("request_wait", open_request), **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="request-panel">')
    assert "Demande en attente du client." in page
    assert "<html" not in page
    open_request.refresh_from_db()
    assert open_request.status == RequestStatus.WAITING_CUSTOMER


def test_close_then_reopen(agent_client, open_request):
    agent_client.post(url("request_close", open_request))
    open_request.refresh_from_db()
    assert open_request.status == RequestStatus.CLOSED
    page = agent_client.get(url("request_detail", open_request)).content.decode()
    assert f'action="{url("request_reopen", open_request)}"' in page
    assert f'action="{url("request_answer", open_request)}"' not in page
    agent_client.post(url("request_reopen", open_request))
    open_request.refresh_from_db()
    assert open_request.status == RequestStatus.OPEN


def test_a_refused_transition_says_why_in_french(agent_client, open_request):
    agent_client.post(url("request_close", open_request))
    response = agent_client.post(url("request_close", open_request))
    assert response.status_code == 400
    assert escape("Cette demande est déjà clôturée.") in response.content.decode()
    htmx = agent_client.post(url("request_close", open_request), **HTMX)
    assert htmx.status_code == 200  # htmx swaps only 2xx answers
    assert 'role="alert"' in htmx.content.decode()


def test_escalate_to_a_partner_with_a_note(agent_client, open_request, partner, helene):
    response = agent_client.post(
        url("request_escalate", open_request),
        {"transmission-partner": partner.pk, "transmission-note": "Sac oublié dans le tram T4"},
    )
    assert response.status_code == 302
    open_request.refresh_from_db()
    assert open_request.partner == partner
    escalation = helene.touchpoints.get(kind=TouchpointKind.ESCALATION)
    assert "Sac oublié dans le tram T4" in escalation.summary
    page = agent_client.get(url("request_detail", open_request)).content.decode()
    assert "Transmise à" in page and "Objets Trouvés Métropole" in page


def test_escalate_without_a_note_shows_the_field_error(agent_client, open_request, partner):
    response = agent_client.post(
        url("request_escalate", open_request), {"transmission-partner": partner.pk}
    )
    assert response.status_code == 400
    assert "Expliquez au partenaire ce qui est attendu." in response.content.decode()
    open_request.refresh_from_db()
    assert open_request.partner is None


def test_attach_a_touchpoint_from_the_page(agent_client, open_request, helene, log):
    thanks = log(helene, reason="compliment", summary="Merci pour l'accueil chaleureux")
    page = agent_client.get(url("request_detail", open_request)).content.decode()
    assert escape("Merci pour l'accueil chaleureux") in page
    response = agent_client.post(
        url("request_attach", open_request), {"rattachement-touchpoint": thanks.pk}
    )
    assert response.status_code == 302
    thanks.refresh_from_db()
    assert thanks.request_id == open_request.pk


def test_another_agency_cannot_see_nor_act(client, manager_villeurbanne, open_request):
    client.force_login(manager_villeurbanne.user)
    assert client.get(url("request_detail", open_request)).status_code == 404
    for action in ("request_answer", "request_wait", "request_close", "request_reopen"):
        assert client.post(url(action, open_request)).status_code == 404
    open_request.refresh_from_db()
    assert open_request.status == RequestStatus.OPEN


def test_actions_are_post_only(agent_client, open_request):
    assert agent_client.get(url("request_close", open_request)).status_code == 405
    open_request.refresh_from_db()
    assert open_request.status == RequestStatus.OPEN
