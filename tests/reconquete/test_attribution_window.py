"""The win-back attribution window counts calendar days in Europe/Paris: a contact on
day 60 before the return is credited, one on day 61 is not, whatever the hour, across a
change of summer time too (60 days of attribution in network_settings)."""

import datetime

import pytest

from reconquete.models import CaseReason, CaseStatus, Subscription
from reconquete.services import lapse_detect
from tests.support.time import paris

pytestmark = pytest.mark.django_db

WINTER = datetime.date(2026, 3, 20)  # day 60 before: 19 January, no change of time
SPRING = datetime.date(2026, 5, 10)  # day 60 before: 11 March, before the 29 March change
AUTUMN = datetime.date(2026, 12, 1)  # day 60 before: 2 October, before the 25 October change


@pytest.mark.parametrize("returned_on", [WINTER, SPRING, AUTUMN])
@pytest.mark.parametrize(
    ("days_before", "hour", "minute", "credited"),
    [(60, 0, 30, True), (60, 23, 30, True), (61, 0, 30, False), (61, 23, 30, False)],
)
def test_day_60_in_day_61_out_whatever_the_hour(
    network_settings,
    make_customer,
    make_case,
    make_contact,
    agent,
    returned_on,
    days_before,
    hour,
    minute,
    credited,
):
    customer = make_customer("Aurélie", "Lefèvre")
    case = make_case(
        customer,
        reason=CaseReason.LAPSED_SUBSCRIPTION,
        opened_at=paris(2025, 10, 1, 3, 0),
        lost_since=datetime.date(2025, 9, 1),
    )
    day = returned_on - datetime.timedelta(days=days_before)
    call = make_contact(
        case, agent=agent, outcome="accepted", at=paris(day.year, day.month, day.day, hour, minute)
    )
    Subscription.objects.create(
        customer=customer,
        contract_number="ABO-RETOUR",
        product="Pass Partout mensuel",
        start_date=returned_on,
        status="active",
        sales_channel="web",
    )
    lapse_detect(as_of=returned_on + datetime.timedelta(days=3))
    case.refresh_from_db()
    assert case.status == CaseStatus.WON_BACK
    assert case.won_back_at == paris(returned_on.year, returned_on.month, returned_on.day, 12, 0)
    assert case.attributed_touchpoint == (call.touchpoint if credited else None)
