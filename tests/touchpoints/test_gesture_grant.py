"""gesture_grant: within the role's limit at once, above it pending a supervisor."""

from decimal import Decimal

import pytest

from agences import roles
from agences.models import Agent
from relation_client.touchpoints.models import (
    Alert,
    AlertKind,
    Direction,
    GestureKind,
    GestureLimit,
    GestureStatus,
    TouchpointKind,
)
from relation_client.touchpoints.services import gesture_grant
from socle.errors import DomainError

pytestmark = pytest.mark.django_db


def grant(customer, agent, value, reason="Tram supprimé sans information, 40 min d'attente"):
    return gesture_grant(
        customer=customer,
        agent=agent,
        kind=GestureKind.FREE_TRIPS,
        value=Decimal(value),
        reason=reason,
        channel="counter",
    )


def test_within_the_agents_limit_it_is_granted_and_on_the_timeline(helene, agent):
    gesture = grant(helene, agent, "30.00")  # the agent's limit is 30 €
    assert gesture.status == GestureStatus.GRANTED
    touchpoint = helene.touchpoints.get()
    assert touchpoint == gesture.touchpoint
    assert touchpoint.kind == TouchpointKind.GESTURE
    assert touchpoint.direction == Direction.OUTBOUND
    assert touchpoint.reason.code == "other"
    assert touchpoint.summary == "Tram supprimé sans information, 40 min d'attente"
    assert touchpoint.request is None  # an outbound gesture opens no request
    assert not Alert.objects.exists()


def test_above_the_limit_it_waits_and_the_supervisor_is_alerted(helene, agent, supervisor_lyon):
    gesture = grant(helene, agent, "45.50")
    assert gesture.status == GestureStatus.PENDING
    alert = Alert.objects.get(kind=AlertKind.GESTURE_APPROVAL)
    assert alert.recipient == supervisor_lyon
    assert alert.customer == helene
    assert "Camille Rousseau propose un geste de 45,50 € pour Mme Hélène Dupont-Lefèvre" in (
        alert.text
    )


def test_in_an_agency_without_a_supervisor_the_manager_approves(
    agency_without_supervisor, make_customer
):
    mathis = Agent.objects.get(agency=agency_without_supervisor, user__groups__name=roles.AGENT)
    customer = make_customer("Zoé", "Besançon", home_agency=agency_without_supervisor)
    gesture = grant(customer, mathis, "45.50")
    assert gesture.status == GestureStatus.PENDING
    alert = Alert.objects.get(kind=AlertKind.GESTURE_APPROVAL)
    assert alert.recipient.display_name == "Léa Fontaine"


def test_the_limit_follows_the_role(helene, supervisor_lyon, manager_lyon):
    assert grant(helene, supervisor_lyon, "100").status == GestureStatus.GRANTED
    gesture = grant(helene, supervisor_lyon, "150")
    assert gesture.status == GestureStatus.PENDING
    # the supervisor does not approve their own gesture: the manager is asked
    assert Alert.objects.get(kind=AlertKind.GESTURE_APPROVAL).recipient == manager_lyon


def test_managers_change_the_limit(helene, agent):
    GestureLimit.objects.filter(role=roles.AGENT).update(max_value=Decimal("50"))
    assert grant(helene, agent, "45.50").status == GestureStatus.GRANTED


@pytest.mark.parametrize("value", ["0", "-5", "1000000"])
def test_value_must_be_positive_and_storable(helene, agent, value):
    with pytest.raises(DomainError) as error:
        grant(helene, agent, value)
    assert error.value.field == "value"
    assert not helene.touchpoints.exists()


def test_a_reason_is_required(helene, agent):
    with pytest.raises(DomainError) as error:
        grant(helene, agent, "10", reason="  ")
    assert error.value.field == "reason"
