"""The undo button of the merge page: a supervisor gets the absorbed record back, an
agent does not get in."""

import pytest
from django.urls import reverse

from relation_client.customers.models import Customer, CustomerMerge
from relation_client.customers.services import customer_merge

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged(make_customer, supervisor_lyon):
    keep, twin = make_customer(touchpoints=2), make_customer(first_name="Helene", touchpoints=1)
    customer_merge(survivor=keep, absorbed=twin, by=supervisor_lyon)
    return keep, twin, CustomerMerge.objects.get()


def test_supervisor_undoes_a_merge_from_the_merge_page(client, supervisor_lyon, merged):
    keep, twin, merge = merged
    client.force_login(supervisor_lyon.user)
    page = client.get(reverse("customers:merge")).content.decode()
    assert reverse("customers:merge_undo", args=[merge.pk]) in page

    response = client.post(reverse("customers:merge_undo", args=[merge.pk]))

    assert response["Location"] == reverse("customers:detail", args=[twin.pk])
    assert Customer.objects.get(pk=twin.pk).touchpoints.count() == 1
    assert keep.touchpoints.count() == 2
    assert "annulée le" in client.get(reverse("customers:merge")).content.decode()


def test_agent_must_not_undo(agent_client, merged):
    _keep, twin, merge = merged
    response = agent_client.post(reverse("customers:merge_undo", args=[merge.pk]))
    assert response.status_code == 403
    assert not Customer.objects.filter(pk=twin.pk).exists()
