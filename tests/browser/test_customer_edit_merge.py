"""A record edited to a phone another record has: the warning, the merge, the other record
picked by name with the keyboard, both compared, merged."""

import datetime

import pytest
from playwright.sync_api import expect

from relation_client.customers.models import Customer
from relation_client.customers.services import CustomerData, customer_create
from tests.browser.conftest import ARTIFACTS, signed_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_edit_to_a_known_phone_then_merge_by_name(page, live_server, supervisor_lyon, agency_lyon):
    helene = customer_create(
        data=CustomerData(
            first_name="Hélène",
            last_name="Dupont-Lefèvre",
            civility="mme",
            phones=["+33612345678"],
            birth_date=datetime.date(1968, 4, 12),
            home_agency=agency_lyon,
        )
    )
    twin = customer_create(
        data=CustomerData(
            first_name="Hélène",
            last_name="Dupont",
            phones=["+33478123456"],
            needs="Préfère les courriers.",
        )
    )
    signed_in(page, live_server, supervisor_lyon)

    # the record's page → « Modifier la fiche »: her phone becomes Hélène's other record's
    page.goto(twin.get_absolute_url())
    page.get_by_role("link", name="Modifier la fiche").click()
    expect(page.locator("h1")).to_have_text("Modifier la fiche de Hélène Dupont")
    page.screenshot(path=ARTIFACTS / "fiche-modifier.png", full_page=True)
    page.get_by_label("Téléphones").fill("06 12 34 56 78")
    page.get_by_role("button", name="Enregistrer les modifications").click()

    # the warning names the other record and offers the merge
    warning = page.locator("#doublons")
    expect(warning).to_contain_text("figurent déjà sur une autre fiche")
    expect(
        warning.get_by_role("link", name="Mme Hélène Dupont-Lefèvre", exact=True)
    ).to_be_visible()
    page.screenshot(path=ARTIFACTS / "fiche-modifier-doublon.png", full_page=True)
    warning.get_by_role("link", name="Fusionner avec la fiche de Mme Hélène Dupont-Lefèvre").click()
    expect(page.get_by_role("heading", name="Comparez avant de fusionner")).to_be_visible()

    # another record, then: chosen by name, typed ahead, reached with the keyboard
    page.get_by_role("link", name="Choisir une autre fiche").click()
    expect(page.get_by_text("Fiche choisie")).to_contain_text("Hélène Dupont")
    search = page.get_by_label("Nom, téléphone, e-mail ou numéro de carte")
    expect(search).to_be_focused()
    search.press_sequentially("dupont lefevre", delay=20)
    choose = page.get_by_role("link", name="Choisir Mme Hélène Dupont-Lefèvre")
    expect(choose).to_be_visible()
    page.screenshot(path=ARTIFACTS / "fusion-recherche.png", full_page=True)
    page.keyboard.press("Tab")  # the « Chercher » button
    page.keyboard.press("Tab")
    expect(choose).to_be_focused()
    page.keyboard.press("Enter")

    # both side by side, then merged
    table = page.locator("table.comparaison")
    expect(table).to_contain_text("Hélène Dupont-Lefèvre")
    expect(table).to_contain_text("04 78 12 34 56")
    expect(table).to_contain_text("06 12 34 56 78")
    page.screenshot(path=ARTIFACTS / "fusion-comparaison.png", full_page=True)
    page.get_by_role("button", name="Fusionner : la fiche de Mme Hélène Dupont-Lefèvre").click()
    expect(page.get_by_role("status")).to_contain_text("Fiches fusionnées dans celle de")
    expect(page.locator("h1")).to_have_text("Mme Hélène Dupont")  # civility filled in
    page.screenshot(path=ARTIFACTS / "fusion-faite.png", full_page=True)
    assert not Customer.objects.filter(pk=helene.pk).exists()
    assert sorted(twin.contact_points.values_list("value", flat=True)) == [
        "+33478123456",
        "+33612345678",
    ]
