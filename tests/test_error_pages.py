"""The 403, 404 and 500 pages: French, inside the site's layout, with the reason and a way
back; the API keeps its JSON errors; the 500 page needs no database."""

import html

import pytest
from django.test import Client
from django.urls import reverse

from relation_client import handlers
from tests.factories import RequestFactory

LAYOUT = 'aria-label="Navigation principale"'


def _reason(page: str) -> str:
    start = page.index("data-error-reason>") + len("data-error-reason>")
    return html.unescape(page[start : page.index("</p>", start)])


@pytest.mark.django_db
def test_a_role_refused_reads_why_in_french_inside_the_layout(client, dpo):
    client.force_login(dpo.user)
    response = client.get(reverse("touchpoints:queue"), HTTP_REFERER="http://testserver/")
    page = response.content.decode()
    assert response.status_code == 403
    assert LAYOUT in page and "Bertrand Lefort" in page  # the site's bar, the person's name
    assert "<h1" in page and "Accès refusé" in page and "Forbidden" not in page
    assert _reason(page) == "Cette page est réservée aux équipes des agences."
    # a way back: the page they came from, and home
    assert 'href="http://testserver/">Revenir à la page précédente' in page
    assert f'href="{reverse("home")}"' in page


@pytest.mark.django_db
def test_a_partner_on_a_customer_page_is_told_their_role_does_not_open_it(
    client, partner_user, helene
):
    client.force_login(partner_user)
    response = client.get(helene.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 403
    assert _reason(page).startswith("Votre rôle ne permet pas d'ouvrir cette page")
    assert "Revenir à la page précédente" not in page  # no Referer: home only
    assert "Retour à l'accueil" in page


@pytest.mark.django_db
def test_a_missing_page_is_french_with_the_views_reason(client, agent_villeurbanne, agency_lyon):
    lyon_request = RequestFactory(agency=agency_lyon, subject="Carte Técély bloquée")
    client.force_login(agent_villeurbanne.user)
    response = client.get(reverse("touchpoints:request_detail", args=[lyon_request.pk]))
    page = response.content.decode()
    assert response.status_code == 404
    assert LAYOUT in page and "Page introuvable" in page and "Not Found" not in page
    assert _reason(page) == "Aucune demande de votre agence ou à votre nom ne porte ce numéro."


@pytest.mark.django_db
def test_a_missing_object_never_shows_djangos_english_message(agent_client):
    response = agent_client.get(reverse("touchpoints:gesture_grant", args=[987654]))
    page = response.content.decode()
    assert response.status_code == 404
    assert "matches the given query" not in page and "Not Found" not in page
    # no reason of its own: the generic sentence, not marked as a reason for a toast
    assert "data-error-reason" not in page
    assert "Cette page n'existe pas ou plus" in page


@pytest.mark.django_db
def test_an_unknown_address_is_the_french_page(agent_client):
    response = agent_client.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.django_db
def test_a_stale_form_token_is_a_french_403(agent, helene):
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent.user)
    response = client.post(reverse("customers:handover", args=[helene.pk]), {"note": "Relais"})
    page = response.content.decode()
    assert response.status_code == 403
    assert LAYOUT in page and "CSRF cookie" not in page and "Forbidden" not in page
    assert "Le formulaire n'est plus valable" in _reason(page)


@pytest.mark.django_db
def test_the_api_keeps_its_json_errors(client, dpo, rf):
    client.force_login(dpo.user)
    response = client.post(reverse("api:touchpoint-log"), "{}", content_type="application/json")
    assert response.status_code == 403
    assert set(response.json()) == {"code", "field", "detail"}
    refused = handlers.permission_denied(rf.get("/api/v1/customers/"))
    assert refused.status_code == 403 and refused["Content-Type"] == "application/json"
    assert b'"code": "permission_denied"' in refused.content


def test_the_500_page_renders_without_any_database(rf, django_db_blocker):
    """No test database here at all: any query would raise; the page is French, in the
    layout (the brand, the skip link), with a way back and no navigation of a person."""
    with django_db_blocker.block():
        response = handlers.server_error(rf.get("/clients/12/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="fr">' in page and "Aller au contenu" in page
    assert "Erreur interne" in page and "l'équipe technique est prévenue" in page
    assert f'href="{reverse("home")}"' in page
    assert "Se déconnecter" not in page and "csrfmiddlewaretoken" not in page
