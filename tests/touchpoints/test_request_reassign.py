"""A request assigned across agencies: its assignee opens and works it (it was a 404),
and supervisors reassign it from its page, to a person or to an agency's queue, with the
change on the timeline (touchpoints:request_reassign, services.request_reassign)."""

import pytest
from django.urls import reverse

from relation_client.touchpoints.models import Alert, AlertKind, RequestStatus, TouchpointKind
from relation_client.touchpoints.services import request_close, request_reassign
from socle.errors import DomainError

pytestmark = pytest.mark.django_db


def url(name, request):
    return reverse(f"touchpoints:{name}", args=[request.pk])


@pytest.fixture
def jerome_request(log, customer_with_contact_elsewhere):
    """Jérôme calls Lyon; his request goes to his usual contact, Théo, in Villeurbanne."""
    touchpoint = log(customer_with_contact_elsewhere, summary="Remboursement du pass refusé")
    return touchpoint.request


def test_the_assignee_in_another_agency_opens_the_request(
    login, jerome_request, agent_villeurbanne
):
    assert jerome_request.assignee == agent_villeurbanne
    assert jerome_request.agency_id != agent_villeurbanne.agency_id
    response = login(agent_villeurbanne).get(url("request_detail", jerome_request))
    assert response.status_code == 200
    assert "Remboursement du pass refusé" in response.content.decode()


def test_the_assignee_in_another_agency_finds_it_in_the_queue_and_answers_it(
    login, jerome_request, agent_villeurbanne
):
    client = login(agent_villeurbanne)
    queue = client.get(reverse("touchpoints:queue")).content.decode()
    assert url("request_detail", jerome_request) in queue
    response = client.post(url("request_answer", jerome_request), {"reponse-note": "Remboursé."})
    assert response.status_code == 302
    jerome_request.refresh_from_db()
    assert jerome_request.status == RequestStatus.ANSWERED


def test_another_agency_still_does_not_see_requests_not_assigned_to_them(
    login, open_request, agent_villeurbanne
):
    client = login(agent_villeurbanne)
    assert client.get(url("request_detail", open_request)).status_code == 404
    assert client.post(url("request_close", open_request)).status_code == 404


def test_a_supervisor_reassigns_to_a_person_of_their_agency(
    login, jerome_request, supervisor_lyon, colleague_lyon
):
    client = login(supervisor_lyon)
    page = client.get(url("request_detail", jerome_request)).content.decode()
    assert f'action="{url("request_reassign", jerome_request)}"' in page
    response = client.post(
        url("request_reassign", jerome_request), {"reattribution-assignee": colleague_lyon.pk}
    )
    assert response.status_code == 302
    jerome_request.refresh_from_db()
    assert jerome_request.assignee == colleague_lyon
    handover = jerome_request.touchpoints.get(kind=TouchpointKind.HANDOVER)
    assert handover.summary == "Demande réattribuée à Karim Benali (Lyon Part-Dieu)."
    assert handover.agent == supervisor_lyon
    page = client.get(url("request_detail", jerome_request)).content.decode()
    assert "Demande réattribuée à Karim Benali (Lyon Part-Dieu)." in page
    alert = Alert.objects.get(kind=AlertKind.HANDOVER, recipient=colleague_lyon)
    assert alert.request == jerome_request


def test_a_supervisor_reassigns_to_an_agency_queue(
    login, jerome_request, supervisor_lyon, agency_villeurbanne, manager_villeurbanne
):
    response = login(supervisor_lyon).post(
        url("request_reassign", jerome_request), {"reattribution-agency": agency_villeurbanne.pk}
    )
    # no longer Lyon's: back to the queue with the message
    assert response.status_code == 302
    assert response["Location"] == reverse("touchpoints:queue")
    jerome_request.refresh_from_db()
    assert jerome_request.assignee is None
    assert jerome_request.agency == agency_villeurbanne
    assert jerome_request.touchpoints.get(kind=TouchpointKind.HANDOVER).summary == (
        "Demande réattribuée à la file de l'agence Villeurbanne Gratte-Ciel."
    )


def test_an_agent_cannot_reassign(login, jerome_request, agent, colleague_lyon):
    client = login(agent)
    assert f'action="{url("request_reassign", jerome_request)}"' not in (
        client.get(url("request_detail", jerome_request)).content.decode()
    )
    response = client.post(
        url("request_reassign", jerome_request), {"reattribution-assignee": colleague_lyon.pk}
    )
    assert response.status_code == 403
    jerome_request.refresh_from_db()
    assert jerome_request.assignee != colleague_lyon
    with pytest.raises(DomainError) as refused:
        request_reassign(request=jerome_request, by=agent, assignee=colleague_lyon)
    assert refused.value.code == "forbidden"


def test_a_person_or_a_queue_not_both_nor_neither(
    login, jerome_request, supervisor_lyon, colleague_lyon, agency_lyon
):
    client = login(supervisor_lyon)
    for data in (
        {},
        {"reattribution-assignee": colleague_lyon.pk, "reattribution-agency": agency_lyon.pk},
    ):
        response = client.post(url("request_reassign", jerome_request), data)
        assert response.status_code == 400
        assert "Choisissez une personne ou la file d&#x27;une agence" in response.content.decode()
    assert not jerome_request.touchpoints.filter(kind=TouchpointKind.HANDOVER).exists()


def test_a_closed_request_is_not_reassigned(jerome_request, supervisor_lyon, colleague_lyon):
    request_close(request=jerome_request, by=supervisor_lyon)
    with pytest.raises(DomainError) as refused:
        request_reassign(request=jerome_request, by=supervisor_lyon, assignee=colleague_lyon)
    assert refused.value.code == "not_open"
