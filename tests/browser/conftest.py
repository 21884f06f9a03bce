import re
from pathlib import Path

import pytest

from agences.models import Agent
from tests.conftest import PASSWORD
from tests.support.browser import HOW, find_chromium, system_chromium
from tests.support.reference import reference_data_restore

# screenshots of the pages the tests drive, to look at (git-ignored)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARTIFACTS.mkdir(exist_ok=True)


def signed_in(page, live_server, user_or_agent):
    """`user_or_agent` (an Agent, or a user account such as a partner's person) signs in
    through the login form as a person does: username, password, Enter. Returns the page
    once the login has led on: a member of staff to their landing (an agent's home page
    greeting them by first name, a supervisor's queue, a manager's dashboard: LANDINGS in
    relation_client/views.py) with the bar naming them, anyone else to a page that is not
    the login form. No TOTP step: the
    second factor is off for the whole run (tests/conftest.py, second_factor_off).
    tests/browser/test_login.py and test_session_draft.py drive the form themselves."""
    from playwright.sync_api import expect

    user = getattr(user_or_agent, "user", user_or_agent)
    page.goto(f"{live_server.url}/connexion/")
    page.get_by_label("Identifiant").fill(user.get_username())
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).not_to_have_url(re.compile("/connexion/"))
    agent = Agent.objects.filter(user=user).first()
    if agent is not None:
        expect(page.locator("nav.navbar-rc")).to_contain_text(agent.display_name)
    else:
        expect(page.locator("h1")).not_to_have_text("Connexion")
    return page


def pytest_collection_modifyitems(config, items):
    """No Chromium: stop before the first test with one line, not a traceback per test."""
    if any(item.get_closest_marker("browser") for item in items) and not find_chromium():
        raise pytest.UsageError(HOW)


@pytest.fixture(autouse=True)
def reference_data(request):
    """Each browser test starts with the reference lists and the role groups."""
    if "live_server" not in request.fixturenames and "page" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    reference_data_restore()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    options = {
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-gpu",
            "--no-first-run",
        ],
    }
    chromium = system_chromium()
    if chromium:
        options["executable_path"] = chromium  # else the one `playwright install` downloaded
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**options)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert violations == [], f"the page broke its Content Security Policy: {violations}"
