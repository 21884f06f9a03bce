"""The agent's fast path: an incoming call, the caller greeted by name, the call logged."""

import datetime

import pytest
from playwright.sync_api import expect

from relation_client.customers.services import CustomerData, customer_create
from tests.browser.conftest import ARTIFACTS, signed_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_incoming_call_to_logged_touchpoint_in_three_actions(page, live_server, agent, agency_lyon):
    helene = customer_create(
        data=CustomerData(
            first_name="Hélène",
            last_name="Dupont-Lefèvre",
            civility="mme",
            phones=["+33612345678"],
            birth_date=datetime.date(1968, 4, 12),
            home_agency=agency_lyon,
            usual_contact=agent,
        )
    )
    signed_in(page, live_server, agent)

    # 1. the number, as the agent reads it on the phone's screen
    expect(page.get_by_label("Numéro de l'appelant")).to_be_focused()
    page.get_by_label("Numéro de l'appelant").fill("06 12 34 56 78")
    page.keyboard.press("Enter")
    card = page.get_by_role("article", name="Mme Hélène Dupont-Lefèvre")
    expect(card).to_contain_text("Camille Rousseau")
    page.screenshot(path=ARTIFACTS / "appel-entrant.png", full_page=True)

    # 2. open her page, ready to note the call
    card.get_by_role("link", name="Ouvrir la fiche et noter l'appel").click()
    expect(page.locator("h1")).to_have_text("Mme Hélène Dupont-Lefèvre")
    expect(page.get_by_label("Canal")).to_have_value("phone")
    summary = page.get_by_label("Résumé de l'échange")
    expect(summary).to_be_focused()
    summary.fill("Demande les horaires de la ligne C3 pendant les travaux")

    # 3. save
    page.get_by_role("button", name="Enregistrer l'échange").click()
    expect(page.get_by_role("status")).to_contain_text("Échange enregistré")
    first = page.locator("#historique > li").first
    expect(first).to_contain_text("Demande les horaires de la ligne C3 pendant les travaux")
    expect(first).to_contain_text("Téléphone")
    expect(page.get_by_role("status")).to_contain_text("Échange enregistré")
    page.screenshot(path=ARTIFACTS / "fiche-client.png", full_page=True)
    assert helene.touchpoints.count() == 1
