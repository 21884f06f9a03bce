"""A supervisor reassigns a request from its page: a request of a Lyon customer,
assigned to his usual contact in Villeurbanne, handed to a Lyon colleague."""

import pytest
from playwright.sync_api import expect

from relation_client.touchpoints.models import Reason
from relation_client.touchpoints.services import touchpoint_log
from tests.browser.conftest import ARTIFACTS, signed_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_supervisor_reassigns_a_request_in_one_click(
    page, live_server, agent, supervisor_lyon, colleague_lyon, customer_with_contact_elsewhere
):
    touchpoint = touchpoint_log(
        agent=agent,
        customer=customer_with_contact_elsewhere,
        channel="phone",
        reason=Reason.objects.get(code="complaint"),
        summary="Remboursement du pass refusé",
    )
    request = touchpoint.request
    signed_in(page, live_server, supervisor_lyon)

    page.goto(f"/demandes/{request.pk}/")
    expect(page.locator("#request-panel")).to_contain_text("Théo Marchand (Villeurbanne")
    page.get_by_label("À une personne").select_option(label="Karim Benali (Lyon Part-Dieu)")
    page.get_by_role("button", name="Réattribuer").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Demande réattribuée à Karim Benali (Lyon Part-Dieu)."
    )
    expect(page.locator("#titre-contacts + ol")).to_contain_text(
        "Demande réattribuée à Karim Benali (Lyon Part-Dieu)."
    )
    page.screenshot(path=ARTIFACTS / "demande-reattribuee.png", full_page=True)
    request.refresh_from_db()
    assert request.assignee == colleague_lyon
