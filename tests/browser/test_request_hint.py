"""In a real browser, the touchpoint form says whether saving opens a request, and
changes its answer as the agent picks the reason, the « Demande » choice and the outcome."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import signed_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_hint_follows_the_reason_and_the_outcome(page, live_server, agent, helene):
    signed_in(page, live_server, agent)
    page.goto(helene.get_absolute_url())
    hint = page.locator("#suite-demande")
    page.get_by_label("Motif").select_option(label="Réclamation")
    expect(hint).to_contain_text("Une demande sera ouverte (réponse attendue sous")
    page.get_by_label("Motif").select_option(label="Information")
    expect(hint).to_contain_text("le motif « Information » n'en ouvre pas par défaut")
    page.get_by_label("Demande", exact=True).select_option(label="Ouvrir une demande")
    expect(hint).to_contain_text("Une demande sera ouverte (réponse attendue sous")
    page.get_by_label("Demande", exact=True).select_option(label="Selon le motif")
    page.get_by_label("Motif").select_option(label="Abonnement")
    page.get_by_label("Suite").select_option(label="Réponse donnée sur place")
    expect(hint).to_have_text("Aucune demande ne sera ouverte : réponse donnée sur place.")
    expect(page.get_by_label("Résumé de l'échange")).to_be_visible()
