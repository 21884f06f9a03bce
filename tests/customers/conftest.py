import datetime

import pytest
from django.utils import timezone

from relation_client.customers.services import CustomerData, customer_create
from relation_client.touchpoints.models import Reason, Touchpoint


@pytest.fixture
def make_customer(db, agency_lyon):
    def make(
        first_name="Hélène",
        last_name="Dupont-Lefèvre",
        phones=(),
        emails=(),
        touchpoints=0,
        agent=None,
        **extra,
    ):
        customer = customer_create(
            data=CustomerData(
                first_name=first_name,
                last_name=last_name,
                phones=list(phones),
                emails=list(emails),
                home_agency=agency_lyon,
                **extra,
            ),
            confirm_duplicate=True,
        )
        if touchpoints:
            reason = Reason.objects.get(code="information")
            now = timezone.now()
            Touchpoint.objects.bulk_create(
                Touchpoint(
                    customer=customer,
                    channel="phone",
                    reason=reason,
                    summary=f"Question n° {i} sur les horaires de la ligne C3",
                    agent=agent,
                    agency=agency_lyon,
                    occurred_at=now - datetime.timedelta(hours=i + 1),
                )
                for i in range(touchpoints)
            )
        return customer

    return make


@pytest.fixture
def helene(make_customer, agent):
    return make_customer(
        civility="mme",
        phones=["06 12 34 56 78"],
        emails=["Helene.Dupont@Exemple.fr"],
        cards=["TCL 0042 1968"],
        birth_date=datetime.date(1968, 4, 12),
        usual_contact=agent,
    )
