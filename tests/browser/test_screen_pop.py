"""The agent's desk in real time, in Chromium, served by uvicorn (the ASGI server of `make
run`): the phone system posts its events over HTTP, the agent's open page shows the
caller's card by itself, then the exchange form filled in once they hang up; Ctrl+Enter
saves it and the call keeps its link. An alert raised for the agent updates the count in
the bar and says so."""

import datetime
import json
import re
import urllib.request

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from relation_client import live
from relation_client.telephony.models import Call
from relation_client.touchpoints.services import alert_raise, touchpoint_log
from tests.browser.conftest import ARTIFACTS, signed_in

pytestmark = [
    pytest.mark.browser,
    # like every browser test: a flush without it re-creates the role groups (post_migrate),
    # which the next serialized test would then insert twice
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# the card, from the phone system's post to the screen: a second at most
POP_TIMEOUT_MS = 1000


@pytest.fixture
def page(browser, asgi_live_server):
    """A page of the ASGI server (pytest-django's live_server is WSGI: no stream), with
    the browser tests' check that nothing breaks the Content Security Policy."""
    context = browser.new_context(base_url=asgi_live_server.url, locale="fr-FR")
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


@pytest.fixture
def camille(agent):
    agent.phone_extension = "2104"
    agent.save()
    return agent


@pytest.fixture
def pbx(asgi_live_server, make_token):
    """The phone system: posts its call events to the API over HTTP, with its token."""
    _token, raw, _client = make_token("telephony", name="Autocommutateur")

    def post(event: str, *, caller: str, at: datetime.datetime, call_id: str = "1733.42"):
        body = json.dumps(
            {
                "call_id": call_id,
                "event": event,
                "caller": caller,
                "extension": "2104",
                "at": at.isoformat(),
            }
        ).encode()
        request = urllib.request.Request(
            f"{asgi_live_server.url}/api/v1/telephony/events/",
            data=body,
            method="POST",
            headers={"Authorization": f"Bearer {raw}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 201

    return post


def _agents_page(page, server, agent):
    signed_in(page, server, agent)
    # the stream listens for this agent: from here on nothing published is missed
    expect(page.locator("body")).to_have_attribute("data-live", "open")
    return page


def test_the_call_pops_the_card_then_the_filled_in_form(
    page, asgi_live_server, camille, helene, pbx, reasons
):
    touchpoint_log(
        agent=camille,
        customer=helene,
        channel="phone",
        reason=reasons["complaint"],
        summary="Bus 37 passé en avance à l'arrêt Grange-Blanche",
        occurred_at=timezone.now() - datetime.timedelta(days=3),
        open_request=True,
    )
    _agents_page(page, asgi_live_server, camille)
    search = page.get_by_label("Numéro de l'appelant")
    search.focus()
    rang = timezone.now() - datetime.timedelta(minutes=10)

    pbx("ringing", caller="06 12 34 56 78", at=rang)

    pop = page.get_by_role("dialog", name="Appel de Mme Hélène Dupont-Lefèvre")
    expect(pop).to_be_visible(timeout=POP_TIMEOUT_MS)
    expect(pop).to_be_focused()
    card = pop.get_by_role("article", name="Mme Hélène Dupont-Lefèvre")
    expect(card).to_contain_text("Interlocuteur habituel : Camille Rousseau")
    expect(card).to_contain_text("Demandes en cours")
    expect(card).to_contain_text("Bus 37 passé en avance")
    page.screenshot(path=ARTIFACTS / "appel-fiche-directe.png", full_page=False)
    # Escape closes it and hands the focus back to where the agent was
    page.keyboard.press("Escape")
    expect(pop).to_be_hidden()
    expect(search).to_be_focused()

    pbx("answered", caller="06 12 34 56 78", at=rang + datetime.timedelta(seconds=8))
    pbx("hung_up", caller="06 12 34 56 78", at=rang + datetime.timedelta(seconds=8 + 252))

    expect(pop).to_be_visible(timeout=POP_TIMEOUT_MS)
    summary = pop.get_by_label("Résumé de l'échange")
    expect(summary).to_have_value("Appel de 4 minutes 12 secondes. ")
    expect(summary).to_be_focused()
    expect(pop.get_by_label("Canal")).to_have_value("phone")
    expect(pop.get_by_label("Sens")).to_have_value("inbound")
    expect(pop).to_contain_text("durée : 4 minutes 12 secondes")
    page.keyboard.type("Demande si la réclamation sur le bus 37 avance.")
    page.screenshot(path=ARTIFACTS / "appel-formulaire-pre-rempli.png", full_page=False)

    # back to back: the next call rings before the notes are saved; they stay
    pbx("ringing", caller="06 98 76 54 32", at=timezone.now(), call_id="1733.43")
    desk = page.locator("#appel-direct")
    expect(desk.get_by_role("heading", name="Appel du 06 98 76 54 32")).to_be_visible(
        timeout=POP_TIMEOUT_MS
    )
    summary = desk.get_by_label("Résumé de l'échange")
    expect(summary).to_have_value(
        "Appel de 4 minutes 12 secondes. Demande si la réclamation sur le bus 37 avance."
    )
    summary.focus()
    page.keyboard.press("Control+Enter")

    expect(desk.get_by_role("status")).to_have_text("Échange enregistré.")
    call = Call.objects.select_related("touchpoint").get(call_id="1733.42")
    touchpoint = call.touchpoint
    assert touchpoint is not None
    assert touchpoint.customer == helene and touchpoint.agent == camille
    assert touchpoint.channel == "phone" and touchpoint.direction == "inbound"
    assert touchpoint.summary == (
        "Appel de 4 minutes 12 secondes. Demande si la réclamation sur le bus 37 avance."
    )
    assert timezone.localtime(touchpoint.occurred_at).replace(second=0, microsecond=0) == (
        timezone.localtime(call.answered_at).replace(second=0, microsecond=0)
    )


def test_an_unknown_number_offers_to_create_the_card(page, asgi_live_server, camille, pbx):
    _agents_page(page, asgi_live_server, camille)

    pbx("ringing", caller="06 98 76 54 32", at=timezone.now(), call_id="1733.77")

    pop = page.get_by_role("dialog", name="Appel du 06 98 76 54 32")
    expect(pop).to_be_visible(timeout=POP_TIMEOUT_MS)
    expect(pop).to_contain_text("Numéro inconnu : 06 98 76 54 32.")
    page.screenshot(path=ARTIFACTS / "appel-numero-inconnu.png", full_page=False)
    pop.get_by_role("link", name="Créer la fiche").click()
    expect(page).to_have_url(re.compile("/clients/nouveau/"))
    expect(page.locator("textarea[name=phones], input[name=phones]")).to_have_value(
        re.compile(r"\+33698765432")
    )


def test_an_alert_updates_the_count_and_says_so(page, asgi_live_server, camille, helene):
    _agents_page(page, asgi_live_server, camille)
    # the badge is in the bar, hidden at zero (templates/base.html)
    badge = page.locator("#nav-alertes [data-live-count='alerts']")
    expect(badge).to_be_hidden()

    alert_raise(
        kind="breach",
        recipient=camille,
        cause=f"test:breach:{helene.pk}",
        code="legacy",
        params={"text": "Réclamation de Mme Hélène Dupont-Lefèvre : échéance dépassée"},
        customer=helene,
    )

    expect(badge).to_be_visible(timeout=POP_TIMEOUT_MS)
    expect(badge).to_have_text("1 à traiter")
    # the page's one toast container, the htmx errors' too (static/js/toasts.js)
    expect(page.locator(".toast-container")).to_have_count(1)
    toast = page.locator("#notifications").get_by_role("status")
    expect(toast).to_contain_text("Nouvelle alerte")
    expect(toast).to_contain_text("Réclamation de Mme Hélène Dupont-Lefèvre : échéance dépassée")
    expect(toast.get_by_role("link", name="Voir")).to_have_attribute(
        "href", f"/clients/{helene.pk}/"
    )
    page.screenshot(path=ARTIFACTS / "alerte-en-direct.png", full_page=False)


def test_a_dropped_stream_shows_reconnecting_then_comes_back(page, asgi_live_server, camille):
    _agents_page(page, asgi_live_server, camille)
    state = page.get_by_role("status").filter(has_text="reconnexion…")
    expect(state).to_be_hidden()
    # the server ends this page's stream (as when its session ends), the session goes on
    session = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    live.publish(
        agent_ids=[camille.pk],
        event=live.SESSION_ENDED,
        data={"session": live.session_tag(session)},
    )
    expect(state).to_be_visible()
    # EventSource comes back by itself after the stream's `retry` (3 s)
    expect(page.locator("body")).to_have_attribute("data-live", "open", timeout=10_000)
    expect(state).to_be_hidden()
