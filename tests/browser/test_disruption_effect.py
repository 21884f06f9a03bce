"""« Effet des prévenances » in a browser: a manager goes from the reconquest dashboard to the
page with the keyboard's link, reads both groups' rates and a line's disruption hours."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from reconquete.models import CaseReason, ReconquestCase
from reconquete.selectors import disruption_effect as effect
from relation_client.customers.services import CustomerData, customer_create
from relation_client.network.models import Disruption, DisruptionContact, Line, TransportMode
from tests.browser.conftest import ARTIFACTS, signed_in
from tests.browser.test_accessibility import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PARIS = ZoneInfo("Europe/Paris")


def test_a_manager_reads_the_effect_of_warning(page, live_server, manager_lyon, monkeypatch):
    monkeypatch.setattr(effect, "MIN_SAMPLE", 4)  # the hand-built groups are small
    t1 = Line.objects.create(gtfs_id="T1", short_name="T1", mode=TransportMode.TRAM)
    d = Disruption.objects.create(
        source="staff",
        starts_at=datetime.datetime(2025, 11, 30, 22, tzinfo=PARIS),
        ends_at=datetime.datetime(2025, 12, 1, 2, tzinfo=PARIS),
        header="Panne d'aiguillage à Perrache",
    )
    d.lines.add(t1)
    names = ["Amélie", "Benoît", "Céline", "Désiré", "Élodie", "François", "Gaëlle", "Hélène"]
    names += ["Inès", "Jérôme", "Kévin", "Léa", "Maëlys", "Noël"]
    opened = datetime.datetime(2025, 12, 10, 3, tzinfo=PARIS)
    for position, first_name in enumerate(names):
        customer = customer_create(
            data=CustomerData(
                first_name=first_name, last_name="Bérard", home_agency=manager_lyon.agency
            ),
            confirm_duplicate=True,
        )
        held_out = position >= 10
        DisruptionContact.objects.create(
            disruption=d, customer=customer, group="held_out" if held_out else "contacted"
        )
        if position in (0, 1, 10, 11):  # 2 of 10 contacted, 2 of 4 held out
            ReconquestCase.objects.create(
                customer=customer,
                reason=CaseReason.INACTIVE,
                agency=manager_lyon.agency,
                lost_since=datetime.date(2025, 10, 1),
                watch_from=datetime.date(2025, 12, 1),
                opened_at=opened,
            )

    signed_in(page, live_server, manager_lyon)
    page.goto(f"{live_server.url}/reconquete/")
    link = page.locator("main").get_by_role("link", name="Effet des prévenances")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("main h1")).to_contain_text("Effet des prévenances")
    page.locator("main").get_by_label("Du mois").fill("2025-11")
    page.locator("main").get_by_label("Au mois").fill("2025-12")
    page.locator("main").get_by_role("button", name="Afficher").click()
    groups = page.locator("main #groupes")
    expect(groups.locator("tr[data-group='contacted']")).to_contain_text("20 %")
    expect(groups.locator("tr[data-group='held_out']")).to_contain_text("50 %")
    lines = page.locator("main #lignes")
    expect(lines.locator("tr[data-line='T1'][data-month='2025-11']")).to_contain_text("2 h")
    expect(lines.locator("tr[data-line='T1'][data-month='2025-12']")).to_contain_text("2 h")
    page.screenshot(path=str(ARTIFACTS / "effect-page.png"), full_page=True)
    assert axe_violations(page) == []
