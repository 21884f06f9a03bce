"""The indicator registry and the built-in indicators, computed by hand on a small set."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from relation_client.customers.models import Customer, Segment
from relation_client.cycle import indicators, services
from relation_client.cycle.models import Stage
from relation_client.touchpoints.models import Reason, Request, Touchpoint, TouchpointKind
from socle.errors import DomainError

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)
H = datetime.timedelta(hours=1)
D = datetime.timedelta(days=1)


@pytest.fixture
def make_request(agency_lyon):
    reason = Reason.objects.get(code="information")

    def make(customer, *, opened, deadline, answered=None, closed=None) -> Request:
        return Request.objects.create(
            customer=customer,
            agency=agency_lyon,
            channel="phone",
            reason=reason,
            subject="Horaires de la ligne C3",
            opened_at=NOW - opened,
            deadline=NOW - deadline,
            answered_at=NOW - answered if answered is not None else None,
            closed_at=NOW - closed if closed is not None else None,
            status="answered" if answered is not None else "closed" if closed else "open",
        )

    return make


@pytest.fixture
def requests_of_segment(segment, make_request):
    """Requests of the PMR segment's customers, plus some that must not count."""
    aicha = Customer.objects.create(first_name="Aïcha", last_name="Diallo", segment=segment)
    loic = Customer.objects.create(first_name="Loïc", last_name="Le Gall", segment=segment)
    visitor = Customer.objects.create(
        first_name="Zoé", last_name="Lefèvre", segment=Segment.objects.get(name="Visiteurs")
    )
    make_request(aicha, opened=5 * D, deadline=4 * D, answered=4 * D + 2 * H)  # on time, 22 h
    make_request(loic, opened=6 * D, deadline=5 * D, answered=3 * D)  # late, 72 h
    make_request(aicha, opened=2 * D, deadline=1 * D)  # unanswered past its deadline: late
    make_request(loic, opened=1 * H, deadline=-1 * D)  # not due yet: not settled
    make_request(aicha, opened=3 * D, deadline=2 * D, closed=2 * D + H)  # closed in time
    make_request(loic, opened=10 * D, deadline=9 * D, answered=10 * D - 4 * H)  # on time, 4 h
    # outside the 30 days, another segment, nobody: none of these count
    make_request(aicha, opened=40 * D, deadline=39 * D, answered=39 * D + 1 * H)
    make_request(visitor, opened=5 * D, deadline=4 * D, answered=4 * D + 1 * H)
    make_request(None, opened=5 * D, deadline=4 * D, answered=2 * D)


def test_requests_on_time_by_hand(segment, requests_of_segment):
    # settled: 22 h, 72 h, unanswered late, closed in time, 4 h → 5; on time: 3
    assert indicators.requests_on_time(segment=segment, now=NOW) == Decimal("60.0")


def test_median_delay_by_hand(segment, requests_of_segment):
    # answered in the window: 4 h, 22 h, 72 h
    assert indicators.requests_median_delay(segment=segment, now=NOW) == Decimal("22.0")


def test_no_requests_no_value(segment):
    assert indicators.requests_on_time(segment=segment, now=NOW) is None
    assert indicators.requests_median_delay(segment=segment, now=NOW) is None


def test_identification_rate_is_network_wide(segment, agency_lyon):
    reason = Reason.objects.get(code="information")
    named = Customer.objects.create(first_name="Hélène", last_name="Dupont-Lefèvre")
    for customer, kind, days in [
        (named, TouchpointKind.INTERACTION, 1),
        (named, TouchpointKind.INTERACTION, 2),
        (named, TouchpointKind.INTERACTION, 3),
        (None, TouchpointKind.INTERACTION, 4),
        (None, TouchpointKind.INTERACTION, 45),  # too old
        (named, TouchpointKind.ESCALATION, 1),  # not an exchange
    ]:
        Touchpoint.objects.create(
            kind=kind,
            customer=customer,
            channel="counter",
            reason=reason,
            summary="Horaires",
            agency=agency_lyon,
            occurred_at=NOW - days * D,
        )
    assert indicators.identification_rate(segment=segment, now=NOW) == Decimal("75.0")


def test_measuring_a_computed_control(segment, steerer, bring_to, requests_of_segment):
    round = bring_to(segment, Stage.CONTROL)
    control = services.control_add(
        round=round, by=steerer, indicator="requests_median_delay", target=24
    )
    services.control_measure(control=control, by=steerer, now=NOW)
    control.refresh_from_db()
    assert (control.measured_value, control.measured_at, control.met) == (
        Decimal("22.00"),
        NOW,
        True,
    )
    with pytest.raises(DomainError) as error:
        services.control_measure(control=control, by=steerer, value=Decimal("3"))
    assert error.value.code == "computed_indicator"


def test_no_data_is_said_not_stored(steerer, bring_to):
    empty = Segment.objects.get(name="Visiteurs")
    round = bring_to(empty, Stage.CONTROL)
    control = services.control_add(round=round, by=steerer, indicator="requests_on_time", target=90)
    with pytest.raises(DomainError) as error:
        services.control_measure(control=control, by=steerer)
    assert error.value.code == "no_data"
    control.refresh_from_db()
    assert control.measured_value is None


def test_the_nightly_measure_fills_computed_controls_of_rounds_under_control(
    segment, steerer, bring_to, requests_of_segment
):
    round = bring_to(segment, Stage.CONTROL)
    computed = services.control_add(
        round=round, by=steerer, indicator="requests_on_time", target=90
    )
    typed = services.control_add(
        round=round, by=steerer, indicator="manual", label="Courriers de remerciement", target=3
    )
    not_yet = bring_to(Segment.objects.get(name="Seniors"), Stage.PRIVILEGE)
    assert services.controls_measure_open(now=NOW) == 1
    assert services.controls_measure_open(now=NOW) == 1  # same value again: idempotent
    computed.refresh_from_db()
    typed.refresh_from_db()
    assert (computed.measured_value, computed.measured_by) == (Decimal("60.00"), None)
    assert typed.measured_value is None
    assert not not_yet.controls.exists()


def test_other_apps_register_their_indicators(segment, steerer, bring_to):
    def won_back(*, segment, now):
        return Decimal("12.5")

    indicators.register("test_won_back", "Abonnés reconquis (%)", won_back, unit="%")
    try:
        assert ("test_won_back", "Abonnés reconquis (%)") in indicators.choices()
        assert indicators.choices()[-1][0] == indicators.MANUAL  # the typed one comes last
        indicators.register("test_won_back", "Abonnés reconquis (%)", won_back, unit="%")
        with pytest.raises(ValueError):
            indicators.register("test_won_back", "Autre", lambda **kw: None)
        round = bring_to(segment, Stage.CONTROL)
        control = services.control_add(
            round=round, by=steerer, indicator="test_won_back", target=10
        )
        services.control_measure(control=control, by=steerer)
        control.refresh_from_db()
        assert (control.label, control.unit, control.measured_value) == (
            "Abonnés reconquis (%)",
            "%",
            Decimal("12.50"),
        )
    finally:
        indicators.unregister("test_won_back")
    # gone from the registry: the control keeps its label, measuring says why it cannot
    with pytest.raises(DomainError) as error:
        services.control_measure(control=control, by=steerer)
    assert error.value.code == "unknown_indicator"
