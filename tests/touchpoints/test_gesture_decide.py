"""gesture_decide: a supervisor approves or refuses a pending gesture."""

from decimal import Decimal

import pytest

from relation_client.touchpoints.models import Alert, AlertStatus, GestureKind, GestureStatus
from relation_client.touchpoints.services import gesture_decide, gesture_grant
from socle.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(helene, agent, supervisor_lyon):
    return gesture_grant(
        customer=helene,
        agent=agent,
        kind=GestureKind.REFUND,
        value=Decimal("80"),
        reason="Abonnement prélevé deux fois en octobre",
        channel="phone",
    )


def test_the_supervisor_approves_and_the_alert_is_resolved(pending, supervisor_lyon):
    gesture = gesture_decide(gesture=pending, by=supervisor_lyon, approve=True)
    assert gesture.status == GestureStatus.APPROVED
    assert gesture.decided_by == supervisor_lyon and gesture.decided_at
    assert Alert.objects.get().status == AlertStatus.RESOLVED


def test_the_supervisor_refuses(pending, supervisor_lyon):
    assert gesture_decide(gesture=pending, by=supervisor_lyon, approve=False).status == (
        GestureStatus.REFUSED
    )


def test_an_agent_may_not_approve(pending, colleague_lyon):
    with pytest.raises(DomainError) as error:
        gesture_decide(gesture=pending, by=colleague_lyon, approve=True)
    assert error.value.code == "forbidden"
    pending.refresh_from_db()
    assert pending.status == GestureStatus.PENDING


def test_a_decided_gesture_is_not_decided_again(pending, supervisor_lyon, manager_lyon):
    gesture_decide(gesture=pending, by=supervisor_lyon, approve=True)
    with pytest.raises(DomainError) as error:
        gesture_decide(gesture=pending, by=manager_lyon, approve=False)
    assert error.value.code == "already_decided"
    assert "déjà été traité (approuvé)" in str(error.value)


def test_nobody_approves_their_own_gesture(helene, supervisor_lyon, manager_lyon):
    own = gesture_grant(
        customer=helene,
        agent=supervisor_lyon,
        kind=GestureKind.GIFT,
        value=Decimal("120"),
        reason="Fauteuil roulant abîmé par une porte de bus",
        channel="counter",
    )
    with pytest.raises(DomainError) as error:
        gesture_decide(gesture=own, by=supervisor_lyon, approve=True)
    assert error.value.code == "own_gesture"
    assert gesture_decide(gesture=own, by=manager_lyon, approve=True).status == "approved"


def test_another_agencys_manager_may_not_decide(pending, manager_villeurbanne):
    with pytest.raises(DomainError) as error:
        gesture_decide(gesture=pending, by=manager_villeurbanne, approve=True)
    assert error.value.code == "forbidden"
