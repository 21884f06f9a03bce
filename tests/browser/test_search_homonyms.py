"""An agent searches a very common name: the count, the lines told apart, the pages."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, signed_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_agent_pages_through_namesakes(page, live_server, agent, camille_martins):
    signed_in(page, live_server, agent)

    page.goto(reverse("customers:search"))
    page.get_by_label("Nom, téléphone, e-mail ou numéro de carte").fill("camille martin")
    page.keyboard.press("Enter")
    expect(page.locator("#nombre-resultats")).to_contain_text("45 clients correspondent")
    lines = page.locator("#resultats li.list-group-item")
    expect(lines).to_have_count(20)
    expect(lines.first).to_contain_text("né(e) en 1950")
    expect(lines.first).to_contain_text("suivi par Camille Rousseau (Lyon Part-Dieu)")
    page.screenshot(path=ARTIFACTS / "recherche-homonymes.png", full_page=True)

    page.get_by_role("link", name="Page suivante").click()
    page.get_by_role("link", name="Page suivante").click()
    expect(page.locator("#resultats li.list-group-item")).to_have_count(5)
    expect(page.get_by_text("Page 3 sur 3")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "recherche-homonymes-page-3.png", full_page=True)


def test_the_dpo_tells_namesakes_apart_before_an_erasure(page, live_server, dpo, camille_martins):
    signed_in(page, live_server, dpo)

    page.goto(reverse("privacy:index") + "?q=Camille+Martin")
    expect(page.locator("#nombre-resultats")).to_contain_text("45 clients correspondent")
    first = page.locator(f'li[data-customer="{camille_martins[0].pk}"]')
    expect(first).to_contain_text("né(e) en 1950")
    expect(first).to_contain_text("69001 Lyon")
    page.screenshot(path=ARTIFACTS / "dpo-recherche-homonymes.png", full_page=False)
