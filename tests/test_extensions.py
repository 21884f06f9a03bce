"""The core's extension points (relation_client/extensions.py): the satellites plug in
from ready(), and the core works the same with nothing plugged in."""

import pytest

from relation_client import extensions
from relation_client.customers.forms import TouchpointForm
from relation_client.customers.services import CustomerData, customer_create
from relation_client.touchpoints.models import Reason
from relation_client.touchpoints.services import touchpoint_log


@pytest.fixture
def helene(db, agency_lyon):
    return customer_create(
        data=CustomerData(first_name="Hélène", last_name="Dupont-Lefèvre", home_agency=agency_lyon),
        confirm_duplicate=True,
    )


@pytest.fixture
def bare_core(monkeypatch):
    """The core alone: every extension point emptied for the test."""
    points = [p for p in vars(extensions).values() if isinstance(p, extensions.ExtensionPoint)]
    assert len(points) >= 7
    for point in points:
        monkeypatch.setattr(point, "_receivers", [])


def test_registering_a_receiver_twice_keeps_one():
    point = extensions.ExtensionPoint("essai")

    def receiver():
        pass

    point.register(receiver)
    point.register(receiver)
    assert list(point) == [receiver]


def test_order_puts_a_receiver_first():
    point = extensions.ExtensionPoint("essai")
    late, early = object(), object()
    point.register(late)
    point.register(early, order=1)
    assert list(point) == [early, late]


def test_the_satellites_fill_the_points_from_ready():
    from reconquete.extensions import CASE_BANNER, outcome_after, outcome_field
    from relation_client.network.panels import (
        NETWORK_PANEL,
        mentioned_line_after,
        mentioned_line_field,
    )
    from satisfaction.extensions import (
        TEAM_COMPLIMENTS,
        TEAM_SATISFACTION,
        compliment_after,
        compliment_fields,
        feedback_after,
        feedback_fields,
    )

    assert CASE_BANNER in list(extensions.customer_panels)
    # the core's network app fills points too: its panel, the line the customer names
    assert NETWORK_PANEL in list(extensions.customer_panels)
    assert list(extensions.touchpoint_form_fields) == [
        feedback_fields,
        outcome_field,
        mentioned_line_field,
        compliment_fields,
    ]
    assert mentioned_line_after in set(extensions.touchpoint_logged)
    assert {feedback_after, outcome_after, compliment_after} <= set(extensions.touchpoint_logged)
    assert list(extensions.team_figures) == [TEAM_SATISFACTION, TEAM_COMPLIMENTS]


def test_the_form_gets_the_satellites_fields(db):
    form = TouchpointForm()
    assert {"estimate", "climate"} <= set(form.fields)
    # the reconquest outcome only for a customer with an open case
    assert "reconquest_outcome" not in form.fields
    with_case = TouchpointForm(panels={"reconquest_case": object()})
    assert "reconquest_outcome" in with_case.fields
    assert with_case.extension_fields == [
        "estimate",
        "climate",
        "reconquest_outcome",
        "network_line",
        "compliment_agency",
        "compliment_line",
    ]


def test_the_core_alone_logs_a_touchpoint(bare_core, helene, agent):
    form = TouchpointForm()
    assert "estimate" not in form.fields and form.extension_fields == []
    touchpoint = touchpoint_log(
        agent=agent,
        customer=helene,
        channel="counter",
        reason=Reason.objects.get(code="information"),
        summary="Horaires de la ligne C3 donnés au guichet.",
        outcome="answered",
    )
    assert touchpoint.pk is not None
    assert extensions.panels_for([helene.pk], place=extensions.CUSTOMER_PAGE) == {helene.pk: []}


def test_every_receiver_gets_the_touchpoint_and_the_extra_values(bare_core, helene, agent):
    seen = []
    extensions.touchpoint_logged.register(lambda tp, *, extra: seen.append((tp.pk, extra)))
    touchpoint = touchpoint_log(
        agent=agent,
        customer=helene,
        channel="phone",
        reason=Reason.objects.get(code="information"),
        summary="Question sur l'abonnement « Pass Partout ».",
        outcome="answered",
        extra={"estimate": 4},
    )
    assert seen == [(touchpoint.pk, {"estimate": 4})]


def test_a_panel_is_loaded_once_for_many_customers(bare_core, helene):
    calls = []

    def load(customer_ids):
        calls.append(list(customer_ids))
        return {helene.pk: "bannière"}

    extensions.customer_panels.register(
        extensions.CustomerPanel(name="essai", load=load, template="essai.html")
    )
    panels = extensions.panels_for([helene.pk, helene.pk + 1], place=extensions.CALLER_CARD)
    assert calls == [[helene.pk, helene.pk + 1]]
    assert panels[helene.pk] == [extensions.Panel("essai", "essai.html", "bannière")]
    assert panels[helene.pk + 1] == []
