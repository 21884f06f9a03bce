"""The agency queue page (touchpoints:queue)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from relation_client.touchpoints.models import Request, RequestStatus

pytestmark = pytest.mark.django_db

URL = reverse("touchpoints:queue")


@pytest.fixture
def make_requests(log, make_customer, agent, colleague_lyon):
    """`count` open Lyon requests, a quarter of them overdue, half assigned to a colleague."""

    def make(count: int) -> list[Request]:
        customers = [
            make_customer("Hélène", "Dupont-Lefèvre"),
            make_customer("Jérôme", "Gaël-Noël", civility="m"),
            None,  # a walk-in who gave no name
        ]
        created = []
        now = timezone.now()
        for index in range(count):
            request = log(
                customers[index % 3],
                by=colleague_lyon if index % 2 else agent,
                summary=f"Question n° {index} sur l'abonnement « Tout Lyon »",
                occurred_at=now - datetime.timedelta(minutes=index + 1),
            ).request
            if index % 4 == 0:
                Request.objects.filter(pk=request.pk).update(
                    deadline=now - datetime.timedelta(hours=index + 1)
                )
            created.append(request)
        return created

    return make


def _page_ids(response) -> list[int]:
    return [request.pk for request in response.context["page"].object_list]


def test_oldest_deadline_first_then_segment_priority(
    agent_client, log, make_customer, segment_priority
):
    pmr = make_customer("Aïcha", "Diallo", segment=segment_priority("Personnes à mobilité réduite"))
    visitor = make_customer("Zoé", "Lefèvre", segment=segment_priority("Visiteurs"))
    senior = make_customer("Josiane", "Béranger", segment=segment_priority("Seniors"))
    later = log(visitor, summary="Plan du réseau").request
    same_visitor = log(visitor, summary="Horaires du tram T3").request
    same_pmr = log(pmr, summary="Ascenseur en panne à Bellecour").request
    earliest = log(senior, summary="Carte senior perdue").request
    now = timezone.now()
    deadlines = {
        later.pk: now + datetime.timedelta(hours=5),
        same_visitor.pk: now + datetime.timedelta(hours=2),
        same_pmr.pk: now + datetime.timedelta(hours=2),
        earliest.pk: now - datetime.timedelta(hours=1),
    }
    for pk, deadline in deadlines.items():
        Request.objects.filter(pk=pk).update(deadline=deadline)
    response = agent_client.get(URL)
    # at equal deadline the reduced-mobility customer (priority 1) comes before the visitor (7)
    assert _page_ids(response) == [earliest.pk, same_pmr.pk, same_visitor.pk, later.pk]


def test_overdue_requests_are_marked_with_text_not_only_colour(agent_client, make_requests):
    requests = make_requests(2)
    page = agent_client.get(URL).content.decode()
    # the first one is overdue (the filter "En retard seulement" and the bar's count aside)
    assert page.count('<span class="badge text-bg-danger ms-1">En retard</span>') == 1
    assert "table-danger" in page
    assert escape(requests[0].subject) in page


def test_answered_and_closed_requests_leave_the_queue(agent_client, make_requests):
    answered, closed, still_open = make_requests(3)
    Request.objects.filter(pk=answered.pk).update(status=RequestStatus.ANSWERED)
    Request.objects.filter(pk=closed.pk).update(status=RequestStatus.CLOSED)
    assert _page_ids(agent_client.get(URL)) == [still_open.pk]


def test_mine_only(agent_client, make_requests, agent):
    requests = make_requests(4)
    response = agent_client.get(URL, {"responsable": "moi"})
    mine = {r.pk for r in requests if r.assignee_id == agent.pk}
    assert set(_page_ids(response)) == mine and len(mine) == 2


def test_paginated_25_per_page(agent_client, make_requests):
    make_requests(30)
    first = agent_client.get(URL)
    second = agent_client.get(URL, {"page": 2})
    assert len(_page_ids(first)) == 25
    assert len(_page_ids(second)) == 5
    assert "Page 1 sur 2" in first.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_queries_do_not_grow_with_the_queue(
    agent_client, make_requests, count, django_assert_num_queries
):
    make_requests(count)
    # session (user, agent: Redis), count for the paginator, the page of requests
    # with customer, assignee, reason and partner
    # ... the navigation bar's counts (one query), the channels' commitments (the rules),
    # the filters' segments and the agents (colleagues to filter by, to reassign to)
    with django_assert_num_queries(7):
        response = agent_client.get(URL)
    assert response.status_code == 200


def test_another_agencys_manager_does_not_see_lyon_requests(
    client, manager_villeurbanne, make_requests
):
    requests = make_requests(3)
    client.force_login(manager_villeurbanne.user)
    response = client.get(URL)
    assert _page_ids(response) == []
    assert escape(requests[0].subject) not in response.content.decode()
    assert "Question n°" not in response.content.decode()
    assert (
        client.get(reverse("touchpoints:request_detail", args=[requests[0].pk])).status_code == 404
    )


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_account_without_agent_profile_gets_403(client, django_user_model):
    user = django_user_model.objects.create_user(username="emilie", password="x-Écrin-99")
    client.force_login(user)
    assert client.get(URL).status_code == 403
