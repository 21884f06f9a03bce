"""An htmx answer that is not a success: the login page (the session gone) is never pasted
into the customer page, the page goes there and the draft waits; a refusal, a missing
object, a server error or no answer at all is a French toast, the page left as it was."""

import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db import connection
from playwright.sync_api import expect

from agences import roles
from relation_client.customers.models import Consent
from tests.browser.conftest import ARTIFACTS, signed_in
from tests.conftest import PASSWORD
from tests.factories import RequestFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DRAFT = "Cherche sa carte Técély perdue hier soir dans le C3, rappeler demain matin"
ANSWER = "Carte retrouvée au guichet de Bellecour : Mme Dupont-Lefèvre passe la chercher."


def _sign_in_again(page, agent):
    expect(page.locator("h1")).to_have_text("Connexion")
    page.get_by_label("Identifiant").fill(agent.user.get_username())
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.keyboard.press("Enter")


def test_a_session_gone_sends_the_page_to_the_login_keeping_the_draft(
    page, live_server, agent, helene
):
    signed_in(page, live_server, agent)
    page.goto(helene.get_absolute_url())
    page.get_by_label("Résumé de l'échange").fill(DRAFT)
    # signed out on the server some other way than the idle limit (another tab, an
    # administrator): the session row is gone
    Session.objects.all().delete()
    page.get_by_role("button", name="Enregistrer l'échange").click()

    # the whole page goes to the login page, nothing of it pasted into the form
    expect(page).to_have_url(re.compile(r"/connexion/\?next=/clients/\d+/$"))
    expect(page.locator("h1")).to_have_count(1)
    assert DRAFT not in page.content()
    page.screenshot(path=ARTIFACTS / "htmx-session-perdue.png", full_page=True)

    _sign_in_again(page, agent)
    expect(page.locator("h1")).to_have_text("Mme Hélène Dupont-Lefèvre")
    expect(page.get_by_label("Résumé de l'échange")).to_have_value(DRAFT)
    page.get_by_role("button", name="Enregistrer l'échange").click()
    expect(page.get_by_role("status")).to_contain_text("Échange enregistré")
    assert helene.touchpoints.get().summary == DRAFT


def test_the_answer_typed_on_a_request_page_waits_too(page, live_server, agent, helene):
    req = RequestFactory(agency=agent.agency, customer=helene, subject="Carte Técély perdue")
    signed_in(page, live_server, agent)
    page.goto(f"/demandes/{req.pk}/")
    page.get_by_label("Réponse apportée (facultatif)").fill(ANSWER)
    Session.objects.all().delete()
    page.get_by_role("button", name="Marquer comme répondue").click()
    expect(page).to_have_url(re.compile(rf"/connexion/\?next=/demandes/{req.pk}/$"))
    _sign_in_again(page, agent)
    expect(page.locator("h1")).to_have_text("Carte Técély perdue")
    expect(page.get_by_label("Réponse apportée (facultatif)")).to_have_value(ANSWER)
    page.get_by_role("button", name="Marquer comme répondue").click()
    expect(page.get_by_role("status")).to_contain_text("Demande marquée comme répondue")
    # answered: its draft is done, the page opens empty
    page.reload()
    expect(page.get_by_role("heading", name="Carte Técély perdue")).to_be_visible()
    assert ANSWER not in page.evaluate("JSON.stringify(localStorage)")


def test_a_refusal_is_a_french_toast_and_the_form_stays(page, live_server, agent, helene):
    signed_in(page, live_server, agent)
    page.goto(helene.get_absolute_url())
    summary = page.get_by_label("Résumé de l'échange")
    summary.fill(DRAFT)
    # the role changed while the page was open: the agent is now the DPO alone
    agent.user.groups.set([Group.objects.get(name=roles.DPO)])
    page.get_by_role("button", name="Enregistrer l'échange").click()

    # in the page's one toast container, the live alerts' too (static/js/toasts.js)
    toast = page.locator("#notifications").get_by_role("alert")
    toast = toast.filter(has_text="réservée aux équipes des agences")
    expect(toast).to_be_visible()
    page.screenshot(path=ARTIFACTS / "htmx-refus.png", full_page=True)
    page.screenshot(path="/tmp/desk-htmx-refus.png")
    # nothing pasted: one page title, the form as typed
    expect(page.locator("h1")).to_have_text("Mme Hélène Dupont-Lefèvre")
    expect(summary).to_have_value(DRAFT)
    toast.get_by_role("button", name="Fermer").click()
    expect(toast).to_have_count(0)
    assert not helene.touchpoints.exists()


def test_a_request_gone_elsewhere_is_a_toast(page, live_server, agent, helene, agency_villeurbanne):
    req = RequestFactory(agency=agent.agency, customer=helene, subject="Carte Técély perdue")
    signed_in(page, live_server, agent)
    page.goto(f"/demandes/{req.pk}/")
    # a supervisor hands it to Villeurbanne's queue meanwhile
    req.agency = agency_villeurbanne
    req.save(update_fields=["agency"])
    page.get_by_role("button", name="Clôturer").click()
    expect(page.get_by_role("alert").filter(has_text="Introuvable")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Carte Técély perdue")


def test_a_server_error_is_a_toast(page, live_server, agent, helene):
    signed_in(page, live_server, agent)
    page.goto(helene.get_absolute_url())
    consents = page.locator("#consentements")
    consents.get_by_label("Accordé").check()
    # the consent table missing: the server fails for real on this one request
    table = Consent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{table}" RENAME TO "{table}_hors_service"')
    try:
        consents.get_by_role("button", name="Enregistrer la décision").click()
        toast = page.get_by_role("alert").filter(has_text="Erreur du serveur")
        expect(toast).to_be_visible()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'ALTER TABLE "{table}_hors_service" RENAME TO "{table}"')
    expect(page.locator("h1")).to_have_text("Mme Hélène Dupont-Lefèvre")
    expect(consents.get_by_label("Accordé")).to_be_checked()  # the panel as it was


def test_no_answer_at_all_is_a_toast(page, live_server, agent, helene):
    signed_in(page, live_server, agent)
    page.goto(helene.get_absolute_url())
    page.get_by_label("Résumé de l'échange").fill(DRAFT)
    # the network cut between the browser and the server
    page.route(re.compile(r"/clients/\d+/contacts/$"), lambda route: route.abort())
    page.get_by_role("button", name="Enregistrer l'échange").click()
    expect(page.get_by_role("alert").filter(has_text="Le serveur ne répond pas")).to_be_visible()
    expect(page.get_by_label("Résumé de l'échange")).to_have_value(DRAFT)
