"""API fixtures: a logged-in agent's client and customers built through the services."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from relation_client.customers.models import Civility, Segment
from relation_client.customers.services import CustomerData, customer_create
from relation_client.touchpoints.models import Outcome, Reason
from relation_client.touchpoints.services import touchpoint_log


@pytest.fixture
def api_client(agent):
    client = APIClient()
    client.force_login(agent.user)
    return client


@pytest.fixture
def anonymous_client(db):
    return APIClient()


def error_of(response) -> dict:
    """The body of an error answer, checked against the one error shape."""
    body = response.json()
    assert {"code", "field", "detail"} <= set(body), body
    assert isinstance(body["detail"], str) and body["detail"]
    return body


@pytest.fixture
def make_customer(db, agency_lyon):
    def make(first_name="Hélène", last_name="Dupont-Lefèvre", **fields):
        data = CustomerData(
            first_name=first_name,
            last_name=last_name,
            home_agency=fields.pop("home_agency", agency_lyon),
            **fields,
        )
        return customer_create(data=data, confirm_duplicate=True)

    return make


@pytest.fixture
def helene(make_customer, agent):
    return make_customer(
        civility=Civility.MADAME,
        phones=["06 12 34 56 78"],
        emails=["Helene.Dupont@Exemple.fr"],
        cards=["TCL 0042 1968"],
        birth_date=datetime.date(1968, 4, 12),
        needs="Malvoyante : préfère les courriers en gros caractères.",
        tags=["gros caractères"],
        segment=Segment.objects.get(name__icontains="senior"),
        usual_contact=agent,
    )


@pytest.fixture
def log_touchpoints(agent):
    """`count` answered phone calls, one every three days back from now (no request, no
    repeat-contact alert), through touchpoint_log."""

    def log(customer, count, *, start=None, outcome=Outcome.ANSWERED):
        reason = Reason.objects.get(code="information")
        start = start or timezone.now() - datetime.timedelta(minutes=1)
        return [
            touchpoint_log(
                agent=agent,
                customer=customer,
                channel="phone",
                reason=reason,
                summary=f"Question n° {index} sur les horaires de la ligne C3 à Villeurbanne",
                occurred_at=start - datetime.timedelta(days=3 * index),
                outcome=outcome,
            )
            for index in range(count)
        ]

    return log


@pytest.fixture
def social_desk(make_staff, agency_lyon):
    """The agent account a partner application writes in the name of."""
    from agences import roles

    return make_staff("bureau.reseaux", "Bureau réseaux sociaux", roles.AGENT, agency_lyon)


@pytest.fixture
def make_token(social_desk):
    from relation_client.api.services import api_token_create

    def make(*scopes: str, name: str = "Bureau réseaux sociaux"):
        token, raw = api_token_create(name=name, agent=social_desk, scopes=list(scopes))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return token, raw, client

    return make
