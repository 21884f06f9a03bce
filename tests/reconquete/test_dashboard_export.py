"""reconquete:dashboard_export: any table of the dashboard as CSV."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reconquete.models import ReconquestSnapshot

pytestmark = pytest.mark.django_db

OCTOBER = datetime.date(2026, 10, 1)


@pytest.fixture
def snapshots(agency_lyon, agency_villeurbanne):
    for agency, lost in ((None, 12), (agency_lyon, 7), (agency_villeurbanne, 5)):
        ReconquestSnapshot.objects.create(
            period=OCTOBER,
            agency=agency,
            dimension="total",
            key="",
            label=agency.name if agency else "",
            lost=lost,
            cohort=lost,
            won_back_30=1,
            computed_at=timezone.now(),
        )


def export(client, table, **params):
    response = client.get(
        reverse("reconquete:dashboard_export", args=[table]), {"mois": "2026-10", **params}
    )
    return response, b"".join(
        response.streaming_content
    ).decode() if response.status_code == 200 else ""


def test_agencies_side_by_side(client, director, snapshots):
    client.force_login(director.user)
    response, text = export(client, "agences")
    assert (
        response["Content-Disposition"] == 'attachment; filename="reconquete-agences-2026-10.csv"'
    )
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Libellé;Perdus;Contactés")
    assert lines[1].startswith("Lyon Part-Dieu;7;") and lines[2].startswith(
        "Villeurbanne Gratte-Ciel;5;"
    )


def test_the_trend_has_twelve_months(agent_client, snapshots):
    _response, text = export(agent_client, "tendance")
    lines = text.lstrip("\ufeff").splitlines()
    assert len(lines) == 13 and lines[-1].startswith("2026-10;7;")  # the agent's agency


def test_an_unknown_table_is_a_404_and_another_agency_a_403(
    client, manager_villeurbanne, agency_lyon, snapshots
):
    client.force_login(manager_villeurbanne.user)
    assert export(client, "agences", agence=agency_lyon.pk)[0].status_code == 403
    assert export(client, "inconnu")[0].status_code == 404
