"""Alerts climb the hierarchy when nobody nearer can receive them: usual contact, the
agency's supervisor, its manager, the network direction, then an administrator. An
alert is never dropped (issue 14: 44 demo customers lived in an agency with no
supervisor and their alerts went nowhere)."""

import datetime

import pytest
from django.utils import timezone

from agences import roles
from agences.models import Agent
from relation_client.touchpoints.models import Alert, AlertKind
from relation_client.touchpoints.services import requests_mark_breaches
from tests.support.time import paris

pytestmark = pytest.mark.django_db


@pytest.fixture
def venissieux_customer(make_customer, agency_without_supervisor):
    """Ophélie, a customer of Vénissieux (no supervisor) with no usual contact."""
    return make_customer("Ophélie", "Lacroix-Bénard", home_agency=agency_without_supervisor)


@pytest.fixture
def mathis(agency_without_supervisor):
    return Agent.objects.get(agency=agency_without_supervisor, user__username="mathis")


@pytest.fixture
def without_manager(agency_without_supervisor):
    """Vénissieux's manager has left: nobody above the agents in the agency."""
    lea = Agent.objects.get(agency=agency_without_supervisor, user__username="lea")
    lea.user.is_active = False
    lea.user.save(update_fields=["is_active"])


def _complain_and_call_three_times(log, customer, by):
    log(
        customer,
        by=by,
        channel="social_media",
        reason="complaint",
        summary="Ligne C12 supprimée sans prévenir",
    )
    for day in (10, 11, 12):
        log(customer, by=by, summary="Où en est ma demande ?", occurred_at=paris(2026, 11, day))


def test_with_no_supervisor_the_agency_manager_receives_them(log, venissieux_customer, mathis):
    _complain_and_call_three_times(log, venissieux_customer, mathis)
    recipients = set(
        Alert.objects.filter(customer=venissieux_customer).values_list(
            "recipient__user__username", flat=True
        )
    )
    assert recipients == {"lea"}


def test_with_no_supervisor_nor_manager_the_network_direction_receives_them(
    log, venissieux_customer, mathis, without_manager, director
):
    _complain_and_call_three_times(log, venissieux_customer, mathis)
    social = Alert.objects.get(kind=AlertKind.SOCIAL_MEDIA, customer=venissieux_customer)
    repeat = Alert.objects.get(kind=AlertKind.REPEAT_CONTACT, customer=venissieux_customer)
    assert social.recipient == director
    assert repeat.recipient == director


def test_with_nobody_above_at_all_an_administrator_receives_them(
    log, venissieux_customer, mathis, without_manager, make_staff, agency_lyon
):
    admin = make_staff("aurelien", "Aurélien Chevalier", roles.ADMINISTRATOR, agency_lyon)
    _complain_and_call_three_times(log, venissieux_customer, mathis)
    kinds = set(
        Alert.objects.filter(customer=venissieux_customer, recipient=admin).values_list(
            "kind", flat=True
        )
    )
    assert kinds == {AlertKind.SOCIAL_MEDIA, AlertKind.REPEAT_CONTACT}


def test_a_usual_contact_who_left_passes_the_alert_up(log, helene, agent, supervisor_lyon):
    agent.user.is_active = False
    agent.user.save(update_fields=["is_active"])
    log(helene, by=supervisor_lyon, channel="social_media", reason="complaint", summary="Bus")
    assert Alert.objects.get(kind=AlertKind.SOCIAL_MEDIA).recipient == supervisor_lyon


def test_an_unassigned_breach_in_such_an_agency_reaches_the_network_direction(
    log, venissieux_customer, mathis, without_manager, director
):
    touchpoint = log(
        venissieux_customer,
        by=mathis,
        summary="Remboursement d'un abonnement non utilisé",
        occurred_at=timezone.now() - datetime.timedelta(days=30),
    )
    request = touchpoint.request
    request.assignee = None
    request.save(update_fields=["assignee"])
    assert requests_mark_breaches() == 1
    alert = Alert.objects.get(kind=AlertKind.BREACH, request=request)
    assert alert.recipient == director
