"""Two agents open the same request, each in a browser of their own, served by uvicorn
(the ASGI server of `make run`, with the live event stream): the one who was there first
sees the second arrive without reloading, the second sees the first at once; the first
closes their page and the second stops naming them."""

import pytest
from playwright.sync_api import expect

from relation_client.touchpoints.services import touchpoint_log
from tests.browser.conftest import signed_in
from tests.support.reference import reference_data_restore

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = "/work/wt/shots"
# an arrival or a departure reaches the other's page by the live stream: a second or so
LIVE_TIMEOUT_MS = 2000


@pytest.fixture
def browser_of(transactional_db, browser, asgi_live_server):
    """browser_of(agent): a page in a browser context of its own (cookies, storage), signed
    in; each checked for Content Security Policy violations. The contexts close (their
    pages say they leave) before the database is emptied."""
    reference_data_restore()
    contexts, violations = [], []

    def open_for(agent):
        context = browser.new_context(base_url=asgi_live_server.url, locale="fr-FR")
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        signed_in(page, asgi_live_server, agent)
        return page

    yield open_for
    for context in contexts:
        context.close()
    assert violations == [], f"a page broke its Content Security Policy: {violations}"


def _open(page, request):
    page.goto(f"/demandes/{request.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(request.subject)
    # the stream listens for this agent: the other's arrival is not missed
    expect(page.locator("body")).to_have_attribute("data-live", "open")


def test_two_agents_on_one_request_see_each_other(
    browser_of, agent, colleague_lyon, helene, reasons
):
    request = touchpoint_log(
        agent=agent,
        customer=helene,
        channel="phone",
        reason=reasons["complaint"],
        summary="Bus 37 passé en avance à l'arrêt Grange-Blanche",
        open_request=True,
    ).request
    camille = browser_of(agent)
    karim = browser_of(colleague_lyon)

    _open(camille, request)
    presence_camille = camille.locator("main").get_by_role("status").filter(has_text="consulte")
    expect(presence_camille).to_have_count(0)

    _open(karim, request)
    # Karim's page names Camille as it opens; Camille's names Karim, without reloading
    expect(karim.locator("main").get_by_role("status")).to_have_text(
        "Camille Rousseau consulte aussi cette demande."
    )
    expect(presence_camille).to_have_text(
        "Karim Benali consulte aussi cette demande.", timeout=LIVE_TIMEOUT_MS
    )
    camille.screenshot(path=f"{SHOTS}/presence-deux-agents.png", full_page=False)

    # Camille closes the page: Karim's stops naming her
    camille.close()
    presence_karim = karim.locator("main").get_by_role("status").filter(has_text="consulte")
    expect(presence_karim).to_have_count(0, timeout=LIVE_TIMEOUT_MS)
    karim.screenshot(path=f"{SHOTS}/presence-seul.png", full_page=False)
