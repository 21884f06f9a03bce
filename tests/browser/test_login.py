import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.conftest import PASSWORD

# serialized_rollback: the reference data of the migrations (roles, reasons) survive the flush
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_agent_logs_in_and_is_greeted_by_name(page, agent, live_server):
    page.goto("/")
    expect(page.locator("h1")).to_have_text("Connexion")
    page.get_by_label("Identifiant").fill("camille")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.keyboard.press("Enter")  # the keyboard alone is enough
    expect(page.locator("h1")).to_have_text("Bonjour, Camille")
    assert page.url == f"{live_server.url}/"
    expect(page.locator("main")).to_contain_text("Agence Lyon Part-Dieu")
    page.screenshot(path=ARTIFACTS / "accueil-agent.png", full_page=True)


def test_no_asset_is_loaded_from_outside(page, agent, live_server):
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url) if not request.url.startswith(live_server.url) else None
        ),
    )
    page.goto("/")
    expect(page.locator("h1")).to_have_text("Connexion")
    assert page.evaluate("typeof htmx") == "object"  # vendored htmx ran
    assert page.evaluate("typeof bootstrap") == "object"
    assert outside == []
