"""The touchpoint form says, before saving, whether the exchange opens a request
(touchpoints:request_hint, swapped in by htmx as the fields change): no request opens
silently any more. The hint and touchpoint_log share one rule (selectors.request_opens)."""

import pytest
from django.urls import reverse

from relation_client.touchpoints.models import ChannelCommitment, Outcome

pytestmark = pytest.mark.django_db

HINT = reverse("touchpoints:request_hint")


def hint(client, **params) -> str:
    params = {"channel": "counter", "direction": "inbound", "outcome": "", **params}
    response = client.get(HINT, params, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode().strip()


def test_a_complaint_says_a_request_opens_and_its_deadline(agent_client):
    # the counter's French default, in the words of French service (not "1 jours ouvrés")
    counter = ChannelCommitment.objects.get(channel="counter")
    assert (counter.amount, counter.unit) == (1, ChannelCommitment.Unit.WORKING_DAYS)
    assert hint(agent_client, reason="complaint") == (
        "Une demande sera ouverte (réponse attendue sous 1 jour ouvré). "
        "Le motif « Réclamation » en ouvre une par défaut."
    )


def test_a_question_answered_on_the_spot_says_no_request(agent_client):
    assert hint(agent_client, reason="subscription", outcome=Outcome.ANSWERED) == (
        "Aucune demande ne sera ouverte : réponse donnée sur place."
    )


def test_a_compliment_and_an_outbound_call_say_no_request(agent_client):
    assert hint(agent_client, reason="compliment") == (
        "Aucune demande ne sera ouverte : le motif « Remerciement » n&#x27;en ouvre pas par "
        "défaut. Choisissez « Ouvrir une demande » s&#x27;il y a une suite à donner."
    )
    assert hint(agent_client, reason="complaint", direction="outbound") == (
        "Un échange sortant n&#x27;ouvre pas de demande."
    )


def test_an_unknown_reason_says_nothing(agent_client):
    assert hint(agent_client, reason="pas-un-motif") == ""


@pytest.mark.parametrize("reason", ["information", "complaint", "compliment"])
@pytest.mark.parametrize("outcome", ["", Outcome.ANSWERED, Outcome.FOLLOW_UP, Outcome.INFORMED])
@pytest.mark.parametrize("choice", ["", "oui", "non"])
def test_the_hint_says_what_saving_does(agent_client, log, helene, reason, outcome, choice):
    said = hint(agent_client, reason=reason, outcome=outcome, channel="phone", open_request=choice)
    touchpoint = log(
        helene, reason=reason, outcome=outcome, open_request={"oui": True, "non": False}.get(choice)
    )
    assert said.startswith("Une demande sera ouverte") == (touchpoint.request_id is not None)


def test_the_customer_page_asks_for_the_hint(agent_client, helene):
    page = agent_client.get(helene.get_absolute_url()).content.decode()
    assert f'hx-get="{HINT}"' in page
    assert 'id="suite-demande"' in page


def test_the_dpo_does_not_get_in(login, dpo):
    assert login(dpo).get(HINT, {"reason": "complaint"}).status_code == 403
