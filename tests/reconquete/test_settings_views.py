"""Detection thresholds per segment (reconquete:settings, settings_edit, settings_reset)."""

import pytest
from django.urls import reverse

from reconquete.models import ReconquestSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, manager_lyon):
    client.force_login(manager_lyon.user)
    return client


VALUES = {
    "baseline_start": "2019-01",
    "baseline_end": "2019-12",
    "grace_days": 45,
    "drop_months": 3,
    "drop_percent": 40,
    "inactive_months": 4,
    "attribution_days": 60,
}


def test_a_segment_gets_its_own_thresholds_then_follows_the_network_again(
    manager_client, scolaires
):
    listing = manager_client.get(reverse("reconquete:settings"))
    assert listing.status_code == 200 and "Réseau (par défaut)" in listing.content.decode()
    url = reverse("reconquete:settings_edit", args=[scolaires.pk])
    assert manager_client.get(url).status_code == 200
    response = manager_client.post(url, VALUES)
    assert response.status_code == 302
    row = ReconquestSettings.objects.get(segment=scolaires)
    assert (row.drop_percent, row.grace_days, row.baseline_months) == (40, 45, 12)
    manager_client.post(reverse("reconquete:settings_reset", args=[scolaires.pk]))
    assert not ReconquestSettings.objects.filter(segment=scolaires).exists()


def test_the_network_defaults_are_edited_in_place(manager_client):
    url = reverse("reconquete:settings_edit", args=["reseau"])
    manager_client.post(url, VALUES)
    manager_client.post(url, {**VALUES, "drop_percent": 55})
    assert ReconquestSettings.objects.get(segment=None).drop_percent == 55


def test_an_inverted_reference_period_is_refused(manager_client, scolaires):
    url = reverse("reconquete:settings_edit", args=[scolaires.pk])
    response = manager_client.post(url, {**VALUES, "baseline_end": "2018-06"})
    assert response.status_code == 200
    assert "Le dernier mois précède le premier." in response.content.decode()
    assert not ReconquestSettings.objects.exists()


def test_an_agent_must_not_get_in(agent_client, scolaires):
    assert agent_client.get(reverse("reconquete:settings")).status_code == 403
    assert (
        agent_client.post(
            reverse("reconquete:settings_edit", args=[scolaires.pk]), VALUES
        ).status_code
        == 403
    )
    assert not ReconquestSettings.objects.exists()
