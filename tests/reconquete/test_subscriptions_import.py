"""subscriptions_import: upsert on the contract number, customer by card or contract."""

import datetime
import io

import pytest

from reconquete.models import Subscription
from reconquete.services import ImportRejected, csv_records, subscriptions_import
from reconquete.services.imports import SUBSCRIPTION_COLUMNS, SUBSCRIPTION_REQUIRED

pytestmark = pytest.mark.django_db

HEADER = "contrat;carte;produit;début;fin;statut;canal_vente\n"


def records(text: str):
    return csv_records(
        stream=io.StringIO(text), columns=SUBSCRIPTION_COLUMNS, required=SUBSCRIPTION_REQUIRED
    )


GOOD = HEADER + (
    "ABO-2019-0042;;Pass Partout mensuel;2019-01-01;31/12/2025;Terminé;guichet\n"
    "ABO-2026-0007;TCL 7777 0001;Pass Étudiant;2026-09-01;;active;web\n"
)


def test_subscriptions_are_created_for_the_named_customers(helene_subscriber, jerome):
    report = subscriptions_import(records=records(GOOD))
    assert (report.received, report.created, report.updated) == (2, 2, 0)
    lapsed = Subscription.objects.get(contract_number="ABO-2019-0042")
    assert (lapsed.customer, lapsed.status, lapsed.sales_channel) == (
        helene_subscriber,
        "ended",
        "counter",
    )
    assert lapsed.end_date == datetime.date(2025, 12, 31)
    student = Subscription.objects.get(contract_number="ABO-2026-0007")
    assert (student.customer, student.end_date, student.product) == (jerome, None, "Pass Étudiant")


def test_the_same_file_twice_changes_nothing_and_a_change_updates(helene_subscriber, jerome):
    subscriptions_import(records=records(GOOD))
    again = subscriptions_import(records=records(GOOD))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    renewed = (
        HEADER + "ABO-2026-0007;TCL 7777 0001;Pass Étudiant;2026-09-01;2027-06-30;active;web\n"
    )
    report = subscriptions_import(records=records(renewed))
    assert (report.created, report.updated) == (0, 1)
    assert Subscription.objects.get(contract_number="ABO-2026-0007").end_date == datetime.date(
        2027, 6, 30
    )
    assert Subscription.objects.count() == 2


def test_a_known_contract_finds_its_customer_without_card(helene_subscriber, jerome):
    subscriptions_import(records=records(GOOD))
    report = subscriptions_import(
        records=records(HEADER + "ABO-2026-0007;;Pass Étudiant;2026-09-01;;suspended;web\n")
    )
    assert report.updated == 1
    assert Subscription.objects.get(contract_number="ABO-2026-0007").status == "suspended"


def test_bad_rows_refuse_the_file_and_nothing_is_kept(helene_subscriber, jerome):
    text = HEADER + (
        "ABO-1;TCL 0042 1968;Pass Partout;2025-01-01;;active;web\n"  # 2: fine
        "ABO-2;;Pass Partout;2025-01-01;;active;web\n"  # 3: unknown contract, no card
        "ABO-3;TCL 0042 1968;Pass Partout;2025-02-30;;active;web\n"  # 4: no 30 February
        "ABO-4;TCL 0042 1968;Pass Partout;2025-03-01;2025-01-01;active;web\n"  # 5: end first
        "ABO-5;TCL 0042 1968;;2025-03-01;;perdu;fax\n"  # 6: product, status, channel
        "ABO-1;TCL 7777 0001;Pass Partout;2025-01-01;;active;web\n"  # 7: contract again
    )
    with pytest.raises(ImportRejected) as caught:
        subscriptions_import(records=records(text))
    found = [(e.row, e.code, e.field) for e in caught.value.errors]
    assert found == [
        (3, "unknown_contract", "contract"),
        (4, "invalid_date", "start_date"),
        (5, "end_before_start", "end_date"),
        (6, "invalid_sales_channel", "sales_channel"),
        (6, "invalid_status", "status"),
        (6, "required", "product"),
        (7, "duplicate_contract", "contract"),
    ]
    assert not Subscription.objects.exists()
