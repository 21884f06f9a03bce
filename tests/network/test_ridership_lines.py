"""The ticketing import gains the month's validations per line: the CSV file's `lignes`
column and the bulk API's `lines`, checked with the other rules (a batch with one bad row
writes nothing); each customer's latest month per line becomes their link to it."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from reconquete.models import RidershipMonth
from relation_client.network.models import CustomerLine, RiderSource, RiderStrength
from relation_client.network.riders import disruption_riders

pytestmark = pytest.mark.django_db


@pytest.fixture
def helene(make_customer):
    return make_customer(cards=["TCL 0042 1968"], contracts=["ABO-2019-0042"])


def _links(customer) -> dict[str, tuple]:
    return {
        link.line.short_name: (link.strength, link.validations, link.seen_on)
        for link in CustomerLine.objects.filter(customer=customer, source=RiderSource.VALIDATIONS)
    }


def test_the_file_links_the_customer_to_the_lines_of_the_latest_month(
    helene, network, tmp_path, capsys
):
    path = tmp_path / "frequentation.csv"
    path.write_text(
        "carte;mois;voyages;lignes\n"
        "TCL 0042 1968;2026-01;30;C3:22 T1:8\n"
        "TCL 0042 1968;2026-02;41;C3:3 12:38\n",
        encoding="utf-8-sig",
    )
    call_command("import_ridership", str(path))
    call_command("import_ridership", str(path))  # again: nothing doubles

    assert RidershipMonth.objects.filter(customer=helene).count() == 2
    assert _links(helene) == {
        # February's 3 validations of the C3 win over January's 22: the latest month
        "C3": (RiderStrength.OCCASIONAL, 3, datetime.date(2026, 2, 1)),
        "T1": (RiderStrength.USUAL, 8, datetime.date(2026, 1, 1)),
        "12": (RiderStrength.USUAL, 38, datetime.date(2026, 2, 1)),
    }


def test_a_bad_line_refuses_the_whole_file(helene, network, tmp_path, capsys):
    path = tmp_path / "frequentation.csv"
    path.write_text(
        "carte;mois;voyages;lignes\n"
        "TCL 0042 1968;2026-01;30;C3:22\n"
        "TCL 0042 1968;2026-02;41;Z9:4 T1:-2\n"
        "TCL 0042 1968;2026-03;41;C3 douze\n",
        encoding="utf-8-sig",
    )
    with pytest.raises(CommandError, match="Fichier refusé : 3 erreur"):
        call_command("import_ridership", str(path))
    err = capsys.readouterr().err
    assert "ligne 3 : Ligne inconnue du réseau : « Z9 »." in err
    assert "ligne 3 : Nombre de validations invalide ou invraisemblable pour la ligne T1." in err
    assert "ligne 4 : Validations par ligne illisibles « C3 douze »" in err
    assert not RidershipMonth.objects.exists() and not CustomerLine.objects.exists()


def test_the_bulk_api_takes_lines_and_a_validated_rider_is_a_rider_of_the_disruption(
    helene, network, manager_lyon, c3_disruption
):
    client = APIClient()
    client.force_login(manager_lyon.user)
    url = reverse("reconquete_api:ridership-bulk")
    answer = client.post(
        url,
        [{"card": "TCL 0042 1968", "month": "2026-02", "trips": 40, "lines": {"C3": 31}}],
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    assert _links(helene) == {"C3": (RiderStrength.USUAL, 31, datetime.date(2026, 2, 1))}
    assert list(disruption_riders(disruption=c3_disruption)) == [helene]

    refused = client.post(
        url,
        [{"card": "TCL 0042 1968", "month": "2026-03", "trips": 4, "lines": {"R99": 4}}],
        format="json",
    )
    assert refused.status_code == 400
    assert "R99" in str(refused.json())
