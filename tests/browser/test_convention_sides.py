"""In a real browser (issue #20): the partner page shows both parties' commitments side
by side, the partner space shows them too, and a partner's person opening a request sees
how to call the customer back — screenshots to look at."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from agences.models import PartnerCommitment
from agences.months import month_start
from relation_client.partners.services import partner_compliance_compute
from relation_client.touchpoints.models import Reason, Request
from tests.browser.conftest import ARTIFACTS, signed_in
from tests.factories import PartnerCommitmentFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_both_sides_and_the_callback(
    page, browser, live_server, objets_trouves, gerard, manager_lyon, helene, agency_lyon
):
    PartnerCommitmentFactory(partner=objets_trouves)
    PartnerCommitment.objects.create(
        partner=objets_trouves,
        party="operator",
        title="Transmettre un dossier complet",
        detail="Le nom du client, une coordonnée pour le rappeler, l'objet de la demande.",
        measure="handover_full",
        target_percent=90,
        starts_on=datetime.date(2026, 1, 1),
    )
    PartnerCommitment.objects.create(
        partner=objets_trouves,
        party="operator",
        title="Donner suite au retour du partenaire",
        measure="operator_reply",
        max_hours=4,
        target_percent=80,
        starts_on=datetime.date(2026, 1, 1),
    )
    now = timezone.now()
    reason = Reason.objects.get(code="lost_property")
    made = [
        Request.objects.create(
            customer=helene,
            agency=agency_lyon,
            channel="phone",
            reason=reason,
            subject=subject,
            opened_at=now - datetime.timedelta(hours=3),
            deadline=now + datetime.timedelta(days=2),
            partner=objets_trouves,
            escalated_at=now - datetime.timedelta(hours=2),
            handover_complete=complete,
        )
        for subject, complete in [
            ("Sac à dos rouge oublié dans le métro B", True),
            ("Écharpe oubliée dans le tram T1", True),
            ("Parapluie oublié au guichet de Perrache", False),
        ]
    ]
    partner_compliance_compute(month=month_start(timezone.localdate()))

    signed_in(page, live_server, manager_lyon)
    today = timezone.localdate()
    page.goto(
        reverse("agences:partner_compliance", args=[objets_trouves.pk, today.year, today.month])
    )
    expect(page.get_by_role("heading", name="Engagements de l'exploitant")).to_be_visible()
    expect(page.get_by_text("67 %")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "convention-staff.png", full_page=True)

    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    partner_page = context.new_page()
    signed_in(partner_page, live_server, gerard)
    partner_page.goto(reverse("agences:partner_requests"))
    expect(partner_page.get_by_role("heading", name="Engagements du partenaire")).to_be_visible()
    partner_page.screenshot(path=ARTIFACTS / "convention-partner-space.png", full_page=True)
    partner_page.goto(reverse("agences:partner_request_detail", args=[made[0].pk]))
    expect(partner_page.locator("[data-callback]")).to_contain_text("06 12 34 56 78")
    partner_page.screenshot(path=ARTIFACTS / "convention-partner-request.png", full_page=True)
    context.close()
