"""The right of access and the right to erasure reach the reconquest data (subscriptions,
ridership months, cases, campaign targets and contacts), and every reconquest indicator is
the same after an erasure."""

import datetime
import json

import pytest
from django.urls import reverse

from agences import roles
from reconquete.models import (
    CaseReason,
    CaseStatus,
    ReconquestCase,
    ReconquestContact,
    RidershipMonth,
    Subscription,
)
from reconquete.services import snapshot_compute
from relation_client.customers.models import Customer
from relation_client.privacy.services import customer_erase, customer_export
from relation_client.touchpoints.models import Touchpoint
from tests.reconquete.conftest import month
from tests.reconquete.snapshots import snapshot_values
from tests.support.time import paris

pytestmark = pytest.mark.django_db

CONTRACT = "ABO-2025-004217"


@pytest.fixture
def lost_riders(
    make_customer,
    make_case,
    make_campaign,
    make_target,
    make_contact,
    network_settings,
    agent,
    agency_lyon,
    scolaires,
    seniors,
):
    """Hélène lapsed her subscription, was called by a campaign and came back; Jérôme,
    whom nobody erases, keeps figures of his own beside hers."""
    helene = make_customer("Hélène", "Dupont-Lefèvre", segment=scolaires)
    jerome = make_customer("Jérôme", "Gaël-Noël", segment=seniors)
    subscription = Subscription.objects.create(
        customer=helene,
        contract_number=CONTRACT,
        product="Tout Lyon Jeunes",
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 12, 31),
        status="ended",
        sales_channel="counter",
    )
    Subscription.objects.create(
        customer=jerome,
        contract_number="ABO-2025-009981",
        product="Tout Lyon Senior",
        start_date=datetime.date(2025, 1, 1),
        status="active",
        sales_channel="web",
    )
    lapsed = make_case(
        helene,
        reason=CaseReason.LAPSED_SUBSCRIPTION,
        opened_at=paris(2026, 2, 3, 9),
        status=CaseStatus.WON_BACK,
        won_back_at=paris(2026, 3, 18, 12),
        subscription=subscription,
        details={
            "product": "Tout Lyon Jeunes",
            "contract": CONTRACT,
            "ended_on": "2025-12-31",
            "grace_days": 30,
        },
    )
    dropped = make_case(jerome, opened_at=paris(2026, 3, 2, 9))
    campaign = make_campaign(agent, [agency_lyon], name="Printemps du tram")
    target = make_target(campaign, lapsed, agent=agent, created_at=paris(2026, 3, 1, 10))
    make_target(campaign, dropped, agent=agent, created_at=paris(2026, 3, 1, 10))
    call = make_contact(
        lapsed,
        agent=agent,
        outcome="accepted",
        at=paris(2026, 3, 10, 10),
        campaign=campaign,
        target=target,
    )
    make_contact(dropped, agent=agent, outcome="reached", at=paris(2026, 3, 11, 10))
    lapsed.attributed_campaign, lapsed.attributed_touchpoint = campaign, call.touchpoint
    lapsed.save()
    RidershipMonth.objects.bulk_create(
        RidershipMonth(customer=customer, month=period, trips=trips)
        for customer, period, trips in [
            (helene, month(2025, 1), 30),
            (helene, month(2025, 2), 28),
            (helene, month(2025, 3), 32),
            (helene, month(2026, 3), 22),
            (jerome, month(2025, 1), 12),
            (jerome, month(2026, 3), 3),
        ]
    )
    return helene, jerome


def compute():
    snapshot_compute(period_from=month(2025, 1), period_to=month(2026, 4))


def test_the_access_export_lists_every_reconquest_record(lost_riders, agent):
    helene, _jerome = lost_riders
    data = customer_export(customer=helene, user=agent.user)

    assert [s["contract_number"] for s in data["abonnements"]] == [CONTRACT]
    assert data["abonnements"][0]["product"] == "Tout Lyon Jeunes"
    assert [(r["month"], r["trips"]) for r in data["fréquentation"]] == [
        ("2025-01-01", 30),
        ("2025-02-01", 28),
        ("2025-03-01", 32),
        ("2026-03-01", 22),
    ]
    (case,) = data["dossiers de reconquête"]
    assert (case["reason"], case["status"]) == ("lapsed_subscription", "won_back")
    assert case["details"]["contract"] == CONTRACT
    assert case["attributed_campaign"] == "Printemps du tram"
    (target,) = data["campagnes de reconquête"]
    assert (target["campaign"], target["agent"]) == ("Printemps du tram", "Camille Rousseau")
    (contact,) = data["contacts de reconquête"]
    assert (contact["outcome"], contact["channel"]) == ("accepted", "phone")


def test_the_dpo_downloads_it_as_json(lost_riders, client, make_staff, agency_lyon):
    helene, _jerome = lost_riders
    dpo = make_staff("dpo", "Bertrand Lefort", roles.DPO, agency_lyon)
    client.force_login(dpo.user)
    response = client.get(reverse("privacy:customer", args=[helene.pk]), {"format": "json"})
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["abonnements"][0]["contract_number"] == CONTRACT
    assert len(data["fréquentation"]) == 4


def test_erasure_removes_what_identifies_and_keeps_every_indicator(lost_riders, make_staff):
    helene, jerome = lost_riders
    dpo = make_staff("dpo", "Bertrand Lefort", roles.DPO, helene.home_agency)
    compute()
    before = snapshot_values()
    assert any(row[10] for row in before)  # some won back: the comparison means something
    counts = (Subscription.objects.count(), RidershipMonth.objects.count())

    customer_erase(customer=helene, user=dpo.user, reason="Demande écrite du 4 novembre")
    compute()

    assert snapshot_values() == before
    assert (Subscription.objects.count(), RidershipMonth.objects.count()) == counts
    erased = Subscription.objects.get(customer=helene)
    assert CONTRACT not in erased.contract_number
    assert erased.contract_number == f"effacé-{erased.pk}"
    assert (erased.product, erased.end_date) == ("Tout Lyon Jeunes", datetime.date(2025, 12, 31))
    case = ReconquestCase.objects.get(customer=helene)
    assert "contract" not in case.details
    assert case.details["product"] == "Tout Lyon Jeunes"  # what explains the case stays
    assert CONTRACT not in json.dumps(case.details)
    # the call's note (the touchpoint's summary) is free text: gone too
    contact = ReconquestContact.objects.get(case=case)
    assert Touchpoint.objects.get(pk=contact.touchpoint_id).summary == "[effacé]"
    # the other customer is untouched
    assert Subscription.objects.get(customer=jerome).contract_number == "ABO-2025-009981"
    assert Customer.objects.get(pk=helene.pk).first_name == "Anonyme"
    # the export of the erased record says nothing about the contract any more
    exported = json.dumps(customer_export(customer=helene, user=dpo.user), default=str)
    assert CONTRACT not in exported


def test_erasing_twice_changes_nothing_more(lost_riders):
    from reconquete.privacy import reconquest_erase

    helene, _jerome = lost_riders
    reconquest_erase([helene.pk])
    first = list(Subscription.objects.values_list("contract_number", flat=True).order_by("pk"))
    reconquest_erase([helene.pk])
    assert (
        list(Subscription.objects.values_list("contract_number", flat=True).order_by("pk")) == first
    )
