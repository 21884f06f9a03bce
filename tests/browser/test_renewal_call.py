"""Retention before the lapse: the rider's panel on her page, then the renewals list and
the call noted in two clicks (inline SVG and the collapse under the strict CSP)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reconquete.models import RidershipMonth, Subscription
from reconquete.selectors import add_months
from relation_client.customers.services import CustomerData, customer_create
from tests.browser.conftest import ARTIFACTS, signed_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_panel_then_the_retention_call(page, live_server, agent, agency_lyon):
    today = timezone.localdate()
    valerie = customer_create(
        data=CustomerData(
            first_name="Valérie",
            last_name="Muller",
            civility="mme",
            phones=["+33633236999"],
            home_agency=agency_lyon,
            usual_contact=agent,
        )
    )
    Subscription.objects.create(
        customer=valerie,
        contract_number="ABO-0052-1",
        product="Pass Partout mensuel",
        start_date=datetime.date(2024, 8, 1),
        end_date=today + datetime.timedelta(days=20),
        status="active",
        sales_channel="counter",
    )
    last = add_months(today.replace(day=1), -1)
    RidershipMonth.objects.bulk_create(
        [
            RidershipMonth(customer=valerie, month=datetime.date(2019, m, 1), trips=19)
            for m in range(1, 13)
        ]
        + [
            RidershipMonth(customer=valerie, month=add_months(last, -i), trips=18)
            for i in range(1, 12)
        ]
        + [RidershipMonth(customer=valerie, month=last, trips=6)]
    )
    signed_in(page, live_server, agent)

    page.goto(valerie.get_absolute_url())
    panel = page.get_by_role("region", name="Abonnements et fréquentation")
    expect(panel).to_contain_text("Pass Partout mensuel")
    expect(panel).to_contain_text("renouvellement à prévoir le")
    expect(panel).to_contain_text("Fréquentation en baisse : 6 trajets")
    expect(panel.get_by_role("img")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "fiche-abonnements.png", full_page=True)

    page.goto("/reconquete/renouvellements/")
    item = page.locator("#abonnement-" + str(valerie.subscriptions.get().pk))
    expect(item).to_contain_text("non recueillie")
    item.get_by_role("button", name="Noter l'appel").click()
    item.get_by_label("Note").fill("Renouvellera au guichet de Part-Dieu.")
    expect(item.get_by_role("button", name="Offre acceptée")).to_have_count(0)
    item.get_by_role("button", name="Joint", exact=True).click()
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text(
        "Appel noté pour Mme Valérie Muller"
    )
    expect(page.locator("#abonnement-" + str(valerie.subscriptions.get().pk))).to_contain_text(
        "Déjà appelé"
    )
    page.screenshot(path=ARTIFACTS / "renouvellements.png", full_page=True)
    assert valerie.touchpoints.get().summary.endswith(
        "Résultat : joint. Renouvellera au guichet de Part-Dieu."
    )
