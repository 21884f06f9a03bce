from pathlib import Path

import pytest

from tests.support.browser import HOW, find_chromium, system_chromium
from tests.support.reference import reference_data_restore

# screenshots of the pages the tests drive, to look at (git-ignored)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARTIFACTS.mkdir(exist_ok=True)


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
