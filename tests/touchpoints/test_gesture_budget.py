"""gesture_budget: granted and approved this Paris calendar month against the budget."""

from decimal import Decimal

import pytest

from relation_client.touchpoints.models import Gesture, GestureKind, GestureStatus
from relation_client.touchpoints.selectors import gesture_budget
from relation_client.touchpoints.services import gesture_grant
from tests.support.time import paris

pytestmark = pytest.mark.django_db

NOVEMBER = paris(2026, 11, 15, 12, 0)


@pytest.fixture
def give(helene, agent):
    def make(value: str, status: str, created_at) -> Gesture:
        gesture = gesture_grant(
            customer=helene,
            agent=agent,
            kind=GestureKind.DISCOUNT,
            value=Decimal(value),
            reason="Panne d'ascenseur à Part-Dieu",
            channel="counter",
        )
        Gesture.objects.filter(pk=gesture.pk).update(status=status, created_at=created_at)
        return gesture

    return make


def test_granted_and_approved_this_month_count(give, agency_lyon, django_assert_num_queries):
    give("20", GestureStatus.GRANTED, paris(2026, 11, 3, 10, 0))
    give("75.50", GestureStatus.APPROVED, paris(2026, 11, 20, 10, 0))
    give("60", GestureStatus.PENDING, paris(2026, 11, 21, 10, 0))
    give("90", GestureStatus.REFUSED, paris(2026, 11, 22, 10, 0))
    give("25", GestureStatus.GRANTED, paris(2026, 10, 31, 23, 30))  # October in Paris
    give("10", GestureStatus.GRANTED, paris(2026, 12, 1, 0, 30))  # December in Paris
    with django_assert_num_queries(1):
        budget = gesture_budget(agency=agency_lyon, now=NOVEMBER)
    assert budget.granted == Decimal("95.50")
    assert budget.pending == Decimal("60")
    assert budget.allotted == Decimal("500")
    assert budget.remaining == Decimal("404.50")
    assert budget.percent == 19
    assert not budget.exceeded


def test_the_paris_month_starts_at_midnight_paris_time(give, agency_lyon):
    # 31 October 23:30 UTC is 1 November 00:30 in Paris
    give("12", GestureStatus.GRANTED, paris(2026, 11, 1, 0, 30))
    assert gesture_budget(agency=agency_lyon, now=NOVEMBER).granted == Decimal("12")


def test_an_empty_month_and_another_agency(give, agency_villeurbanne):
    give("20", GestureStatus.GRANTED, paris(2026, 11, 3, 10, 0))
    budget = gesture_budget(agency=agency_villeurbanne, now=NOVEMBER)
    assert budget.granted == Decimal("0") and budget.percent == 0


def test_over_budget(give, agency_lyon):
    agency_lyon.monthly_gesture_budget = Decimal("50")
    agency_lyon.save()
    give("60", GestureStatus.GRANTED, paris(2026, 11, 3, 10, 0))
    budget = gesture_budget(agency=agency_lyon, now=NOVEMBER)
    assert budget.exceeded and budget.percent == 120
