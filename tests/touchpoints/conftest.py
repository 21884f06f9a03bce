"""Workspace fixtures: Lyon's team, named customers, touchpoints logged the real way."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from agences import roles
from agences.models import Partner
from relation_client.customers.models import Segment
from relation_client.customers.services import CustomerData, customer_create
from relation_client.touchpoints.models import Reason, Request
from relation_client.touchpoints.services import touchpoint_log

PARIS = ZoneInfo("Europe/Paris")


def paris(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)


@pytest.fixture
def supervisor_lyon(make_staff, agency_lyon):
    return make_staff("nathalie", "Nathalie Girard", roles.SUPERVISOR, agency_lyon)


@pytest.fixture
def colleague_lyon(make_staff, agency_lyon):
    return make_staff("karim", "Karim Benali", roles.AGENT, agency_lyon)


@pytest.fixture
def agent_villeurbanne(make_staff, agency_villeurbanne):
    return make_staff("theo", "Théo Marchand", roles.AGENT, agency_villeurbanne)


@pytest.fixture
def director(make_staff, agency_lyon):
    return make_staff("isabelle", "Isabelle Morel", roles.NETWORK_DIRECTOR, agency_lyon)


@pytest.fixture
def reasons(db) -> dict[str, Reason]:
    return {reason.code: reason for reason in Reason.objects.all()}


@pytest.fixture
def partner(db):
    return Partner.objects.create(
        name="Objets Trouvés Métropole", domain="Objets perdus", contact_name="Gérard Pécuchet"
    )


@pytest.fixture
def make_customer(agency_lyon):
    def make(first_name="Hélène", last_name="Dupont-Lefèvre", **extra):
        data = CustomerData(
            first_name=first_name,
            last_name=last_name,
            civility=extra.pop("civility", "mme"),
            home_agency=extra.pop("home_agency", agency_lyon),
            **extra,
        )
        return customer_create(data=data, confirm_duplicate=True)

    return make


@pytest.fixture
def helene(make_customer, agent):
    return make_customer("Hélène", "Dupont-Lefèvre", usual_contact=agent)


@pytest.fixture
def log(reasons, agent):
    """touchpoint_log with the agent and sensible defaults: an inbound phone question."""

    def do(
        customer=None,
        *,
        by=None,
        channel="phone",
        reason="information",
        summary="Question sur l'abonnement « Tout Lyon »",
        **extra,
    ):
        return touchpoint_log(
            agent=by or agent,
            customer=customer,
            channel=channel,
            reason=reasons[reason],
            summary=summary,
            **extra,
        )

    return do


@pytest.fixture
def open_request(log, helene) -> Request:
    """Hélène's open phone request, opened by her call an hour ago."""
    from django.utils import timezone

    touchpoint = log(
        helene,
        summary="Carte Técély bloquée après le rechargement",
        occurred_at=timezone.now() - datetime.timedelta(hours=1),
    )
    return touchpoint.request


@pytest.fixture
def segment_priority():
    def get(name: str) -> Segment:
        return Segment.objects.get(name=name)

    return get
