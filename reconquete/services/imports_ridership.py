"""Monthly ridership in: rows checked as they stream into staging, customers resolved by
card or contract, then one upsert keyed on (customer, month)."""

import re
from collections.abc import Iterable, Iterator, Mapping

from django.utils import timezone

from reconquete.services.imports import (
    RIDERSHIP_COLUMNS,
    ErrorList,
    ImportReport,
    StagedImport,
    clean_number,
    clean_text,
    parse_month,
    staged_import,
)

MAX_TRIPS = 100_000  # trips in one month beyond this are a data error, not a commuter
INTEGER_RE = re.compile(r"^[+-]?\d+$")

RIDERSHIP_STAGING = """
    DROP TABLE IF EXISTS rc_ridership_staging;
    CREATE TEMP TABLE rc_ridership_staging (
        line bigint NOT NULL, card text, contract text, month date, trips integer
    ) ON COMMIT DROP
"""

# customers resolved once, by card or by contract number, then reused by the checks and
# the upsert
RIDERSHIP_RESOLVE = """
    DROP TABLE IF EXISTS rc_ridership_ready;
    CREATE TEMP TABLE rc_ridership_ready ON COMMIT DROP AS
    SELECT s.line, s.card, s.contract, s.month, s.trips,
           card.customer_id AS card_customer, contract.customer_id AS contract_customer,
           COALESCE(card.customer_id, contract.customer_id) AS customer_id
    FROM rc_ridership_staging s
    LEFT JOIN customers_identifier card ON card.kind = 'card' AND card.number = s.card
    LEFT JOIN customers_identifier contract
           ON contract.kind = 'contract' AND contract.number = s.contract
"""

RIDERSHIP_CHECKS = """
    SELECT line, code, field, value, count(*) OVER () FROM (
        SELECT line, 'unknown_card' AS code, 'card' AS field, card AS value
        FROM rc_ridership_ready WHERE card IS NOT NULL AND card_customer IS NULL
        UNION ALL
        SELECT line, 'unknown_contract', 'contract', contract
        FROM rc_ridership_ready WHERE contract IS NOT NULL AND contract_customer IS NULL
        UNION ALL
        SELECT line, 'identifier_mismatch', 'contract', contract
        FROM rc_ridership_ready WHERE card_customer <> contract_customer
        UNION ALL
        SELECT line, 'duplicate_row', 'month', first_line::text FROM (
            SELECT line, min(line) OVER (PARTITION BY customer_id, month) AS first_line
            FROM rc_ridership_ready WHERE customer_id IS NOT NULL AND month IS NOT NULL
        ) d WHERE line > first_line
    ) e
    ORDER BY line, code
    LIMIT %s
"""

# unchanged rows are not touched (the WHERE of DO UPDATE): a second import writes nothing.
# Inserted or updated is told by the rows that existed before (the CTEs share one
# snapshot): `xmax = 0` cannot be read from a partitioned table.
RIDERSHIP_UPSERT = """
    WITH existing AS (
        SELECT r.customer_id, r.month
        FROM reconquete_ridershipmonth r
        JOIN rc_ridership_ready s ON s.customer_id = r.customer_id AND s.month = r.month
    ),
    upserted AS (
        INSERT INTO reconquete_ridershipmonth (customer_id, month, trips, updated_at)
        SELECT customer_id, month, trips, %s FROM rc_ridership_ready
        ON CONFLICT (customer_id, month) DO UPDATE
            SET trips = EXCLUDED.trips, updated_at = EXCLUDED.updated_at
            WHERE reconquete_ridershipmonth.trips IS DISTINCT FROM EXCLUDED.trips
        RETURNING customer_id, month
    )
    SELECT count(*) FILTER (WHERE e.customer_id IS NULL),
           count(*) FILTER (WHERE e.customer_id IS NOT NULL)
    FROM upserted u
    LEFT JOIN existing e ON e.customer_id = u.customer_id AND e.month = u.month
"""


def _ridership_rows(
    records: Iterable[tuple[int, Mapping | None]], errors: ErrorList, report: ImportReport
) -> Iterator[tuple]:
    this_month = timezone.localdate().replace(day=1)
    for line, record in records:
        report.received += 1
        if record is None:
            errors.add(line, "malformed", None, len(RIDERSHIP_COLUMNS))
            continue
        card, contract = clean_number(record.get("card")), clean_number(record.get("contract"))
        if card is None and contract is None:
            errors.add(line, "missing_identifier", "card")
        raw_month = clean_text(record.get("month"))
        month = parse_month(raw_month)
        if month is None:
            errors.add(line, "invalid_month", "month", raw_month)
        elif month > this_month:
            errors.add(line, "future_month", "month", raw_month)
        raw_trips = clean_text(record.get("trips"))
        trips = int(raw_trips) if INTEGER_RE.match(raw_trips) else None
        if trips is None:
            errors.add(line, "invalid_trips", "trips", raw_trips)
        elif trips < 0:
            errors.add(line, "negative_trips", "trips", trips)
        elif trips > MAX_TRIPS:
            errors.add(line, "implausible_trips", "trips", trips)
        in_range = trips is not None and 0 <= trips <= MAX_TRIPS  # the staging column is an integer
        yield (line, card, contract, month, trips if in_range else None)


RIDERSHIP_IMPORT = StagedImport(
    staging=RIDERSHIP_STAGING,
    table="rc_ridership_staging",
    columns="line, card, contract, month, trips",
    resolve=RIDERSHIP_RESOLVE,
    checks=RIDERSHIP_CHECKS,
    upsert=RIDERSHIP_UPSERT,
)


def ridership_import(*, records: Iterable[tuple[int, Mapping | None]]) -> ImportReport:
    """Upsert monthly trips keyed on (customer, month); `records` are (row number, values)
    with the RIDERSHIP_COLUMNS keys. Raises ImportRejected, having written nothing."""
    report, errors = ImportReport(), ErrorList()
    return staged_import(RIDERSHIP_IMPORT, _ridership_rows(records, errors, report), report, errors)
