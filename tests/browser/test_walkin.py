"""In a real browser (issue #14): an agent logs an exchange with a person who gave no
name from the home page in one step, then attaches it to the customer found by name."""

import pytest
from playwright.sync_api import expect

from relation_client.touchpoints.models import Touchpoint
from tests.browser.conftest import ARTIFACTS, signed_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SUMMARY = "Itinéraire pour l'hôpital Édouard-Herriot depuis Bellecour"


def test_log_a_walk_in_then_attach_it(page, live_server, agent, helene):
    signed_in(page, live_server, agent)

    box = page.locator("#sans-nom")
    hint = page.locator("#suite-demande-sans-nom")
    box.get_by_label("Canal").select_option(label="Guichet")
    box.get_by_label("Motif").select_option(label="Réclamation")
    expect(hint).to_contain_text("Le motif « Réclamation » en ouvre une par défaut.")
    box.get_by_label("Motif").select_option(label="Information")
    expect(hint).to_contain_text("le motif « Information » n'en ouvre pas par défaut")
    box.get_by_label("Résumé de l'échange").fill(SUMMARY)
    box.get_by_label("Coordonnées laissées (facultatif)").fill("06 98 76 54 32")
    page.screenshot(path=ARTIFACTS / "sans-nom-accueil.png", full_page=True)
    box.get_by_role("button", name="Enregistrer l'échange sans nom").click()

    expect(page.locator("h1")).to_contain_text("Échanges sans nom")
    expect(page.get_by_text("Échange sans nom enregistré.")).to_be_visible()
    expect(page.get_by_text(SUMMARY)).to_be_visible()
    page.screenshot(path=ARTIFACTS / "sans-nom-liste.png", full_page=True)
    page.get_by_role("link", name="Rattacher à un client").first.click()

    expect(page.locator("h1")).to_have_text("Rattacher un échange sans nom")
    page.get_by_label("Nom, téléphone, e-mail ou numéro de carte").fill("Dupont-Lefevre")
    page.keyboard.press("Enter")
    attach = page.get_by_role("button", name="Rattacher : Mme Hélène Dupont-Lefèvre")
    expect(attach).to_be_visible()
    page.screenshot(path=ARTIFACTS / "sans-nom-rattacher.png", full_page=True)
    attach.click()

    expect(page.get_by_text("Échange rattaché à")).to_be_visible()
    expect(page.locator("#historique")).to_contain_text(SUMMARY)
    page.screenshot(path=ARTIFACTS / "sans-nom-historique.png", full_page=True)
    touchpoint = Touchpoint.objects.get(summary=SUMMARY)
    assert touchpoint.customer_id == helene.pk and touchpoint.request_id is None
