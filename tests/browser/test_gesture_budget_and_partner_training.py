"""In a real browser: a gesture above the agency's monthly budget waits for the manager,
who approves it from the gestures page; a partner's person opening the academy lands on
the sessions they are invited to and confirms."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from agences.models import TrainingSession
from agences.services import training_register
from relation_client.touchpoints.models import GestureKind
from relation_client.touchpoints.services import gesture_grant
from tests.browser.conftest import ARTIFACTS, signed_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_above_the_budget_the_manager_approves(
    page, browser, live_server, agency_lyon, helene, agent, manager_lyon
):
    agency_lyon.monthly_gesture_budget = Decimal("100")
    agency_lyon.save(update_fields=["monthly_gesture_budget"])
    for _ in range(3):
        gesture_grant(
            customer=helene,
            agent=agent,
            kind=GestureKind.FREE_TRIPS,
            value=Decimal("30"),
            reason="Tram T1 supprimé, 45 min d'attente à Perrache",
            channel="counter",
        )
    signed_in(page, live_server, agent)
    page.goto(reverse("touchpoints:gesture_grant", args=[helene.pk]))
    page.locator("[name=geste-value]").fill("20")
    page.locator("[name=geste-reason]").fill("Bus 38 supprimé, cliente restée sur le quai")
    page.locator("#gesture-form [type=submit]").first.click()
    expect(page.get_by_text("attend l'approbation du manager")).to_be_visible()

    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    manager = context.new_page()
    signed_in(manager, live_server, manager_lyon)
    manager.goto(reverse("touchpoints:gestures"))
    expect(manager.get_by_text("Au-delà du budget : décision du manager")).to_be_visible()
    manager.screenshot(path=ARTIFACTS / "gestures_over_budget.png", full_page=True)
    manager.get_by_role("button", name="Approuver").click()
    expect(manager.get_by_text("Geste approuvé.")).to_be_visible()
    expect(manager.get_by_text("110,00 € accordés sur 100,00 € alloués")).to_be_visible()
    context.close()


def test_partner_staff_confirm_a_session(page, live_server, gerard):
    session = TrainingSession.objects.create(
        topic="Accueillir une personne malvoyante",
        starts_at=timezone.now() + datetime.timedelta(days=7),
        duration_hours=3,
        trainer="Association Valentin Haüy",
        place="Salle Rhône, siège",
    )
    training_register(session=session, member=gerard.partner_member)
    signed_in(page, live_server, gerard)
    page.goto(reverse("agences:academy"))
    expect(page.locator("h1")).to_have_text("Formations de l'académie du service")
    page.get_by_role("button", name="Je viendrai").click()
    expect(page.get_by_text("Présence confirmée, merci.")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "partner_trainings.png", full_page=True)
