"""Issue #14, point 1: a plain piece of information no longer opens a request silently.
Each contact reason says whether it opens one by default (Reason.opens_request: off for
information and fares, on for complaints, lost property…); the agent's choice in the form
(« Demande ») wins, and so does the API's `open_request` when it is given."""

import pytest
from django.urls import reverse

from relation_client.touchpoints.models import Reason, Request, Touchpoint

pytestmark = pytest.mark.django_db

HINT = reverse("touchpoints:request_hint")


def post_form(client, customer, **fields):
    """The customer page's touchpoint form, every field left at its default."""
    payload = {
        "channel": "counter",
        "direction": "inbound",
        "reason": "information",
        "summary": "Horaires de la ligne C3 le dimanche, arrêt Gare Part-Dieu",
        "outcome": "",
        "mood": "",
        "open_request": "",
    }
    payload.update(fields)
    response = client.post(reverse("customers:log_touchpoint", args=[customer.pk]), payload)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Touchpoint.objects.select_related("request").latest("id")


def test_the_reference_list_says_which_reasons_open_a_request():
    opens = dict(Reason.objects.values_list("code", "opens_request"))
    assert opens["information"] is False and opens["fare"] is False
    for code in ("complaint", "lost_property", "disruption", "subscription", "incivility"):
        assert opens[code] is True, code


def test_an_information_call_with_the_defaults_opens_no_request(agent_client, helene):
    touchpoint = post_form(agent_client, helene)
    assert touchpoint.request is None
    assert not Request.objects.exists()


def test_a_complaint_with_the_defaults_opens_one(agent_client, helene):
    touchpoint = post_form(
        agent_client,
        helene,
        reason="complaint",
        summary="Bus passé sans s'arrêter à l'arrêt Gratte-Ciel",
    )
    assert touchpoint.request is not None
    assert touchpoint.request.reason.code == "complaint"


def test_the_agents_choice_wins_over_the_reason(agent_client, helene):
    asked = post_form(agent_client, helene, open_request="oui", summary="Itinéraire : à rappeler")
    assert asked.request is not None
    declined = post_form(
        agent_client,
        helene,
        reason="complaint",
        open_request="non",
        summary="Réclamation retirée sur place, le client a eu ses explications",
    )
    assert declined.request is None
    assert Request.objects.count() == 1


def test_the_form_offers_the_choice_following_the_reason_by_default(agent_client, helene):
    page = agent_client.get(helene.get_absolute_url()).content.decode()
    assert 'name="open_request"' in page
    assert '<option value="" selected>Selon le motif</option>' in page


@pytest.mark.parametrize(
    ("params", "said"),
    [
        ({"reason": "information"}, "le motif « Information » n&#x27;en ouvre pas par défaut"),
        ({"reason": "complaint"}, "Le motif « Réclamation » en ouvre une par défaut."),
        ({"reason": "information", "open_request": "oui"}, "Une demande sera ouverte"),
        ({"reason": "complaint", "open_request": "non"}, "vous l&#x27;avez choisi"),
    ],
)
def test_the_hint_says_the_default_and_the_choice(agent_client, params, said):
    response = agent_client.get(HINT, {"channel": "counter", "direction": "inbound", **params})
    assert said in response.content.decode()


def test_a_follow_up_noted_by_the_agent_opens_one_whatever_the_reason(agent_client, helene):
    touchpoint = post_form(
        agent_client,
        helene,
        outcome="follow_up",
        summary="Tarif solidaire : pièces justificatives à vérifier",
    )
    assert touchpoint.request is not None
