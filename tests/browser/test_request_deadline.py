"""In a real browser, a request waiting for the customer shows its clock paused with the
working time left, every deadline says its rule, and "reprendre" starts the clock again."""

import pytest
from playwright.sync_api import expect

from relation_client.touchpoints.models import Reason
from relation_client.touchpoints.services import request_wait_customer, touchpoint_log
from tests.browser.conftest import ARTIFACTS, signed_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log(customer, agent, channel, summary):
    # a fare question the agent chose to follow up: it opens a request whatever the reason
    reason = Reason.objects.get(code="fare")
    return touchpoint_log(
        agent=agent,
        customer=customer,
        channel=channel,
        reason=reason,
        summary=summary,
        open_request=True,
    )


def test_a_paused_request_on_its_page_and_in_the_queue(page, live_server, helene, agent):
    waiting = log(helene, agent, "email", "Justificatif pour le tarif solidaire").request
    request_wait_customer(request=waiting, by=agent)
    log(helene, agent, "phone", "Carte Técély bloquée à la borne")
    signed_in(page, live_server, agent)

    page.goto("/demandes/")
    rows = page.locator("main tbody tr")
    expect(rows.filter(has_text="tarif solidaire")).to_contain_text(
        "En pause — en attente du client"
    )
    expect(rows.filter(has_text="tarif solidaire")).to_contain_text("2 jours ouvrés")
    expect(rows.filter(has_text="Carte Técély")).to_contain_text("1 jour ouvré")
    page.screenshot(path=ARTIFACTS / "queue-paused-request.png", full_page=True)

    page.goto(waiting.get_absolute_url())
    expect(page.locator("#request-panel")).to_contain_text("En pause — en attente du client")
    expect(page.locator("#request-panel")).to_contain_text("Engagement : 2 jours ouvrés")
    page.screenshot(path=ARTIFACTS / "request-paused.png", full_page=True)
    page.get_by_role("button", name="Le client a répondu : reprendre").click()
    expect(page.locator("#request-panel")).to_contain_text("l'échéance est repoussée")
    expect(page.locator("#request-panel")).not_to_contain_text("En pause")
    page.screenshot(path=ARTIFACTS / "request-resumed.png", full_page=True)
