import pytest
from django.urls import reverse

from agences import roles
from relation_client.customers.models import Customer

pytestmark = pytest.mark.django_db


def test_supervisor_merges_in_one_click(client, make_staff, agency_lyon, make_customer):
    supervisor = make_staff("nathalie", "Nathalie Girard", roles.SUPERVISOR, agency_lyon)
    keep, twin = make_customer(touchpoints=2), make_customer(first_name="Helene", touchpoints=1)
    client.force_login(supervisor.user)
    page = client.get(reverse("customers:merge"), {"survivor": keep.pk, "absorbed": twin.pk})
    assert "Absorbée : Helene Dupont-Lefèvre" in page.content.decode()
    response = client.post(reverse("customers:merge"), {"survivor": keep.pk, "absorbed": twin.pk})
    assert response["Location"] == keep.get_absolute_url()
    assert keep.touchpoints.count() == 3
    assert not Customer.objects.filter(pk=twin.pk).exists()


def test_agent_must_not_get_in(agent_client, make_customer):
    keep, twin = make_customer(), make_customer(first_name="Chloé")
    assert agent_client.get(reverse("customers:merge")).status_code == 403
    response = agent_client.post(
        reverse("customers:merge"), {"survivor": keep.pk, "absorbed": twin.pk}
    )
    assert response.status_code == 403
    assert Customer.objects.count() == 2
