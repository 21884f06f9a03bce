"""The error pages as people meet them: French, inside the site's layout, the reason given
and a way back that works."""

import re

import pytest
from django.db import connection
from playwright.sync_api import expect

from relation_client.customers.models import Consent
from tests.browser.conftest import ARTIFACTS, signed_in
from tests.factories import RequestFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_dpo_refused_the_queue_reads_why_and_goes_back(page, live_server, dpo, helene):
    signed_in(page, live_server, dpo)
    page.goto(helene.get_absolute_url())
    # a link to the queue followed from her page (an e-mail's, an old bookmark's)
    page.goto("/demandes/", referer=page.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès refusé")
    expect(page.locator("main")).to_contain_text("Cette page est réservée aux équipes des agences.")
    # the site's own bar, the person still signed in
    expect(page.get_by_role("navigation", name="Navigation principale")).to_contain_text(
        "Bertrand Lefort"
    )
    expect(page.locator("body")).not_to_contain_text("Forbidden")
    page.screenshot(path=ARTIFACTS / "erreur-403.png", full_page=True)
    page.screenshot(path="/tmp/desk-erreur-403.png", full_page=True)
    page.get_by_role("link", name="Revenir à la page précédente").click()
    expect(page.locator("h1")).to_have_text("Mme Hélène Dupont-Lefèvre")


def test_another_agencys_request_is_a_french_404_with_its_reason(
    page, live_server, agent_villeurbanne, agency_lyon
):
    lyon_request = RequestFactory(agency=agency_lyon, subject="Carte Técély bloquée")
    signed_in(page, live_server, agent_villeurbanne)
    page.goto(f"/demandes/{lyon_request.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    expect(page.locator("main")).to_contain_text(
        "Aucune demande de votre agence ou à votre nom ne porte ce numéro."
    )
    expect(page.locator("body")).not_to_contain_text("Not Found")
    page.screenshot(path=ARTIFACTS / "erreur-404.png", full_page=True)
    page.screenshot(path="/tmp/desk-erreur-404.png", full_page=True)
    page.get_by_role("link", name="Retour à l'accueil").click()
    expect(page.locator("h1")).to_have_text("Bonjour, Théo")


def test_a_partner_on_a_customer_page_is_told_and_sent_home(
    page, live_server, partner_user, helene
):
    signed_in(page, live_server, partner_user)
    page.goto(helene.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès refusé")
    expect(page.locator("main")).to_contain_text("Votre rôle ne permet pas d'ouvrir cette page")
    page.get_by_role("link", name="Retour à l'accueil").click()
    expect(page).to_have_url(re.compile("/equipes/espace-partenaire/$"))


def test_a_server_error_is_the_french_page_in_the_layout(page, live_server, agent, helene):
    signed_in(page, live_server, agent)
    table = Consent._meta.db_table
    with connection.cursor() as cursor:  # the server fails for real on her page
        cursor.execute(f'ALTER TABLE "{table}" RENAME TO "{table}_hors_service"')
    try:
        response = page.goto(helene.get_absolute_url())
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'ALTER TABLE "{table}_hors_service" RENAME TO "{table}"')
    assert response.status == 500
    expect(page.get_by_role("heading", level=1)).to_have_text("Erreur interne")
    expect(page.locator("main")).to_contain_text("l'équipe technique est prévenue")
    expect(page.get_by_role("link", name="Relation Client")).to_be_visible()  # the layout
    expect(page.locator("body")).not_to_contain_text("Server Error")
    page.screenshot(path=ARTIFACTS / "erreur-500.png", full_page=True)
    page.screenshot(path="/tmp/desk-erreur-500.png", full_page=True)
    page.get_by_role("link", name="Retour à l'accueil").click()
    expect(page.locator("h1")).to_have_text("Bonjour, Camille")
