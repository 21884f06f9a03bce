"""The agent's desk from the keyboard: from the caller card to a saved exchange in three
keys besides the summary itself, the help behind « ? », and letters that stay letters
while the agent types."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, signed_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SUMMARY = "Demande les horaires du tram T1 pendant les travaux à Perrache"


def test_from_the_caller_card_to_a_saved_exchange_in_three_keys(page, live_server, agent, helene):
    signed_in(page, live_server, agent)
    keys = []

    def press(key):
        keys.append(key)
        page.keyboard.press(key)

    # the number typed in the caller box, Enter: the caller card
    expect(page.get_by_label("Numéro de l'appelant")).to_be_focused()
    page.keyboard.type("06 12 34 56 78")
    page.keyboard.press("Enter")
    card = page.get_by_role("article", name="Mme Hélène Dupont-Lefèvre")
    expect(card).to_contain_text("Camille Rousseau")
    # from here on, every key but the summary's letters is counted
    press("Escape")  # leave the number field: letters are shortcuts again
    press("n")  # the caller's page, ready to note the call
    expect(page.locator("h1")).to_have_text("Mme Hélène Dupont-Lefèvre")
    expect(page.get_by_label("Canal")).to_have_value("phone")
    summary = page.get_by_label("Résumé de l'échange")
    expect(summary).to_be_focused()
    expect(summary).to_have_value("")  # the « n » was not typed into it
    page.keyboard.type(SUMMARY)
    press("Control+Enter")
    expect(page.get_by_role("status")).to_contain_text("Échange enregistré")
    expect(page.locator("#historique > li").first).to_contain_text(SUMMARY)
    assert helene.touchpoints.get().summary == SUMMARY
    print(f"\nKeys from the caller card to the saved exchange: {len(keys)} {keys}")
    assert keys == ["Escape", "n", "Control+Enter"]  # before: 2 Tabs, Enter, 13 Tabs, Enter


def test_the_help_is_a_french_dialog_that_escape_closes(page, live_server, agent, helene):
    signed_in(page, live_server, agent)
    page.goto(helene.get_absolute_url())
    page.locator("h1").click()  # out of the summary the page focused
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Raccourcis clavier")
    expect(dialog).to_be_visible()
    for line in (
        "Rechercher un client",
        "Noter un nouvel échange",
        "Enregistrer le formulaire en cours de saisie",
        "Aller à la file des demandes",
        "Aller aux alertes",
    ):
        expect(dialog).to_contain_text(line)
    page.screenshot(path=ARTIFACTS / "raccourcis-aide.png")
    page.screenshot(path="/tmp/desk-raccourcis.png")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    # the footer's button opens it too, for whoever does not know « ? »
    page.get_by_role("button", name="Raccourcis clavier").click()
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Fermer", exact=True).click()
    expect(dialog).to_be_hidden()


def test_the_dpo_help_offers_only_their_shortcuts(page, live_server, dpo):
    signed_in(page, live_server, dpo)
    page.locator("h1").click()  # out of the caller box's number field, focused on arrival
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Raccourcis clavier")
    expect(dialog).to_contain_text("Rechercher un client")
    expect(dialog).not_to_contain_text("Noter un nouvel échange")
    expect(dialog).not_to_contain_text("file des demandes")


def test_search_and_go_to_shortcuts(page, live_server, agent, helene):
    signed_in(page, live_server, agent)
    page.goto(helene.get_absolute_url())
    page.locator("h1").click()
    page.keyboard.press("/")  # no search field on this page: the search page, its field
    expect(page).to_have_url(re.compile("/clients/$"))
    expect(page.get_by_role("searchbox")).to_be_focused()
    page.keyboard.type("Dupont")
    expect(page.get_by_role("searchbox")).to_have_value("Dupont")  # « / » not typed in
    page.keyboard.press("Escape")  # clears the search field, as browsers do
    page.keyboard.press("Escape")  # then leaves it
    page.keyboard.press("g")
    page.keyboard.press("d")
    expect(page).to_have_url(re.compile("/demandes/$"))
    page.keyboard.press("g")
    page.keyboard.press("a")
    expect(page).to_have_url(re.compile("/demandes/alertes/$"))
    page.goto("/")
    page.locator("h1").click()
    page.keyboard.press("/")  # the home page's own search field
    expect(page.locator("#q")).to_be_focused()


def test_letters_typed_in_a_field_stay_letters(page, live_server, colleague_lyon, helene):
    signed_in(page, live_server, colleague_lyon)  # not Hélène's usual contact: the handover
    page.goto(helene.get_absolute_url())
    summary = page.get_by_label("Résumé de l'échange")
    expect(summary).to_be_focused()
    page.keyboard.type("n/g d ? g a")
    expect(summary).to_have_value("n/g d ? g a")
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page).to_have_url(re.compile(f"/clients/{helene.pk}/$"))
    # the handover note is a field too; n from outside any field goes to the summary
    page.get_by_label("Note pour l'interlocuteur (facultatif)").focus()
    page.keyboard.press("n")
    expect(page.get_by_label("Note pour l'interlocuteur (facultatif)")).to_have_value("n")
    page.keyboard.press("Escape")
    page.keyboard.press("n")
    expect(summary).to_be_focused()
