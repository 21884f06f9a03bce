"""Partners, their people and escalated requests; academy fixtures."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from agences import roles
from agences.models import Partner, PartnerMember
from relation_client.touchpoints.models import Reason, Request
from tests.conftest import PASSWORD

PARIS = ZoneInfo("Europe/Paris")


def paris(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)


@pytest.fixture
def objets_trouves(db) -> Partner:
    return Partner.objects.create(
        name="Objets Trouvés Métropole", domain="Objets perdus", contact_name="Gérard Pécuchet"
    )


@pytest.fixture
def taxis_pmr(db) -> Partner:
    return Partner.objects.create(name="Taxis PMR Rhône", domain="Transport adapté")


@pytest.fixture
def make_partner_user(db):
    def make(partner: Partner, username: str, full_name: str):
        user = get_user_model().objects.create_user(username=username, password=PASSWORD)
        user.groups.add(Group.objects.get(name=roles.PARTNER))
        PartnerMember.objects.create(partner=partner, full_name=full_name, user=user)
        return user

    return make


@pytest.fixture
def gerard(make_partner_user, objets_trouves):
    return make_partner_user(objets_trouves, "gerard", "Gérard Pécuchet")


@pytest.fixture
def escalate(agency_lyon):
    """escalate(partner, at, answered=None, closed=None): a request handed to the partner
    at that moment (Paris time), as request_escalate leaves it, answered or not."""
    reason = Reason.objects.get(code="lost_property")

    def make(partner, at, *, answered=None, closed=None, subject="Parapluie oublié dans le T1"):
        status = "answered" if answered else "closed" if closed else "open"
        return Request.objects.create(
            agency=agency_lyon,
            channel="phone",
            reason=reason,
            subject=subject,
            status=status,
            opened_at=at - datetime.timedelta(hours=1),
            deadline=at + datetime.timedelta(days=2),
            partner=partner,
            escalated_at=at,
            answered_at=answered,
            closed_at=closed,
        )

    return make
