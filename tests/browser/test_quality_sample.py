"""In the browser: a supervisor draws the agency's weekly sample, reviews it on the grid,
reads the results per team and segment, and finds the result on the loyalty cycle's
board as the Seniors' sampling control (Contrôler)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from relation_client.customers.models import Segment
from relation_client.cycle import services as cycle
from relation_client.cycle.models import Stage
from relation_client.quality.indicators import INDICATOR
from relation_client.quality.models import Sample
from tests.browser.conftest import ARTIFACTS, signed_in
from tests.cycle.conftest import bring_round_to
from tests.quality.conftest import closed_request

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_weekly_sample_from_the_draw_to_the_cycle(
    page, live_server, supervisor_lyon, manager_lyon, agent, agency_lyon, make_customer
):
    seniors = Segment.objects.get(name__icontains="senior")
    people = [
        ("Hélène", "Dupont-Lefèvre"),
        ("Josèphe", "Lemaître"),
        ("Gérard", "Pécuchet"),
        ("Françoise", "Aubert"),
    ]
    for first, last in people:
        closed_request(
            agency=agency_lyon,
            customer=make_customer(first, last, segment=seniors),
            assignee=agent,
            subject=f"Remboursement d'un abonnement résilié ({first} {last})",
        )
    # the Seniors' round is at Contrôler, with the sampling control as its key control
    round = bring_round_to(seniors, Stage.CONTROL, by=manager_lyon)
    cycle.control_add(round=round, by=manager_lyon, indicator=INDICATOR, target=80, is_key=True)

    signed_in(page, live_server, supervisor_lyon)
    page.get_by_role("button", name="Pilotage").click()
    page.get_by_role("link", name="Contrôle par échantillon").click()
    expect(page.locator("h1")).to_have_text("Contrôle par échantillon")
    page.get_by_role("button", name="Tirer l'échantillon").click()
    expect(page.get_by_role("status")).to_contain_text("Échantillon tiré : 4 demande(s) à revoir.")
    page.screenshot(path=ARTIFACTS / "echantillon-tire.png", full_page=True)

    # the grid, request by request: the page moves on to the next one to review
    page.get_by_role("link", name="Remboursement d'un abonnement résilié").first.click()
    for number in range(1, 5):
        expect(page.get_by_role("heading", name="Grille de contrôle")).to_be_visible()
        expect(page.locator("#titre-fil + ol")).to_contain_text("remboursement accordé")
        # pre-filled from the data: answered before the deadline
        expect(page.locator("#div_id_deadline_kept").get_by_label("Oui")).to_be_checked()
        page.locator("#div_id_quality").get_by_label("Bon").check()
        named = "Non" if number == 4 else "Oui"
        page.locator("#div_id_customer_named").get_by_label(named).check()
        page.locator("#div_id_follow_up_done").get_by_label("Oui").check()
        if number == 1:
            page.screenshot(path=ARTIFACTS / "echantillon-grille.png", full_page=True)
        page.get_by_role("button", name="Enregistrer la grille").click()
        expect(page.get_by_role("status")).to_contain_text("Grille enregistrée.")
    expect(page.locator("h1")).to_contain_text("Échantillon de la semaine du")
    expect(page.get_by_text("conforme", exact=True)).to_have_count(3)
    expect(page.get_by_text("non conforme", exact=True)).to_have_count(1)

    page.get_by_label("Fil d’Ariane").get_by_role("link", name="Contrôle par échantillon").click()
    page.get_by_role("link", name="Voir les résultats par équipe et par segment").click()
    expect(page.locator("#resultats-equipes")).to_contain_text("Lyon Part-Dieu")
    expect(page.locator("#resultats-segments")).to_contain_text("75 % (3)")
    expect(page.locator("main")).not_to_contain_text("Camille Rousseau")
    page.screenshot(path=ARTIFACTS / "echantillon-resultats.png", full_page=True)

    # the night's measure of the cycle's controls: the sampling control takes the result
    assert cycle.controls_measure_open(now=timezone.now() + datetime.timedelta(minutes=1)) == 1
    page.goto("/cycle/")
    row = page.get_by_role("row", name="Seniors")
    expect(row).to_contain_text("75 % · cible ≥ 80 %")
    page.screenshot(path=ARTIFACTS / "echantillon-cycle.png", full_page=True)
    assert Sample.objects.get().items.filter(reviewed_at__isnull=False).count() == 4
