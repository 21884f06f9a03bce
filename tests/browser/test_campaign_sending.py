"""A manager writes a campaign with its offer in French and English, launches it, and its
page says what leaves: the personal e-mails queued in the outbox, counted per status."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reconquete.models import ReconquestCase
from relation_client.customers.consents import consent_record
from relation_client.messaging.models import OutboundMessage
from tests.browser.conftest import ARTIFACTS
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_manager_launches_a_campaign_that_writes_to_its_customers(
    page, make_customer, manager_lyon, agent, monkeypatch
):
    # the sending itself is the outbox's (tests/reconquete/test_campaign_sending.py)
    monkeypatch.setattr(
        "relation_client.messaging.tasks.outbound_send.delay", lambda message_id, dispatch: None
    )
    now = timezone.now()
    for first_name, address, language in (
        ("Hélène", "helene.martin@exemple.fr", "fr"),
        ("Emily", "emily.martin@exemple.fr", "en"),
    ):
        customer = make_customer(
            first_name,
            "Martin",
            civility="mme",
            emails=[address],
            preferred_language=language,
            usual_contact=agent,
        )
        consent_record(
            customer=customer, channel="email", purpose="marketing", given=True, source="web"
        )
        ReconquestCase.objects.create(
            customer=customer,
            reason="ridership_drop",
            opened_at=now - datetime.timedelta(days=10),
            agency_id=customer.home_agency_id,
            lost_since=now.date() - datetime.timedelta(days=70),
            watch_from=now.date().replace(day=1),
            threshold_trips=10,
            baseline_trips=20,
            details={},
        )

    page.goto("/connexion/")
    page.get_by_label("Identifiant").fill("francois")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.keyboard.press("Enter")
    # a manager lands on the dashboard: the bar names him
    expect(page.locator("nav.navbar-rc")).to_contain_text("François")
    page.goto("/reconquete/campagnes/nouvelle/")
    page.get_by_label("Nom de la campagne").fill("Reprenez le tram ! (automne)")
    page.locator("#id_offer_text").fill("Un mois offert sur l'abonnement Tout Lyon.")
    page.get_by_label("Offre, en anglais (facultatif)").fill(
        "One free month on the Tout Lyon pass."
    )
    page.get_by_label("Téléphone").uncheck()
    page.get_by_label("E-mail").check()
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.get_by_role("button", name="Lancer la campagne").click()

    expect(page.get_by_text("À envoyer : 2 e-mail(s) et 0 SMS personnalisés.")).to_be_visible()
    section = page.get_by_role("region", name="Messages de la campagne")
    expect(section).to_contain_text("E-mail : 0 envoyé(s), 2 à envoyer")
    page.screenshot(path=ARTIFACTS / "campagne-envois.png", full_page=True)
    bodies = dict(OutboundMessage.objects.values_list("to_address", "body_text"))
    assert "One free month on the Tout Lyon pass." in bodies["emily.martin@exemple.fr"]
    assert "Un mois offert" in bodies["helene.martin@exemple.fr"]
