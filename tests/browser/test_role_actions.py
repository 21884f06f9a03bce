"""Each role sees only the actions it may take, on the customer page, the caller card and
the request page: the DPO, a partner's person, an agent of another agency."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, signed_in
from tests.factories import RequestFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SUBJECT = "Carte Técély bloquée après le rechargement"


@pytest.fixture
def lyon_request(helene, agency_lyon):
    return RequestFactory(agency=agency_lyon, customer=helene, subject=SUBJECT)


def test_the_dpo_sees_no_action_they_cannot_take(page, live_server, dpo, helene, lyon_request):
    signed_in(page, live_server, dpo)
    page.goto(helene.get_absolute_url())
    expect(page.locator("h1")).to_have_text("Mme Hélène Dupont-Lefèvre")
    expect(
        page.get_by_role("form", name="Noter un échange avec Mme Hélène Dupont-Lefèvre")
    ).to_have_count(0)
    expect(page.get_by_label("Résumé de l'échange")).to_have_count(0)
    expect(page.get_by_role("button", name="Confier à Camille")).to_have_count(0)
    expect(page.get_by_role("link", name="Accorder un geste commercial")).to_have_count(0)
    expect(page.get_by_role("link", name="Modifier la fiche")).to_have_count(0)
    # the request is there to read, with no link to a page they may not open
    requests = page.locator("#demandes-ouvertes")
    expect(requests).to_contain_text(SUBJECT)
    expect(requests.get_by_role("link")).to_have_count(0)
    # what is theirs stays: a consent decision the customer tells them
    expect(page.get_by_role("button", name="Enregistrer la décision")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "fiche-client-dpo.png", full_page=True)
    page.screenshot(path="/tmp/desk-fiche-dpo.png", full_page=True)

    # the caller card: the record opens, no call to note, no record to create
    page.goto("/clients/appel/?phone=06+12+34+56+78")
    card = page.get_by_role("article", name="Mme Hélène Dupont-Lefèvre")
    expect(card.get_by_role("link", name="Ouvrir la fiche", exact=True)).to_be_visible()
    expect(card.get_by_role("link", name="Ouvrir la fiche et noter l'appel")).to_have_count(0)
    page.goto("/clients/appel/?phone=04+78+11+22+33")
    expect(page.locator("#appel-resultat")).to_contain_text("Numéro inconnu")
    expect(page.get_by_role("link", name="Créer la fiche avec ce numéro")).to_have_count(0)

    # the request page itself says why, in French
    page.goto(f"/demandes/{lyon_request.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès refusé")


def test_an_agent_of_another_agency_is_offered_only_their_doors(
    page, live_server, agent_villeurbanne, helene, lyon_request
):
    signed_in(page, live_server, agent_villeurbanne)
    page.goto(helene.get_absolute_url())
    requests = page.locator("#demandes-ouvertes")
    expect(requests).to_contain_text(SUBJECT)
    expect(requests.get_by_role("link")).to_have_count(0)
    # logging an exchange, handing over, a gesture: theirs for any customer
    expect(page.get_by_label("Résumé de l'échange")).to_be_visible()
    expect(page.get_by_role("button", name="Confier à Camille")).to_be_visible()
    expect(page.get_by_role("link", name="Accorder un geste commercial")).to_be_visible()
    # logging one that opens a request in their own agency: that one is linked
    page.get_by_label("Résumé de l'échange").fill("Réclamation : valideur en panne à Gratte-Ciel")
    page.get_by_label("Demande", exact=True).select_option(label="Ouvrir une demande")
    page.get_by_role("button", name="Enregistrer l'échange").click()
    expect(page.get_by_role("status")).to_contain_text("Échange enregistré")
    expect(requests.get_by_role("link")).to_have_count(1)
    expect(requests.get_by_role("link")).to_contain_text("valideur en panne")
    # the caller card notes calls for them
    page.goto("/clients/appel/?phone=06+12+34+56+78")
    expect(page.get_by_role("link", name="Ouvrir la fiche et noter l'appel")).to_be_visible()
    # and the Lyon request by its address: the French 404, with the reason
    page.goto(f"/demandes/{lyon_request.pk}/")
    expect(page.locator("main")).to_contain_text("Aucune demande de votre agence")


def test_a_partners_person_meets_french_refusals(
    page, live_server, partner_user, helene, lyon_request
):
    signed_in(page, live_server, partner_user)
    for url in (
        helene.get_absolute_url(),
        "/clients/appel/?phone=06+12+34+56+78",
        f"/demandes/{lyon_request.pk}/",
    ):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_have_text("Accès refusé")
        expect(page.locator("main")).to_contain_text("Votre rôle ne permet pas")
