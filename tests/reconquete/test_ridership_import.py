"""ridership_import: whole-batch validation, COPY into staging, set-based upsert."""

import io
from unittest import mock

import psycopg
import pytest

from reconquete.models import RidershipMonth
from reconquete.services import ImportRejected, csv_records, ridership_import
from reconquete.services.imports import RIDERSHIP_COLUMNS, RIDERSHIP_REQUIRED
from tests.reconquete.conftest import month

pytestmark = pytest.mark.django_db


def records(text: str):
    return csv_records(
        stream=io.StringIO(text), columns=RIDERSHIP_COLUMNS, required=RIDERSHIP_REQUIRED
    )


GOOD = (
    "carte;contrat;mois;voyages\n"
    "TCL 0042 1968;;2025-01;38\n"
    ";abo-2019-0042;2025-02;41\n"  # by contract number, any case and spacing
    "TCL77770001;;01/2025;3\n"  # French month spelling
)


def trips_of(customer) -> dict:
    return dict(RidershipMonth.objects.filter(customer=customer).values_list("month", "trips"))


def test_rows_resolve_to_the_named_customer_by_card_or_contract(helene_subscriber, jerome):
    report = ridership_import(records=records(GOOD))
    assert (report.received, report.created, report.updated, report.unchanged) == (3, 3, 0, 0)
    assert trips_of(helene_subscriber) == {month(2025, 1): 38, month(2025, 2): 41}
    assert trips_of(jerome) == {month(2025, 1): 3}


def test_importing_the_same_file_twice_changes_nothing(helene_subscriber, jerome):
    ridership_import(records=records(GOOD))
    before = list(RidershipMonth.objects.order_by("id").values("id", "trips", "updated_at"))
    report = ridership_import(records=records(GOOD))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert list(RidershipMonth.objects.order_by("id").values("id", "trips", "updated_at")) == before


def test_a_corrected_month_is_updated_in_place(helene_subscriber, jerome):
    ridership_import(records=records(GOOD))
    report = ridership_import(records=records("card,month,trips\nTCL00421968,2025-01,40\n"))
    assert (report.created, report.updated) == (0, 1)
    assert trips_of(helene_subscriber)[month(2025, 1)] == 40
    assert RidershipMonth.objects.count() == 3


def test_a_bad_file_is_refused_whole_with_every_line_and_reason(helene_subscriber, jerome):
    text = (
        "carte;contrat;mois;voyages\n"
        "TCL 0042 1968;;2025-03;12\n"  # line 2: fine, but must not be kept
        "TCL 9999 9999;;2025-03;5\n"  # 3: unknown customer
        "TCL 0042 1968;;2025-13;5\n"  # 4: bad month
        "TCL 7777 0001;;2025-03;-4\n"  # 5: negative trips
        ";;2025-03;4\n"  # 6: no identifier
        "TCL 0042 1968;;2025-03;13\n"  # 7: same customer and month as line 2
        "TCL 7777 0001;ABO-2019-0042;2025-04;1\n"  # 8: card and contract of two people
        "TCL 7777 0001;2025-04\n"  # 9: missing field
        "TCL 7777 0001;;2099-01;2\n"  # 10: future month
    )
    with pytest.raises(ImportRejected) as caught:
        ridership_import(records=records(text))
    found = [(e.row, e.code, e.field) for e in caught.value.errors]
    assert found == [
        (3, "unknown_card", "card"),
        (4, "invalid_month", "month"),
        (5, "negative_trips", "trips"),
        (6, "missing_identifier", "card"),
        (7, "duplicate_row", "month"),
        (8, "identifier_mismatch", "contract"),
        (9, "malformed", None),
        (10, "future_month", "month"),
    ]
    details = {e.row: e.detail for e in caught.value.errors}
    assert details[3] == "Client inconnu : aucune carte n° TCL99999999."
    assert details[7] == "Même client et même mois qu'à la ligne 2."
    assert caught.value.total == 8
    assert not RidershipMonth.objects.exists()  # line 2 was not kept either


def test_a_rejected_file_leaves_existing_rows_untouched(helene_subscriber, jerome):
    ridership_import(records=records(GOOD))
    with pytest.raises(ImportRejected):
        ridership_import(
            records=records("card;month;trips\nTCL 0042 1968;2025-01;99\nTCL 0000;2025-01;1\n")
        )
    assert trips_of(helene_subscriber)[month(2025, 1)] == 38


def test_a_header_without_the_needed_columns_is_refused(helene_subscriber):
    with pytest.raises(ImportRejected) as caught:
        ridership_import(records=records("carte;nombre\nTCL 0042 1968;3\n"))
    assert [(e.row, e.code) for e in caught.value.errors] == [(1, "invalid_header")]


def test_rows_stream_through_copy_into_a_staging_table(
    helene_subscriber, jerome, django_assert_num_queries
):
    copy = mock.patch.object(psycopg.Cursor, "copy", autospec=True, side_effect=psycopg.Cursor.copy)
    with copy as spied, django_assert_num_queries(6) as captured:
        # savepoint, staging table, resolution, checks, upsert, release: the rows
        # themselves travel by COPY, whatever their number
        ridership_import(records=records(GOOD))
    assert spied.call_args.args[1].startswith("COPY rc_ridership_staging")
    sqls = [q["sql"] for q in captured.captured_queries]
    assert "CREATE TEMP TABLE rc_ridership_staging" in sqls[1]
    assert "ON CONFLICT (customer_id, month) DO UPDATE" in sqls[4]
    assert not any(
        "INSERT INTO reconquete_ridershipmonth" in sql and "VALUES" in sql for sql in sqls
    )


def test_a_larger_generated_file_is_one_copy_and_one_upsert(make_customer):
    people = [make_customer(f"Zoé{n}", "Mercier", cards=[f"TCL{n:08d}"]) for n in range(20)]
    lines = ["card,month,trips"]
    lines += [f"TCL{n:08d},2025-{m:02d},{n + m}" for n in range(len(people)) for m in range(1, 13)]
    report = ridership_import(records=records("\n".join(lines) + "\n"))
    assert (report.received, report.created) == (240, 240)
    assert (
        RidershipMonth.objects.filter(customer=people[3], month=month(2025, 12)).get().trips == 15
    )
