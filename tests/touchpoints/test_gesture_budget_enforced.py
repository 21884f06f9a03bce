"""The agency's monthly gesture budget is enforced: above it a gesture waits for the
manager, who is told once a month at 80 %; gestures posted at once cannot overshoot it."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from agences import roles
from relation_client.touchpoints.models import (
    Alert,
    AlertKind,
    AlertStatus,
    Gesture,
    GestureKind,
    GestureStatus,
    Touchpoint,
)
from relation_client.touchpoints.selectors import gesture_budget
from relation_client.touchpoints.services import gesture_decide, gesture_grant
from socle.errors import DomainError
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def grant(customer, agent, value="30", reason="Tram T1 supprimé, 45 min d'attente à Perrache"):
    return gesture_grant(
        customer=customer,
        agent=agent,
        kind=GestureKind.FREE_TRIPS,
        value=Decimal(value),
        reason=reason,
        channel="counter",
    )


@pytest.fixture
def budget_100(agency_lyon):
    agency_lyon.monthly_gesture_budget = Decimal("100")
    agency_lyon.save(update_fields=["monthly_gesture_budget"])
    return agency_lyon


def test_above_the_budget_the_gesture_waits_for_the_manager(
    budget_100, helene, agent, supervisor_lyon, manager_lyon
):
    for _ in range(3):
        assert grant(helene, agent).status == GestureStatus.GRANTED  # 90 €
    gesture = grant(helene, agent, "20")  # within the agent's 30 € but 110 € > 100 €
    assert gesture.status == GestureStatus.PENDING and gesture.over_budget
    assert Touchpoint.objects.filter(gesture=gesture).exists()  # on the timeline
    budget = gesture_budget(agency=budget_100)
    assert budget.granted == Decimal("90") and budget.pending == Decimal("20")
    alert = Alert.objects.get(kind=AlertKind.GESTURE_APPROVAL)
    assert alert.recipient == manager_lyon  # the manager, not the supervisor
    assert "Budget du mois dépassé" in alert.text
    assert "Hélène Dupont-Lefèvre" in alert.text


def test_the_supervisor_may_not_approve_above_the_budget(
    budget_100, helene, agent, supervisor_lyon, manager_lyon
):
    grant(helene, agent, "90")  # an agent above their limit: the supervisor approves
    gesture_decide(gesture=Gesture.objects.get(), by=supervisor_lyon, approve=True)
    over = grant(helene, agent, "20")
    with pytest.raises(DomainError) as error:
        gesture_decide(gesture=over, by=supervisor_lyon, approve=True)
    assert error.value.code == "over_budget"
    over.refresh_from_db()
    assert over.status == GestureStatus.PENDING


def test_the_manager_approves_and_the_gesture_counts(budget_100, helene, agent, manager_lyon):
    grant(helene, agent)
    grant(helene, agent)
    grant(helene, agent)
    over = grant(helene, agent)
    decided = gesture_decide(gesture=over, by=manager_lyon, approve=True)
    assert decided.status == GestureStatus.APPROVED and decided.decided_by == manager_lyon
    assert gesture_budget(agency=budget_100).granted == Decimal("120")
    approval = Alert.objects.get(kind=AlertKind.GESTURE_APPROVAL)
    assert approval.status == AlertStatus.RESOLVED


def test_the_manager_refuses_and_nothing_is_spent(budget_100, helene, agent, manager_lyon):
    grant(helene, agent, "30")
    grant(helene, agent, "30")
    grant(helene, agent, "30")
    over = grant(helene, agent, "30")
    assert gesture_decide(gesture=over, by=manager_lyon, approve=False).status == (
        GestureStatus.REFUSED
    )
    assert gesture_budget(agency=budget_100).granted == Decimal("90")


def test_a_supervisors_approval_that_would_overshoot_goes_to_the_manager(
    budget_100, helene, agent, colleague_lyon, supervisor_lyon, manager_lyon
):
    above_limit = grant(helene, agent, "40")  # pending the supervisor, 40 € fits
    grant(helene, colleague_lyon, "30")
    grant(helene, colleague_lyon, "30")  # 60 € spent: 100 € with the 40 €, still fits
    grant(helene, colleague_lyon, "10")  # 70 €: the 40 € no longer fit
    decided = gesture_decide(gesture=above_limit, by=supervisor_lyon, approve=True)
    assert decided.status == GestureStatus.PENDING and decided.over_budget
    assert gesture_budget(agency=budget_100).granted == Decimal("70")
    asked = Alert.objects.get(kind=AlertKind.GESTURE_APPROVAL, status=AlertStatus.NEW)
    assert asked.recipient == manager_lyon


def test_the_manager_is_alerted_once_a_month_at_80_percent(
    budget_100, helene, agent, manager_lyon, monkeypatch
):
    grant(helene, agent, "30")
    grant(helene, agent, "30")  # 60 %
    assert not Alert.objects.filter(kind=AlertKind.GESTURE_BUDGET).exists()
    grant(helene, agent, "25")  # 85 %
    alert = Alert.objects.get(kind=AlertKind.GESTURE_BUDGET)
    assert alert.recipient == manager_lyon
    assert "85,00 €" in alert.text and "100,00 €" in alert.text and "85 %" in alert.text
    grant(helene, agent, "10")  # 95 %: still the one alert
    assert Alert.objects.filter(kind=AlertKind.GESTURE_BUDGET).count() == 1
    # next month starts afresh: 80 % crossed again, a second alert
    next_month = timezone.now() + datetime.timedelta(days=32)
    monkeypatch.setattr(timezone, "now", lambda: next_month)
    for _ in range(3):
        assert grant(helene, agent, "30").status == GestureStatus.GRANTED
    assert Alert.objects.filter(kind=AlertKind.GESTURE_BUDGET).count() == 2


@pytest.fixture
def agency_without_manager(make_staff):
    """Vaulx-en-Velin: a supervisor and an agent, no manager."""
    agency = AgencyFactory(
        name="Vaulx-en-Velin La Soie", city="Vaulx-en-Velin", monthly_gesture_budget=50
    )
    make_staff("maelys", "Maëlys Chauvin", roles.SUPERVISOR, agency)
    make_staff("noe", "Noé Barthélemy", roles.AGENT, agency)
    return agency


def test_without_a_manager_the_alert_goes_up_and_the_director_decides(
    agency_without_manager, director, make_customer, login
):
    noe = agency_without_manager.agents.get(user__groups__name=roles.AGENT)
    supervisor = agency_without_manager.agents.get(user__groups__name=roles.SUPERVISOR)
    customer = make_customer("Zoé", "Lefèbvre", home_agency=agency_without_manager)
    grant(customer, noe, "30")
    grant(customer, noe, "25")  # 55 € > 50 €
    over = Gesture.objects.get(status=GestureStatus.PENDING)
    assert Alert.objects.get(kind=AlertKind.GESTURE_APPROVAL).recipient == director
    # the agency's supervisor may not decide above the budget
    with pytest.raises(DomainError):
        gesture_decide(gesture=over, by=supervisor, approve=True)
    # the director marked the alert as read in their inbox: the decision is still theirs
    Alert.objects.filter(kind=AlertKind.GESTURE_APPROVAL).update(status=AlertStatus.RESOLVED)
    # the director, in Lyon, sees it on their gestures page and approves it there
    client = login(director)
    page = client.get(reverse("touchpoints:gestures")).content.decode()
    assert "Vaulx-en-Velin La Soie" in page and "Au-delà du budget" in page
    response = client.post(
        reverse("touchpoints:gesture_decide", args=[over.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    over.refresh_from_db()
    assert over.status == GestureStatus.APPROVED and over.decided_by == director
    # the month now past 80 %: the director is told, for want of a manager
    assert Alert.objects.get(kind=AlertKind.GESTURE_BUDGET).recipient == director


def test_the_gestures_page_shows_the_manager_the_over_budget_gesture(
    budget_100, helene, agent, supervisor_lyon, manager_lyon, login
):
    grant(helene, agent, "30")
    grant(helene, agent, "30")
    grant(helene, agent, "30")
    over = grant(helene, agent, "30")
    supervisor_page = login(supervisor_lyon).get(reverse("touchpoints:gestures")).content
    assert "Au-delà du budget" in supervisor_page.decode()
    assert reverse("touchpoints:gesture_decide", args=[over.pk]) not in supervisor_page.decode()
    manager_page = login(manager_lyon).get(reverse("touchpoints:gestures")).content.decode()
    assert reverse("touchpoints:gesture_decide", args=[over.pk]) in manager_page


def test_the_grant_page_says_the_gesture_waits_for_the_manager(
    budget_100, helene, agent, agent_client, manager_lyon
):
    for _ in range(3):
        grant(helene, agent, "30")
    response = agent_client.post(
        reverse("touchpoints:gesture_grant", args=[helene.pk]),
        {
            "geste-kind": GestureKind.FREE_TRIPS,
            "geste-value": "15.00",
            "geste-channel": "counter",
            "geste-reason": "Bus 38 supprimé, cliente restée sur le quai",
        },
        follow=True,
    )
    assert "attend l&#x27;approbation du manager" in response.content.decode()
