"""A customer's thanks, from the agent's form to the team's page and the academy's team
card: the words are there, the customer is not."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from satisfaction.models import LineRoute
from satisfaction.services import incivility_report
from tests.browser.conftest import ARTIFACTS, signed_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_thanks_reaches_the_team_without_the_customer(
    page, live_server, agent, helene, supervisor_lyon, agency_lyon
):
    LineRoute.objects.create(line="C3", agency=agency_lyon, recipient=supervisor_lyon)
    incivility_report(
        reported_by=agent,
        direction="against_staff",
        kind="rudeness",
        severity=1,
        place="counter",
        description="Client impoli au guichet.",
        occurred_at=timezone.now() - datetime.timedelta(hours=2),
    )
    signed_in(page, live_server, agent)

    page.goto(helene.get_absolute_url())
    page.get_by_label("Motif").select_option(label="Remerciement")
    page.get_by_label("Résumé de l'échange").fill(
        "Remercie le conducteur de la ligne C3 : il a attendu qu'elle s'asseye avant de repartir"
    )
    page.get_by_label("Ou ligne dont les conducteurs sont remerciés").fill("ligne c3")
    page.screenshot(path=ARTIFACTS / "remerciement-formulaire.png", full_page=True)
    page.get_by_role("button", name="Enregistrer l'échange").click()
    expect(page.get_by_role("status")).to_contain_text("Échange enregistré")

    page.get_by_label("Motif").select_option(label="Remerciement")
    page.get_by_label("Résumé de l'échange").fill(
        "Mme Dupont-Lefèvre remercie l'agence pour l'accueil et la patience au guichet"
    )
    page.get_by_role("button", name="Enregistrer l'échange").click()
    expect(page.locator("#historique > li")).to_have_count(2)

    page.goto("/satisfaction/remerciements/")
    expect(page.locator("h1")).to_have_text("Remerciements reçus")
    table = page.get_by_role("table")
    expect(table).to_contain_text("Conducteurs de la ligne C3")
    expect(table).to_contain_text("remercie l'agence pour l'accueil")
    expect(page.locator("main")).not_to_contain_text("Dupont")
    expect(page.locator("main")).not_to_contain_text("Hélène")
    page.screenshot(path=ARTIFACTS / "remerciements-recus.png", full_page=True)

    page.goto("/equipes/academie/")
    card = page.locator(f"#reciprocite-{agency_lyon.pk}")
    expect(card).to_contain_text("Remerciements reçus")
    expect(card.locator("tr").nth(1).locator("td").last).to_have_text("2")
    expect(card.locator("tr").nth(2).locator("td").last).to_have_text("1")
    card.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "academie-reciprocite.png", full_page=True)
