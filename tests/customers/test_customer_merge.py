import pytest

from relation_client.customers.models import Customer, CustomerMerge
from relation_client.customers.services import customer_merge
from socle.errors import DomainError

pytestmark = pytest.mark.django_db


def test_merge_keeps_both_timelines_contacts_and_identifiers(make_customer, supervisor_lyon, agent):
    keep = make_customer(phones=["06 12 34 56 78"], cards=["TCL1"], touchpoints=3, agent=agent)
    twin = make_customer(
        first_name="Helene",
        last_name="Dupont Lefevre",
        phones=["06 12 34 56 78", "04 78 00 00 01"],
        emails=["h.dl@exemple.fr"],
        cards=["TCL2"],
        touchpoints=2,
        agent=agent,
    )
    survivor = customer_merge(survivor=keep, absorbed=twin, by=supervisor_lyon)
    assert survivor.touchpoints.count() == 5
    assert sorted(survivor.contact_points.values_list("value", flat=True)) == [
        "+33478000001",
        "+33612345678",
        "h.dl@exemple.fr",
    ]
    assert sorted(survivor.identifiers.values_list("number", flat=True)) == ["TCL1", "TCL2"]
    assert not Customer.objects.filter(pk=twin.pk).exists()
    trace = CustomerMerge.objects.get()
    assert (trace.absorbed_id, trace.merged_by) == (twin.pk, supervisor_lyon)


def test_an_agent_must_not_merge(make_customer, agent):
    first, second = make_customer(), make_customer(first_name="Chloé")
    with pytest.raises(DomainError) as error:
        customer_merge(survivor=first, absorbed=second, by=agent)
    assert error.value.code == "forbidden"
    assert Customer.objects.count() == 2


def test_merging_a_record_into_itself_is_refused(make_customer, supervisor_lyon):
    customer = make_customer()
    with pytest.raises(DomainError):
        customer_merge(survivor=customer, absorbed=customer, by=supervisor_lyon)
