"""generate_dataset's work: load a whole generated network in one transaction, then
(optionally) run the reconquest detection and the indicator recomputes on it."""

import datetime
import random
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from demo.dataset import activity, customers, feedback, followups, loader, ticketing
from demo.dataset.plan import CustomerPlan
from demo.dataset.reference import reference_prepare
from demo.dataset.sizes import SIZES
from demo.dataset.timeline import Window
from demo.people import Phones
from reconquete.models import ReconquestSnapshot, RidershipMonth, Subscription
from reconquete.services.indicators import snapshot_compute
from reconquete.services.lapses import lapse_detect
from relation_client.customers.models import Consent, ContactPoint, Customer, Identifier
from relation_client.touchpoints.models import Gesture, Request, Touchpoint
from satisfaction.models import (
    AgentEstimate,
    ExchangeClimate,
    GapSnapshot,
    ResponseSnapshot,
    SurveyAnswer,
    SurveyInvitation,
    TeamSnapshot,
)
from satisfaction.services.indicators import indicators_compute
from socle.errors import DomainError

GENERATED = [
    Customer,
    ContactPoint,
    Identifier,
    Consent,
    Subscription,
    RidershipMonth,
    Touchpoint,
    Request,
    Gesture,
    SurveyInvitation,
    SurveyAnswer,
    AgentEstimate,
    ExchangeClimate,
]
# computed from the generated rows: emptied with them
DERIVED = [ReconquestSnapshot, GapSnapshot, ResponseSnapshot, TeamSnapshot]
GENERATED_TABLES = [m._meta.db_table for m in GENERATED]
DERIVED_TABLES = [m._meta.db_table for m in DERIVED]
MAINTENANCE_MEMORY = "768MB"  # index builds sort in memory; the server default is 64 MB


class DatasetRefused(DomainError):
    pass


@dataclass
class TableTiming:
    table: str
    rows: int = 0
    copy_seconds: float = 0.0
    index_seconds: float = 0.0


@dataclass
class DatasetReport:
    size: str
    seed: int
    as_of: datetime.date
    tables: dict[str, TableTiming] = field(default_factory=dict)
    steps: dict[str, float] = field(default_factory=dict)
    indicators: dict[str, float] = field(default_factory=dict)
    details: dict[str, str] = field(default_factory=dict)
    peak_rss_mib: float = 0.0
    total_seconds: float = 0.0


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dataset_check_free(*, replace: bool) -> list[str]:
    """The tables a load would empty. Without `replace`, refuse if any holds rows."""
    with connection.cursor() as cursor:
        closure = loader.truncation_closure(cursor, GENERATED_TABLES + DERIVED_TABLES)
        if not replace:
            busy = loader.tables_with_rows(cursor, closure)
            if busy:
                raise DatasetRefused(
                    "dataset_not_empty",
                    _(
                        "La base contient déjà des données (%(tables)s) : relancez avec "
                        "--replace pour les remplacer par le jeu généré."
                    )
                    % {"tables": ", ".join(busy)},
                    field="replace",
                )
    return closure


def dataset_generate(
    *,
    size: str,
    seed: int = 2026,
    as_of: datetime.date | None = None,
    replace: bool = False,
    with_indicators: bool = False,
    log: Callable[[str], None] = print,
) -> DatasetReport:
    started = time.perf_counter()
    spec = SIZES[size]
    as_of = as_of or timezone.localdate()
    window = Window(as_of)
    report = DatasetReport(size=size, seed=seed, as_of=as_of)
    plan = CustomerPlan(spec.customers)
    spools = activity.Spools()
    said = feedback.Feedback()

    def rng(name: str) -> random.Random:
        return random.Random(f"{seed}:{name}")

    with transaction.atomic():
        emptied = dataset_check_free(replace=replace)
        step = time.perf_counter()
        ref = reference_prepare(size=spec, window=window)
        phones = Phones(rng("phones"))
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL maintenance_work_mem = '{MAINTENANCE_MEMORY}'")
            # check the staff rows now: their pending deferred checks would forbid
            # dropping the foreign keys that point to them
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            loader.truncate(cursor, emptied)
            schema = loader.drop_secondary(cursor, GENERATED_TABLES)
            report.steps["préparation"] = time.perf_counter() - step

            def load(table: str, columns: str, rows) -> None:
                t0 = time.perf_counter()
                count = loader.copy_rows(cursor, table, columns, rows, freeze=True)
                timing = report.tables.setdefault(table, TableTiming(table))
                timing.rows += count
                timing.copy_seconds += time.perf_counter() - t0
                log(
                    f"  {table:<32} {timing.rows:>11,} lignes  {timing.copy_seconds:7.1f} s  "
                    f"(mémoire max {peak_rss_mib():,.0f} Mio)"
                )

            load(
                "customers_customer",
                customers.CUSTOMER_COLUMNS,
                customers.customers(rng=rng("customers"), ref=ref, window=window, plan=plan),
            )
            changes = plan.ridership_adjust(spec.ridership_months, rng("ridership-plan"))
            report.details["ajustement fréquentation"] = str(changes)
            load(
                "customers_contactpoint",
                customers.CONTACT_COLUMNS,
                customers.contact_points(
                    rng=rng("contacts"), window=window, plan=plan, phones=phones
                ),
            )
            load(
                "customers_identifier",
                customers.IDENTIFIER_COLUMNS,
                customers.identifiers(rng=rng("cards"), plan=plan),
            )
            load(
                "customers_consent",
                customers.CONSENT_COLUMNS,
                customers.consents(rng=rng("consents"), ref=ref, window=window, plan=plan),
            )

            def subscriptions():
                return ticketing.subscriptions(
                    rng=rng("subscriptions"), ref=ref, window=window, plan=plan
                )

            load("reconquete_subscription", ticketing.SUBSCRIPTION_COLUMNS, subscriptions())
            load(
                "customers_identifier",
                customers.IDENTIFIER_COLUMNS,
                ticketing.subscription_identifiers(rows=subscriptions(), first_id=plan.count + 1),
            )
            load(
                "reconquete_ridershipmonth",
                ticketing.RIDERSHIP_COLUMNS,
                ticketing.ridership(rng=rng("ridership"), ref=ref, window=window, plan=plan),
            )
            load(
                "touchpoints_touchpoint",
                activity.TOUCHPOINT_COLUMNS,
                activity.touchpoints(
                    rng=rng("touchpoints"),
                    ref=ref,
                    window=window,
                    plan=plan,
                    total=spec.touchpoints,
                    invitations=spec.invitations,
                    spools=spools,
                ),
            )
            report.details["tampons après les contacts"] = f"{spools.nbytes() / 2**20:.0f} Mio"
            load(
                "touchpoints_request",
                followups.REQUEST_COLUMNS,
                followups.requests(
                    rng=rng("requests"), ref=ref, window=window, plan=plan, spools=spools
                ),
            )
            load(
                "touchpoints_gesture",
                followups.GESTURE_COLUMNS,
                followups.gestures(rng=rng("gestures"), ref=ref, window=window, spools=spools),
            )
            load(
                "satisfaction_surveyinvitation",
                feedback.INVITATION_COLUMNS,
                feedback.invitations(
                    rng=rng("invitations"),
                    ref=ref,
                    window=window,
                    spools=spools,
                    answers=spec.answers,
                    feedback=said,
                ),
            )
            load(
                "satisfaction_surveyanswer",
                feedback.ANSWER_COLUMNS,
                feedback.answers(rng=rng("answers"), window=window, feedback=said),
            )
            load(
                "satisfaction_agentestimate",
                feedback.ESTIMATE_COLUMNS,
                feedback.estimates(rng=rng("estimates"), window=window, feedback=said),
            )
            load(
                "satisfaction_exchangeclimate",
                feedback.CLIMATE_COLUMNS,
                feedback.climates(rng=rng("climates"), window=window, spools=spools, ref=ref),
            )
            del spools, said
            log(_("Reconstruction des index et contraintes…"))
            step = time.perf_counter()
            for table, seconds in loader.rebuild_secondary(cursor, schema).items():
                report.tables.setdefault(table, TableTiming(table)).index_seconds += seconds
            report.steps["index et contraintes"] = time.perf_counter() - step
            step = time.perf_counter()
            loader.sequences_reset(cursor, GENERATED_TABLES)
            loader.analyze(cursor, GENERATED_TABLES)
            report.steps["séquences et ANALYZE"] = time.perf_counter() - step
    report.steps["chargement (total)"] = time.perf_counter() - started
    if with_indicators:
        _indicators(report, as_of, log)
    report.total_seconds = time.perf_counter() - started
    report.peak_rss_mib = peak_rss_mib()
    return report


def _indicators(report: DatasetReport, as_of: datetime.date, log: Callable[[str], None]) -> None:
    log(_("Détection des clients perdus et calcul des indicateurs…"))
    step = time.perf_counter()
    detection = lapse_detect(as_of=as_of)
    report.indicators["détection des pertes (lapse_detect)"] = time.perf_counter() - step
    report.details["dossiers ouverts"] = ", ".join(
        f"{reason} {count}" for reason, count in detection.opened.items()
    )
    step = time.perf_counter()
    computed = snapshot_compute()
    report.indicators["indicateurs de reconquête (snapshot_compute)"] = time.perf_counter() - step
    report.details["lignes d'indicateurs de reconquête"] = str(computed.rows)
    step = time.perf_counter()
    summary = indicators_compute()
    report.indicators["indicateurs de satisfaction (indicators_compute)"] = (
        time.perf_counter() - step
    )
    report.details["lignes d'indicateurs de satisfaction"] = str(
        summary.gap_rows + summary.response_rows + summary.team_rows
    )
