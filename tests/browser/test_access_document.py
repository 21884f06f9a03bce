"""The DPO opens a customer's right-of-access document, ready to print (or save as PDF)
for the person; an erased record's customer page reads as read-only."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reconquete.models import RidershipMonth, Subscription
from relation_client.customers.consents import consent_record
from relation_client.customers.models import Civility
from relation_client.privacy.services import customer_erase
from relation_client.touchpoints.models import Reason
from relation_client.touchpoints.services import gesture_grant, touchpoint_log
from tests.browser.conftest import ARTIFACTS, signed_in
from tests.support.time import paris

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_dpo_reads_and_prints_the_access_document(page, live_server, dpo, agent, make_customer):
    helene = make_customer(
        civility=Civility.MADAME,
        phones=["06 12 34 56 78"],
        emails=["helene.dupont@exemple.fr"],
        cards=["TCL 0042 1968"],
        birth_date=datetime.date(1968, 4, 12),
        needs="Malvoyante : préfère les courriers en gros caractères.",
        usual_contact=agent,
    )
    consent_record(
        customer=helene,
        channel="sms",
        purpose="marketing",
        given=True,
        source="counter",
        at=paris(2026, 3, 14, 10, 30),
    )
    touchpoint_log(
        agent=agent,
        customer=helene,
        channel="phone",
        reason=Reason.objects.get(code="fare"),
        summary="Tarif solidaire : justificatifs demandés",
        occurred_at=paris(2026, 7, 1, 10, 0),
    )
    gesture_grant(
        customer=helene,
        agent=agent,
        kind="free_trips",
        value=Decimal("4.50"),
        reason="Retard répété de la ligne C3",
        channel="phone",
    )
    Subscription.objects.create(
        customer=helene,
        contract_number="ABO-2025-004217",
        product="Tout Lyon Senior",
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 12, 31),
        status="ended",
        sales_channel="counter",
    )
    RidershipMonth.objects.create(customer=helene, month=datetime.date(2026, 3, 1), trips=22)

    signed_in(page, live_server, dpo)
    page.goto(reverse("privacy:customer", args=[helene.pk]))
    expect(page.locator("h1")).to_have_text("Données détenues sur Mme Hélène Dupont-Lefèvre")
    expect(page.get_by_role("heading", name="Consentements")).to_be_visible()
    expect(page.locator("#consentements")).to_contain_text("14 mars 2026 à 10:30")
    expect(page.get_by_role("button", name="Imprimer ou enregistrer en PDF")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "droit-acces.png", full_page=True)

    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Imprimer ou enregistrer en PDF")).to_be_hidden()
    expect(page.locator("nav.navbar")).to_be_hidden()
    page.screenshot(path=ARTIFACTS / "droit-acces-impression.png", full_page=True)
    page.pdf(path=ARTIFACTS / "droit-acces.pdf", format="A4")

    with page.expect_download() as download:
        page.emulate_media(media="screen")
        page.get_by_role("link", name="Télécharger les données brutes (JSON)").click()
    assert download.value.suggested_filename == f"fiche-{helene.pk}.json"


def test_an_erased_record_reads_as_read_only(page, live_server, dpo, agent, make_customer):
    zoe = make_customer("Zoé", "Besançon", phones=["04 78 00 11 22"])
    customer_erase(customer=zoe, user=dpo.user, reason="Demande écrite du 3 mars")
    signed_in(page, live_server, agent)
    page.goto(zoe.get_absolute_url())
    expect(page.locator("#fiche-effacee")).to_contain_text("lecture seule")
    expect(page.get_by_role("link", name="Accorder un geste commercial")).to_have_count(0)
    page.screenshot(path=ARTIFACTS / "fiche-effacee.png", full_page=True)
