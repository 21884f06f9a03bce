"""requests_mark_breaches and requests_warn_deadline_soon."""

import datetime

import pytest
from django.utils import timezone

from relation_client.touchpoints.models import Alert, AlertKind, Request, RequestStatus
from relation_client.touchpoints.services import (
    request_close,
    requests_mark_breaches,
    requests_warn_deadline_soon,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(log, helene):
    """Hélène's letter of two weeks ago: five working days have long passed."""
    return log(
        helene,
        channel="letter",
        reason="complaint",
        summary="Réclamation : prélèvement en double sur l'abonnement",
        occurred_at=timezone.now() - datetime.timedelta(days=14),
    ).request


def test_marks_the_breach_and_alerts_the_assignee_and_the_supervisor(
    overdue, agent, supervisor_lyon
):
    assert requests_mark_breaches() == 1
    overdue.refresh_from_db()
    assert overdue.breached_at is not None
    alerts = Alert.objects.filter(kind=AlertKind.BREACH, request=overdue)
    assert {a.recipient_id for a in alerts} == {agent.pk, supervisor_lyon.pk}
    message = alerts.first().text
    assert message.startswith("Échéance dépassée")
    assert "Mme Hélène Dupont-Lefèvre" in message and "prélèvement en double" in message


def test_run_twice_nothing_is_duplicated(overdue, supervisor_lyon):
    requests_mark_breaches()
    breached_at = Request.objects.get(pk=overdue.pk).breached_at
    assert requests_mark_breaches() == 0
    assert Alert.objects.filter(kind=AlertKind.BREACH).count() == 2
    assert Request.objects.get(pk=overdue.pk).breached_at == breached_at


def test_requests_not_yet_due_or_closed_are_left_alone(overdue, open_request, agent):
    request_close(request=overdue, by=agent)
    assert requests_mark_breaches() == 0
    assert not Alert.objects.filter(kind=AlertKind.BREACH).exists()
    open_request.refresh_from_db()
    assert open_request.breached_at is None


def test_waiting_for_the_customer_never_breaches(overdue):
    # the clock is paused while the request waits for the customer (issue 14)
    Request.objects.filter(pk=overdue.pk).update(status=RequestStatus.WAITING_CUSTOMER)
    assert requests_mark_breaches() == 0
    assert not Alert.objects.filter(kind=AlertKind.BREACH).exists()


def test_a_supervisor_assigned_is_alerted_once(log, make_customer, supervisor_lyon):
    customer = make_customer("Gaëlle", "Béranger", usual_contact=supervisor_lyon)
    request = log(
        customer, by=supervisor_lyon, occurred_at=timezone.now() - datetime.timedelta(days=14)
    ).request
    requests_mark_breaches()
    assert list(Alert.objects.filter(request=request).values_list("recipient", flat=True)) == [
        supervisor_lyon.pk
    ]


@pytest.mark.parametrize("count", [1, 8])
def test_queries_do_not_grow_with_the_breaches(
    log, make_customer, supervisor_lyon, count, django_assert_num_queries
):
    customer = make_customer("Noël", "Faure", civility="m")
    for index in range(count):
        log(
            customer,
            summary=f"Question n° {index}",
            occurred_at=timezone.now() - datetime.timedelta(days=14, minutes=index),
        )
    # savepoint, UPDATE … RETURNING, the supervisor, known causes, one INSERT, the alerts
    # inserted and one INSERT of their webhook deliveries (any number), release
    with django_assert_num_queries(8):
        assert requests_mark_breaches() == count
    assert Alert.objects.filter(kind=AlertKind.BREACH).count() == 2 * count


def test_deadline_soon_warns_the_assignee_once(open_request, agent):
    now = open_request.deadline - datetime.timedelta(minutes=30)
    assert requests_warn_deadline_soon(now=now) == 1
    assert requests_warn_deadline_soon(now=now + datetime.timedelta(minutes=5)) == 0
    alert = Alert.objects.get(kind=AlertKind.DEADLINE_SOON)
    assert alert.recipient == agent
    assert alert.request == open_request
    assert alert.text.startswith("Échéance proche")


def test_deadline_soon_ignores_requests_due_later_or_closed(open_request, agent):
    assert requests_warn_deadline_soon(now=open_request.deadline - datetime.timedelta(hours=3)) == 0
    request_close(request=open_request, by=agent)
    assert (
        requests_warn_deadline_soon(now=open_request.deadline - datetime.timedelta(minutes=10)) == 0
    )
    assert not Alert.objects.exists()


def test_deadline_soon_without_assignee_goes_to_the_supervisor(open_request, supervisor_lyon):
    Request.objects.filter(pk=open_request.pk).update(assignee=None)
    requests_warn_deadline_soon(now=open_request.deadline - datetime.timedelta(minutes=10))
    assert Alert.objects.get(kind=AlertKind.DEADLINE_SOON).recipient == supervisor_lyon
