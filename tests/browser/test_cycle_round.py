"""In the browser: a manager moves a segment from Privilégier to Contrôler, is refused
moving on without a measured control, records one, and moves to Évoluer."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from relation_client.customers.models import Segment
from relation_client.cycle import services
from relation_client.cycle.models import Stage
from tests.browser.conftest import ARTIFACTS, signed_in
from tests.cycle.conftest import bring_round_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_privilegier_to_evoluer_through_a_refusal(page, live_server, manager_lyon):
    steerer = manager_lyon

    def bring_to(segment, stage):
        return bring_round_to(segment, stage, by=steerer)

    pmr = Segment.objects.get(name="Personnes à mobilité réduite")
    round = bring_to(pmr, Stage.PRIVILEGE)
    services.privilege_action_add(
        round=round,
        by=steerer,
        kind="priority_handling",
        description="Traitement prioritaire des demandes PMR",
        starts_on=timezone.localdate(),
    )
    # a few other segments, so the board looks like a network at work
    bring_to(Segment.objects.get(name="Abonnés annuels"), Stage.ADAPT)
    bring_to(Segment.objects.get(name="Seniors"), Stage.EVOLVE)

    signed_in(page, live_server, manager_lyon)
    page.goto("/cycle/")
    expect(page.locator("h1")).to_have_text("Cycle de fidélisation")
    page.screenshot(path=ARTIFACTS / "cycle-tableau.png", full_page=True)

    # open the segment's card, in the Privilégier column
    card = page.get_by_role("link", name="Tour 1 · Personnes à mobilité réduite")
    card.focus()
    page.keyboard.press("Enter")
    current = page.locator('[aria-current="step"]')
    expect(current).to_contain_text("Privilégier")

    page.get_by_role("button", name="Passer à Contrôler").click()
    expect(page.get_by_role("status")).to_contain_text("Le tour passe à l'étape « Contrôler »")
    expect(current).to_contain_text("Contrôler")

    # refused: no measured control yet, and the page says why
    page.get_by_role("button", name="Passer à Évoluer").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Impossible de passer à Évoluer : aucun contrôle n'a encore de valeur mesurée."
    )
    expect(current).to_contain_text("Contrôler")
    page.screenshot(path=ARTIFACTS / "cycle-refus.png", full_page=True)

    # record a measured control
    page.get_by_text("Ajouter un contrôle").click()
    form = page.locator("form[action$='/ajouter/controle/']")
    form.get_by_role("combobox", name="Indicateur").select_option(
        label="Autre indicateur (valeur saisie)"
    )
    form.get_by_role("textbox", name="Ce qui est mesuré").fill(
        "Demandes PMR traitées sous 24 h (%)"
    )
    form.get_by_role("textbox", name="Cible").fill("90")
    form.get_by_role("textbox", name="Valeur mesurée").fill("93,5")
    form.get_by_label("Contrôle clé (affiché sur le tableau de bord)").check()
    form.get_by_role("button", name="Ajouter le contrôle").click()
    expect(page.get_by_role("status")).to_contain_text("Enregistré.")
    controls = page.locator("#controles")
    expect(controls).to_contain_text("Demandes PMR traitées sous 24 h (%)")
    expect(controls).to_contain_text("✓ Cible atteinte")

    page.get_by_role("button", name="Passer à Évoluer").click()
    expect(page.get_by_role("status")).to_contain_text("Le tour passe à l'étape « Évoluer »")
    expect(current).to_contain_text("Évoluer")
    round.refresh_from_db()
    assert round.stage == Stage.EVOLVE
    assert [m.to_stage for m in round.transitions.all()][-2:] == [Stage.CONTROL, Stage.EVOLVE]

    page.goto("/cycle/")
    row = page.get_by_role("row", name="Personnes à mobilité réduite")
    expect(row).to_contain_text("93,5 · cible ≥ 90")
    expect(row).to_contain_text("✓ Cible atteinte")
    page.screenshot(path=ARTIFACTS / "cycle-tableau-apres.png", full_page=True)
