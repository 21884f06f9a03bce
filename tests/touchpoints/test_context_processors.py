"""The counts of the navigation bar: `alert_count`, `queue_count`, `overdue_count`."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from relation_client.touchpoints.context_processors import alerts
from relation_client.touchpoints.models import AlertKind, AlertStatus
from relation_client.touchpoints.services import alert_raise

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_counts_new_and_acknowledged_alerts_in_one_query(
    agent, colleague_lyon, django_assert_num_queries
):
    for number, (recipient, status) in enumerate(
        [
            (agent, AlertStatus.NEW),
            (agent, AlertStatus.ACKNOWLEDGED),
            (agent, AlertStatus.RESOLVED),
            (colleague_lyon, AlertStatus.NEW),
        ]
    ):
        alert = alert_raise(
            kind=AlertKind.HANDOVER,
            recipient=recipient,
            cause=f"test:compte:{number}",
            code="legacy",
            params={"text": "Karim vous confie M. Jérôme Gaël-Noël"},
        )
        alert.status = status
        alert.save()
    with django_assert_num_queries(1):
        context = alerts(_request(agent.user))
        assert int(context["alert_count"]) == 2
        assert f"{context['alert_count']}" == "2"  # shown twice, queried once


def test_no_query_until_a_template_shows_it(agent, django_assert_num_queries):
    with django_assert_num_queries(0):
        alerts(_request(agent.user))


def test_no_query_for_anonymous_visitors(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert alerts(_request(AnonymousUser())) == {
            "alert_count": 0,
            "queue_count": 0,
            "overdue_count": 0,
        }


def test_usable_in_a_template(agent):
    from django.template import engines

    alert_raise(
        kind=AlertKind.HANDOVER,
        recipient=agent,
        cause="test:gabarit",
        code="legacy",
        params={"text": "Nouvelle alerte"},
    )
    template = engines["django"].from_string(
        "{% if alert_count %}{{ alert_count }} alerte{{ alert_count|pluralize }}{% endif %}"
        "{% if alert_count > 0 %}!{% endif %}"
    )
    assert template.render(alerts(_request(agent.user))) == "1 alerte!"


def test_the_queue_and_overdue_counts_come_in_the_same_one_query(
    agent, agency_lyon, agency_villeurbanne, django_assert_num_queries
):
    """The queue as its page lists it by default: the agency's open requests and those
    assigned to the agent elsewhere; overdue: past their deadline, the paused ones aside."""
    from django.utils import timezone

    from tests.factories import RequestFactory

    past = timezone.now() - datetime.timedelta(hours=1)
    RequestFactory(agency=agency_lyon)
    RequestFactory(agency=agency_lyon, deadline=past)
    RequestFactory(agency=agency_lyon, deadline=past, status="waiting_customer")
    RequestFactory(agency=agency_lyon, status="answered", deadline=past)
    RequestFactory(agency=agency_villeurbanne, assignee=agent, deadline=past)
    RequestFactory(agency=agency_villeurbanne)
    alert_raise(
        kind=AlertKind.HANDOVER,
        recipient=agent,
        cause="test:un",
        code="legacy",
        params={"text": "Nouvelle"},
    )
    with django_assert_num_queries(1):
        context = alerts(_request(agent.user))
        counts = (int(context["alert_count"]), int(context["queue_count"]))
        assert counts == (1, 4)
        assert int(context["overdue_count"]) == 2


def test_a_person_without_an_agent_profile_counts_nothing(django_user_model):
    user = django_user_model.objects.create_user(username="emilie", password="x-Écrin-99")
    context = alerts(_request(user))
    assert [int(context[name]) for name in ("alert_count", "queue_count", "overdue_count")] == [
        0,
        0,
        0,
    ]
