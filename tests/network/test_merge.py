"""A merge moves the absorbed record's line links and disruption draws to the survivor
(folding what may not repeat); undoing it puts every row back."""

import datetime

import pytest

from relation_client.customers.models import CustomerMerge
from relation_client.customers.services import customer_merge, customer_merge_undo
from relation_client.network.contact import disruption_riders_warn
from relation_client.network.models import CustomerLine, DisruptionContact
from relation_client.network.riders import customer_lines_declare

pytestmark = pytest.mark.django_db


def _state(*customers) -> dict:
    return {
        customer.pk: (
            sorted(
                CustomerLine.objects.filter(customer=customer).values_list(
                    "line__short_name", "source"
                )
            ),
            DisruptionContact.objects.filter(customer=customer).count(),
        )
        for customer in customers
    }


def test_merge_and_undo_move_the_network_rows(
    c3_disruption, network, make_customer, supervisor_lyon, settings
):
    keep = make_customer("Mathilde", "Érard", emails=["mathilde.erard@exemple.fr"])
    twin = make_customer("Mathilde", "Erard", emails=["m.erard@exemple.fr"])
    day = datetime.date(2026, 3, 1)
    customer_lines_declare(customer=keep, lines=[network["C3"]], on=day)
    customer_lines_declare(customer=twin, lines=[network["C3"], network["T1"]], on=day)
    settings.NETWORK_HELD_OUT_PERCENT = 0
    disruption_riders_warn(disruption=c3_disruption, by=supervisor_lyon)
    before = _state(keep, twin)

    customer_merge(survivor=keep, absorbed=twin, by=supervisor_lyon)
    assert _state(keep)[keep.pk] == ([("C3", "declared"), ("T1", "declared")], 1)

    customer_merge_undo(merge=CustomerMerge.objects.get(absorbed_id=twin.pk), by=supervisor_lyon)
    assert _state(keep, twin) == before
