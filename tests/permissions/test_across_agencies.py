"""Across agencies and partners: what is another agency's stays out of reach."""

import json

import pytest
from django.urls import reverse

from tests.permissions.doors import _as
from tests.permissions.table import ADMIN, AGENT, DIRECTOR, DPO, MANAGER, PARTNER, SUPERVISOR


@pytest.mark.django_db
def test_a_lyon_agent_neither_sees_nor_acts_on_a_villeurbanne_request(world):
    client = _as(world, world.users[AGENT])
    foreign = world.request_villeurbanne
    assert client.get(reverse("touchpoints:request_detail", args=[foreign.pk])).status_code == 404
    for name in ("request_answer", "request_wait", "request_close", "request_escalate",
                 "request_attach", "request_reopen"):  # fmt: skip
        response = client.post(reverse(f"touchpoints:{name}", args=[foreign.pk]), {"note": "Vu"})
        assert response.status_code == 404, name
    foreign.refresh_from_db()
    assert foreign.status == "open" and foreign.partner_id is None
    queue = client.get(reverse("touchpoints:queue")).content.decode()
    assert "Carte Técély bloquée" in queue and "Remboursement d'un trajet annulé" not in queue
    # even the network director works their own agency's requests only
    director = _as(world, world.users[DIRECTOR])
    assert director.get(reverse("touchpoints:request_detail", args=[foreign.pk])).status_code == 404


@pytest.mark.django_db
def test_a_lyon_manager_sees_lyon_figures_and_not_villeurbanne_drilldowns(world):
    client = _as(world, world.users[MANAGER])
    villeurbanne = {"agence": world.villeurbanne.pk}
    month = {"du": "2026-10", "au": "2026-10"}
    refused = [
        (reverse("reconquete:dashboard"), villeurbanne),
        (reverse("reconquete:dashboard_export", args=["agences"]), villeurbanne),
        (reverse("reconquete:drilldown", args=["lost"]), {**month, **villeurbanne}),
        (reverse("reconquete:drilldown", args=["won_back"]), {**month, **villeurbanne}),
        (reverse("satisfaction:dashboard"), villeurbanne),
        (reverse("satisfaction:export"), villeurbanne),
        (reverse("satisfaction:drilldown", args=["reponses"]), villeurbanne),
        (reverse("touchpoints:identification"), villeurbanne),
    ]
    for path, query in refused:
        assert client.get(path, query).status_code == 403, (path, query)
        assert client.get(path, {**query, "agence": world.lyon.pk}).status_code == 200, path
    # another agency's objects do not exist for them
    for name, obj in [
        ("reconquete:campaign_detail", world.campaign_villeurbanne),
        ("reconquete:campaign_export", world.campaign_villeurbanne),
        ("satisfaction:incivility_detail", world.incivility_villeurbanne),
    ]:
        assert client.get(reverse(name, args=[obj.pk])).status_code == 404, name
    response = client.post(
        reverse("touchpoints:gesture_decide", args=[world.gesture_villeurbanne.pk]),
        {"decision": "approve"},
    )
    assert response.status_code == 404
    world.gesture_villeurbanne.refresh_from_db()
    assert world.gesture_villeurbanne.status == "pending"
    assert client.get(reverse("agences:agent_skills", args=[world.theo.pk])).status_code == 403


@pytest.mark.django_db
def test_the_network_director_sees_every_agency(world):
    client = _as(world, world.users[DIRECTOR])
    villeurbanne = {"agence": world.villeurbanne.pk}
    for path, query in [
        (reverse("reconquete:dashboard"), villeurbanne),
        (
            reverse("reconquete:drilldown", args=["lost"]),
            {"du": "2026-10", "au": "2026-10", **villeurbanne},
        ),  # fmt: skip
        (reverse("satisfaction:dashboard"), villeurbanne),
        (reverse("touchpoints:identification"), villeurbanne),
        (reverse("reconquete:campaign_detail", args=[world.campaign_villeurbanne.pk]), {}),
        (reverse("satisfaction:incivility_detail", args=[world.incivility_villeurbanne.pk]), {}),
        (reverse("agences:agent_skills", args=[world.theo.pk]), {}),
    ]:
        assert client.get(path, query).status_code == 200, path


@pytest.mark.django_db
def test_partner_staff_see_only_what_is_escalated_to_them(world):
    client = _as(world, world.users[PARTNER])
    listing = client.get(reverse("agences:partner_requests")).content.decode()
    assert "Parapluie oublié dans le T1" in listing
    assert "Trajet en taxi PMR manqué" not in listing
    assert "Carte Técély bloquée" not in listing
    for request in (world.escalated_elsewhere, world.request):  # another partner's, never sent
        path = reverse("agences:partner_request_detail", args=[request.pk])
        assert client.get(path).status_code == 404
        answer = reverse("agences:partner_request_answer", args=[request.pk])
        assert client.post(answer, {"note": "Retrouvé"}).status_code == 404
    assert client.get(reverse("customers:detail", args=[world.helene.pk])).status_code == 403
    assert client.get(reverse("api:request-detail", args=[world.request.pk])).status_code == 403


@pytest.mark.django_db
def test_privacy_tools_are_for_the_dpo_and_the_administrator(world):
    path = reverse("privacy:customer", args=[world.helene.pk])
    for persona in (DPO, ADMIN):
        assert _as(world, world.users[persona]).get(path).status_code == 200
    for persona in (AGENT, SUPERVISOR, MANAGER, DIRECTOR, PARTNER):
        assert _as(world, world.users[persona]).get(path).status_code == 403, persona
    # the DPO reads customers but records no exchange, through the pages or the API
    dpo = _as(world, world.users[DPO])
    assert dpo.get(reverse("customers:detail", args=[world.helene.pk])).status_code == 200
    response = dpo.post(
        reverse("api:touchpoint-log"),
        json.dumps({"customer": world.helene.pk, "channel": "phone", "summary": "Appel"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "read_only_role"
    assert response.json()["detail"] == "Votre rôle permet de consulter, pas d'enregistrer."
