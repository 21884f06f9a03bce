"""In the browser: a supervisor enters a disruption of the C3, sees its riders (priority
categories first) and warns them; the customer page then shows the disruption."""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from relation_client.messaging.models import OutboundMessage
from tests.browser.conftest import ARTIFACTS, signed_in
from tests.network.conftest import (  # noqa: F401 (fixtures)
    demo_zip,
    network,
    priority_categories,
    riders,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PARIS = ZoneInfo("Europe/Paris")
SHOTS = Path("/work/wt/shots")


def _local(moment: datetime.datetime) -> str:
    return moment.astimezone(PARIS).strftime("%Y-%m-%dT%H:%M")


def test_staff_enter_a_disruption_see_the_riders_and_warn_them(
    page,
    live_server,
    supervisor_lyon,
    riders,  # noqa: F811 (the fixture imported above)
    settings,
):
    settings.NETWORK_HELD_OUT_PERCENT = 0
    now = timezone.now()
    signed_in(page, live_server, supervisor_lyon)
    page.get_by_role("button", name="Équipe").click()
    page.get_by_role("link", name="Perturbations du réseau").click()
    page.get_by_role("link", name="Saisir une perturbation").click()

    main = page.locator("main")
    main.get_by_label("C3 — Gare Saint-Paul – Vaulx-en-Velin La Soie").check()
    main.get_by_label("Début").fill(_local(now - datetime.timedelta(hours=2)))
    main.get_by_label("Fin (vide : en cours, fin inconnue)").fill(
        _local(now - datetime.timedelta(minutes=30))
    )
    main.get_by_label("Cause").select_option(label="Problème technique")
    main.get_by_label("Effet").select_option(label="Retards importants")
    main.get_by_label("Titre").fill("Ligne C3 : panne d'aiguillage à Part-Dieu, retards")
    main.get_by_label("Itinéraire de substitution").fill(
        "Prenez le T1 jusqu'à Part-Dieu Villette, puis le C13."
    )
    main.get_by_role("button", name="Enregistrer la perturbation").click()

    expect(page.locator("h1")).to_have_text("Ligne C3 : panne d'aiguillage à Part-Dieu, retards")
    expect(main.get_by_role("heading", name="4 voyageurs touchés")).to_be_visible()
    rows = main.locator("table").last.locator("tbody tr")
    expect(rows.first).to_contain_text("Aïcha Diallo")
    expect(rows.first).to_contain_text("Prioritaire")
    page.screenshot(path=SHOTS / "disruptions-riders.png", full_page=True)

    main.get_by_role("button", name="Prévenir les voyageurs").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Voyageurs prévenus : 1 e-mail(s) et 1 SMS en partance, 1 appel(s) à passer"
    )
    expect(main.get_by_role("heading", name="Voyageurs prioritaires à appeler")).to_be_visible()
    page.screenshot(path=SHOTS / "disruptions-warned.png", full_page=True)
    page.screenshot(path=ARTIFACTS / "perturbation-prevenue.png", full_page=True)
    assert set(OutboundMessage.objects.values_list("customer__first_name", flat=True)) == {
        "Hélène",
        "Jérôme",
    }

    page.goto(riders["helene"].get_absolute_url())
    expect(
        main.get_by_role("heading", name="Probablement pris dans une perturbation")
    ).to_contain_text("ligne C3 perturbée")
    page.screenshot(path=SHOTS / "disruptions-customer-page.png", full_page=True)
