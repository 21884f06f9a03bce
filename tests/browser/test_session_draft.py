"""A shared counter: the agent types a summary, walks away, the session ends; the page
warned, went to the login page by itself, and after signing in again the draft is back."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DRAFT = "Cherche sa carte TCL perdue hier soir dans le C3, rappeler demain matin"


def _sign_in(page):
    page.get_by_label("Identifiant").fill("camille")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.keyboard.press("Enter")


def test_the_draft_survives_an_expired_session(page, settings, helene):
    # a session idle for six seconds ends; the warning comes four seconds before
    settings.SESSION_IDLE_SECONDS = 6
    settings.SESSION_WARNING_SECONDS = 4
    page.goto("/connexion/")
    _sign_in(page)
    expect(page.locator("h1")).to_have_text("Bonjour, Camille")

    page.goto(helene.get_absolute_url())
    summary = page.get_by_label("Résumé de l'échange")
    summary.type(DRAFT)

    warning = page.get_by_role("alert").filter(has_text="Votre session va expirer")
    expect(warning).to_be_visible(timeout=6000)
    expect(warning).to_contain_text("brouillon")
    page.screenshot(path=ARTIFACTS / "session-avertissement.png", full_page=True)

    # nobody touches the screen: the page goes to the login page by itself
    expect(page.locator("h1")).to_have_text("Connexion", timeout=10000)
    expect(page.locator("main")).to_contain_text("Votre session a expiré")
    assert DRAFT not in page.content()  # the draft is not on a signed-out screen

    _sign_in(page)
    expect(page.locator("h1")).to_have_text("Mme Hélène Dupont-Lefèvre")
    expect(page.get_by_label("Résumé de l'échange")).to_have_value(DRAFT)
    page.screenshot(path=ARTIFACTS / "session-brouillon-restaure.png", full_page=True)

    # saved: the draft is done with, a new page opens empty
    settings.SESSION_IDLE_SECONDS = 3600
    page.get_by_role("button", name="Enregistrer l'échange").click()
    expect(page.get_by_role("status")).to_contain_text("Échange enregistré")
    page.reload()
    expect(page.get_by_label("Résumé de l'échange")).to_have_value("")
    assert helene.touchpoints.get().summary == DRAFT


def test_staying_signed_in_keeps_the_session(page, settings, helene):
    settings.SESSION_IDLE_SECONDS = 6
    settings.SESSION_WARNING_SECONDS = 5
    page.goto("/connexion/")
    _sign_in(page)
    expect(page.locator("h1")).to_have_text("Bonjour, Camille")
    page.goto(helene.get_absolute_url())
    page.get_by_role("button", name="Rester connecté").click(timeout=6000)
    expect(page.get_by_role("alert").filter(has_text="Votre session va expirer")).to_have_count(0)
    page.wait_for_timeout(3000)  # past the first end: the keep-alive moved it
    expect(page.locator("h1")).to_have_text("Mme Hélène Dupont-Lefèvre")
