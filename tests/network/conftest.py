"""The network's fixtures: the demo GTFS as a zip, imported; a C3 disruption and its riders."""

import datetime
import zipfile

import pytest
from django.utils import timezone

from demo.seed.lines import DEMO_GTFS
from relation_client.customers.consents import consent_record
from relation_client.customers.models import Civility, Customer, Segment
from relation_client.cycle.models import PrivilegeAction, PrivilegeKind, Round
from relation_client.network.gtfs import gtfs_import
from relation_client.network.models import Line
from relation_client.network.riders import (
    customer_line_mention,
    customer_lines_declare,
    customer_lines_validated,
)
from relation_client.network.services import disruption_create
from tests.support.gtfs_rt_server import alerts_feed  # noqa: F401 (a fixture)


def gtfs_zip(folder, target, *, replace: dict[str, str] | None = None):
    """The GTFS of `folder` as a zip at `target`, with some files' text replaced."""
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.iterdir()):
            text = (replace or {}).get(path.name, path.read_text(encoding="utf-8"))
            archive.writestr(path.name, text)
    return target


@pytest.fixture
def demo_zip(tmp_path):
    return gtfs_zip(DEMO_GTFS, tmp_path / "reseau.zip")


@pytest.fixture
def network(db, demo_zip):
    """The demo lines and stops, imported from the zip: {short name: Line}."""
    gtfs_import(path=demo_zip)
    return {line.short_name: line for line in Line.objects.all()}


MORNING = datetime.datetime(2026, 3, 10, 6, 0, tzinfo=datetime.UTC)  # 7:00 in Paris


@pytest.fixture
def priority_categories(db, manager_lyon):
    """The loyalty cycle holds "Traitement prioritaire" for seniors and reduced mobility."""
    for name in ("Seniors", "Personnes à mobilité réduite"):
        segment = Segment.objects.get(name=name)
        round_ = Round.objects.create(segment=segment, number=1, started_by=manager_lyon)
        PrivilegeAction.objects.create(
            round=round_,
            kind=PrivilegeKind.PRIORITY_HANDLING,
            description="Demandes et alertes traitées en priorité",
            starts_on=datetime.date(2025, 1, 1),
            recorded_by=manager_lyon,
        )


@pytest.fixture
def c3_disruption(network, supervisor_lyon):
    return disruption_create(
        by=supervisor_lyon,
        lines=[network["C3"]],
        stops=[],
        starts_at=MORNING,
        ends_at=MORNING + datetime.timedelta(hours=2),
        cause="technical_problem",
        effect="significant_delays",
        header="Ligne C3 : retards importants, panne d'aiguillage à Part-Dieu",
        alternative_route="Prenez le T1 jusqu'à Part-Dieu Villette, puis le C13.",
    )


@pytest.fixture
def riders(network, make_customer, priority_categories):
    """Who rides what, and how we know it:
    - Hélène (senior), declared the C3, consents to travel information and offers by e-mail;
    - Jérôme (no segment), validates the C3 (12 a month), consents to travel information by
      SMS (and to nothing else), English;
    - Aïcha (reduced mobility), named the C3 at the counter, consents to offers by e-mail
      and SMS but not to travel information;
    - Noël (annual pass), declared the C3 and withdrew his travel information e-mail consent;
    - Bruno rides the T1 only; Zoé rode the C3 and was erased.
    Travel information is the consent proactive contact asks for; offers are not."""
    segments = {segment.name: segment for segment in Segment.objects.all()}
    helene = make_customer(
        "Hélène",
        "Dupont-Lefèvre",
        civility=Civility.MADAME,
        emails=["helene.dupont@exemple.fr"],
        segment=segments["Seniors"],
    )
    jerome = make_customer(
        "Jérôme",
        "Gaël-Noël",
        civility=Civility.MONSIEUR,
        phones=["07 98 76 54 32"],
        preferred_language="en",
    )
    aicha = make_customer(
        "Aïcha",
        "Diallo",
        phones=["06 11 22 33 44"],
        emails=["aicha.diallo@exemple.fr"],
        segment=segments["Personnes à mobilité réduite"],
    )
    noel = make_customer(
        "Noël", "Bérard", emails=["noel.berard@exemple.fr"], segment=segments["Abonnés annuels"]
    )
    bruno = make_customer("Bruno", "Lefèvre", emails=["bruno.lefevre@exemple.fr"])
    zoe = make_customer("Zoé", "Besançon", emails=["zoe.besancon@exemple.fr"])
    today = datetime.date(2026, 3, 9)
    customer_lines_declare(customer=helene, lines=[network["C3"]], on=today)
    customer_lines_declare(customer=noel, lines=[network["C3"]], on=today)
    customer_lines_declare(customer=bruno, lines=[network["T1"]], on=today)
    customer_lines_declare(customer=zoe, lines=[network["C3"]], on=today)
    customer_lines_validated(rows=[(jerome.pk, network["C3"].pk, datetime.date(2026, 2, 1), 12)])
    customer_line_mention(customer=aicha, line=network["C3"], on=today)
    for customer, channel, purpose, given in [
        (helene, "email", "travel_info", True),
        (helene, "email", "marketing", True),
        (jerome, "sms", "travel_info", True),
        (aicha, "email", "marketing", True),
        (aicha, "sms", "marketing", True),
        (noel, "email", "travel_info", True),
        (noel, "email", "travel_info", False),
        (bruno, "email", "travel_info", True),
        (zoe, "email", "travel_info", True),
    ]:
        consent_record(
            customer=customer, channel=channel, purpose=purpose, given=given, source="counter"
        )
    Customer.objects.filter(pk=zoe.pk).update(anonymised_at=timezone.now())
    return {"helene": helene, "jerome": jerome, "aicha": aicha, "noel": noel, "bruno": bruno}


@pytest.fixture
def make_case(db):
    """An open reconquest case (the satellite's row: the core reads it through its panel)."""
    from reconquete.models import CaseReason, ReconquestCase

    def make(customer):
        opened_at = timezone.now() - datetime.timedelta(days=10)
        return ReconquestCase.objects.create(
            customer=customer,
            reason=CaseReason.RIDERSHIP_DROP,
            opened_at=opened_at,
            agency_id=customer.home_agency_id,
            segment_id=customer.segment_id,
            lost_since=opened_at.date() - datetime.timedelta(days=60),
            watch_from=opened_at.date().replace(day=1),
            threshold_trips=10,
            baseline_trips=20,
            details={"baseline": 20, "recent": 4, "ratio_percent": 20, "drop_months": 3},
        )

    return make
