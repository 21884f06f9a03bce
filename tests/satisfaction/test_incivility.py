"""Incivility reports (services): filed by an agent, the supervisor alerted; the
follow-up acknowledged → support offered → closed, never by the agent concerned."""

import datetime

import pytest
from django.utils import timezone

from relation_client.touchpoints.models import Alert
from satisfaction.services import (
    incivility_acknowledge,
    incivility_close,
    incivility_offer_support,
    incivility_report,
)
from socle.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(agent, helene, supervisor_lyon):
    return incivility_report(
        reported_by=agent,
        direction="against_staff",
        kind="threat",
        severity=3,
        place="on_board",
        line_or_station="Tram T1, arrêt Gratte-Ciel",
        witnesses="Le conducteur, M. Lefèvre",
        description="Menaces après un rappel au règlement.",
        occurred_at=timezone.now() - datetime.timedelta(hours=2),
        customer=helene,
    )


def test_filing_alerts_the_supervisor(report, agent, supervisor_lyon, helene):
    assert (report.agent, report.agency, report.status) == (agent, agent.agency, "reported")
    assert report.customer == helene
    alert = Alert.objects.get()
    assert (alert.kind, alert.recipient, alert.cause) == (
        "incivility",
        supervisor_lyon,
        f"incivility:report:{report.pk}",
    )
    assert "grave" in alert.text and "Camille Rousseau" in alert.text


def test_a_customer_complaint_about_a_colleague(agent, colleague_lyon):
    filed = incivility_report(
        reported_by=agent,
        agent=colleague_lyon,
        direction="by_staff",
        kind="rudeness",
        severity=1,
        place="counter",
        description="La cliente trouve qu'on lui a parlé sèchement.",
        occurred_at=timezone.now(),
    )
    assert (filed.agent, filed.reported_by, filed.direction) == (colleague_lyon, agent, "by_staff")


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("kind", "bagarre", "invalid_choice"),
        ("severity", 9, "invalid_choice"),
        ("description", "  ", "required"),
        ("occurred_at", timezone.now() + datetime.timedelta(days=1), "future_date"),
    ],
)
def test_bad_input(agent, field, value, code):
    data = {
        "reported_by": agent,
        "direction": "against_staff",
        "kind": "insult",
        "severity": 2,
        "place": "counter",
        "description": "Insultes",
        "occurred_at": timezone.now(),
        field: value,
    }
    with pytest.raises(DomainError) as refused:
        incivility_report(**data)
    assert (refused.value.code, refused.value.field) == (code, field)


def test_the_follow_up(report, manager_lyon):
    incivility_acknowledge(report=report, by=manager_lyon)
    incivility_offer_support(report=report, by=manager_lyon, note="Entretien proposé lundi.")
    closed = incivility_close(report=report, by=manager_lyon, note="Dépôt de plainte fait.")
    assert closed.status == "closed"
    assert (closed.acknowledged_by, closed.closed_by) == (manager_lyon, manager_lyon)
    assert closed.support_note == "Entretien proposé lundi."


def test_steps_in_order(report, manager_lyon):
    with pytest.raises(DomainError):
        incivility_offer_support(report=report, by=manager_lyon, note="Trop tôt")
    with pytest.raises(DomainError):
        incivility_close(report=report, by=manager_lyon)
    incivility_acknowledge(report=report, by=manager_lyon)
    with pytest.raises(DomainError) as refused:
        incivility_acknowledge(report=report, by=manager_lyon)
    assert refused.value.code == "invalid_status"
    with pytest.raises(DomainError) as refused:
        incivility_offer_support(report=report, by=manager_lyon, note=" ")
    assert refused.value.field == "note"


def test_never_by_the_agent_concerned(report, agent):
    with pytest.raises(DomainError) as refused:
        incivility_acknowledge(report=report, by=agent)
    assert refused.value.code == "own_report"
