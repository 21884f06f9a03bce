"""Each role is offered only the actions it may take: what the customer page, the caller
card and the search show agrees with what the views let through (the same rule)."""

import pytest
from django.urls import reverse

from agences import roles
from agences.context_processors import _nav
from relation_client.touchpoints.selectors import request_workable_by
from tests.factories import RequestFactory

pytestmark = pytest.mark.django_db

LOG_FORM = 'id="noter"'
HANDOVER = "Confier à"
GESTURE = "Accorder un geste commercial"
EDIT = "Modifier la fiche"
CONSENT = "Enregistrer la décision"


@pytest.fixture
def lyon_request(helene, agency_lyon):
    return RequestFactory(agency=agency_lyon, customer=helene, subject="Carte Técély bloquée")


def _page(client, person, url) -> str:
    client.force_login(person.user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_agent_is_offered_every_action_of_the_customer_page(
    client, colleague_lyon, helene, lyon_request
):
    page = _page(client, colleague_lyon, helene.get_absolute_url())
    for action in (LOG_FORM, HANDOVER, GESTURE, EDIT, CONSENT):
        assert action in page, action
    assert reverse("touchpoints:request_detail", args=[lyon_request.pk]) in page


def test_the_dpo_is_offered_only_what_the_views_let_them_do(client, dpo, helene, lyon_request):
    page = _page(client, dpo, helene.get_absolute_url())
    for hidden in (LOG_FORM, HANDOVER, GESTURE, EDIT, "Fusionner"):
        assert hidden not in page, hidden
    # the request is listed, not linked: its page is not theirs to open
    assert "Carte Técély bloquée" in page
    assert reverse("touchpoints:request_detail", args=[lyon_request.pk]) not in page
    # recording a consent decision is theirs (agent_required)
    assert CONSENT in page
    # and the doors agree: each hidden action is refused, the consent goes through
    doors = {
        reverse("customers:log_touchpoint", args=[helene.pk]): 403,
        reverse("customers:handover", args=[helene.pk]): 403,
        reverse("touchpoints:gesture_grant", args=[helene.pk]): 403,
        reverse("customers:edit", args=[helene.pk]): 403,
    }
    assert {url: client.post(url).status_code for url in doors} == doors
    request_page = reverse("touchpoints:request_detail", args=[lyon_request.pk])
    assert client.get(request_page).status_code == 403
    consent = client.post(reverse("customers:consent_change", args=[helene.pk]), {})
    assert consent.status_code in (200, 422)


def test_an_agent_of_another_agency_sees_the_request_without_a_link_to_a_locked_page(
    client, agent_villeurbanne, helene, lyon_request, agency_villeurbanne
):
    theirs = RequestFactory(
        agency=agency_villeurbanne, customer=helene, subject="Remboursement d'un trajet annulé"
    )
    page = _page(client, agent_villeurbanne, helene.get_absolute_url())
    assert "Carte Técély bloquée" in page
    assert reverse("touchpoints:request_detail", args=[lyon_request.pk]) not in page
    assert reverse("touchpoints:request_detail", args=[theirs.pk]) in page
    # what they may do on a customer of another agency stays offered
    for action in (LOG_FORM, GESTURE, CONSENT):
        assert action in page, action
    assert client.get(
        reverse("touchpoints:request_detail", args=[lyon_request.pk])
    ).status_code == (404)


def test_a_request_assigned_to_them_elsewhere_is_linked(agent_villeurbanne, lyon_request):
    from agences.selectors import agent_for_user

    theo = agent_for_user(user=agent_villeurbanne.user)
    assert not request_workable_by(lyon_request, theo)
    lyon_request.assignee = theo
    assert request_workable_by(lyon_request, theo)
    assert not request_workable_by(lyon_request, None)


def test_the_dpo_caller_card_opens_the_record_without_noting_the_call(client, dpo, helene):
    page = _page(client, dpo, reverse("customers:incoming_call") + "?phone=0612345678")
    assert "Ouvrir la fiche</a>" in page and "noter l&#x27;appel" not in page
    assert "noter l'appel" not in page and "data-shortcut-new" not in page
    unknown = _page(client, dpo, reverse("customers:incoming_call") + "?phone=0478112233")
    assert "Numéro inconnu" in unknown and "Créer la fiche" not in unknown


def test_the_agent_caller_card_offers_noting_the_call(client, agent, helene):
    page = _page(client, agent, reverse("customers:incoming_call") + "?phone=0612345678")
    assert "Ouvrir la fiche et noter l&#x27;appel" in page or "noter l'appel" in page
    assert "data-shortcut-new" in page
    unknown = _page(client, agent, reverse("customers:incoming_call") + "?phone=0478112233")
    assert "Créer la fiche avec ce numéro" in unknown


def test_the_dpo_is_not_offered_a_new_record(client, dpo):
    for url in (
        reverse("home"),
        reverse("customers:search"),
        reverse("customers:search") + "?q=Zz",
    ):
        page = _page(client, dpo, url)
        assert reverse("customers:create") not in page, url
    client.force_login(dpo.user)
    assert client.get(reverse("customers:create")).status_code == 403


@pytest.mark.parametrize(
    ("role", "workspace"),
    [
        (roles.AGENT, True),
        (roles.SUPERVISOR, True),
        (roles.MANAGER, True),
        (roles.NETWORK_DIRECTOR, True),
        (roles.ADMINISTRATOR, True),
        (roles.DPO, False),
        (roles.PARTNER, False),
    ],
)
def test_the_flag_is_the_decorators_rule(role, workspace):
    assert _nav([role])["workspace"] is workspace
    assert roles.works_in_workspace([role]) is workspace


def test_the_dpos_customer_page_costs_no_more_queries_than_the_agents(
    client, dpo, agent, helene, django_assert_max_num_queries
):
    """Hiding the form builds no form: the DPO's page runs fewer queries, never more."""
    client.force_login(dpo.user)
    client.get(helene.get_absolute_url())  # warm the per-process caches
    # 15: the network's panel (lines ridden, disruption caught in) is one of them
    with django_assert_max_num_queries(15):
        assert client.get(helene.get_absolute_url()).status_code == 200
