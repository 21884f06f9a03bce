"""Monthly ridership in: rows checked as they stream into staging, customers resolved by
card or contract, then one upsert keyed on (customer, month).

A row may also give the month's validations per line (`lines`: "C3:12 T1:4" in a file,
{"C3": 12, "T1": 4} in the API), checked with the row (a known line of the network, a
plausible count): in the same transaction, each customer's latest month per line becomes
their link to the line (relation_client.network: source "validations", usual from
USUAL_VALIDATIONS a month)."""

import re
from collections.abc import Iterable, Iterator, Mapping

from django.db import connection
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
from relation_client.network.models import Line
from relation_client.network.riders import customer_lines_validated

MAX_TRIPS = 100_000  # trips in one month beyond this are a data error, not a commuter
INTEGER_RE = re.compile(r"^[+-]?\d+$")
LINE_ITEM_RE = re.compile(r"^([^:=]+)[:=]\s*([+-]?\d+)$")

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


def _line_counts(raw) -> list[tuple[str, str]] | None:
    """[(line name, count text)] from "C3:12 T1:4" (separated by spaces, commas,
    semicolons or bars) or from {"C3": 12}; None when unreadable."""
    if isinstance(raw, Mapping):
        return [(clean_text(name), clean_text(count)) for name, count in raw.items()]
    items = []
    for item in re.split(r"[\s,;|]+", clean_text(raw)):
        if not item:
            continue
        match = LINE_ITEM_RE.match(item)
        if match is None:
            return None
        items.append((match[1].strip(), match[2]))
    return items


def _validations(line: int, raw, errors: ErrorList) -> list[tuple[str, int]]:
    """The row's (line name, validations), the format and counts checked; whether each
    line exists is checked after the COPY (`_lines_check`)."""
    counts = _line_counts(raw)
    if counts is None:
        errors.add(line, "invalid_lines", "lines", clean_text(raw))
        return []
    found = []
    for name, count in counts:
        if not INTEGER_RE.match(count) or not 0 <= int(count) <= MAX_TRIPS:
            errors.add(line, "invalid_validations", "lines", name)
        else:
            found.append((name, int(count)))
    return found


def _ridership_rows(
    records: Iterable[tuple[int, Mapping | None]],
    errors: ErrorList,
    report: ImportReport,
    per_line: dict[int, list[tuple[str, int]]],
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
        if record.get("lines") not in (None, "", {}):
            found = _validations(line, record.get("lines"), errors)
            if found:
                per_line[line] = found
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


def _line_ids(per_line: dict[int, list[tuple[str, int]]], errors: ErrorList) -> dict[str, int]:
    """The network's lines the rows name, by short name (case-insensitive); a name the
    network does not know is the row's error. One query, only when rows name lines."""
    names = {name.upper() for found in per_line.values() for name, _count in found}
    ids = {
        name.upper(): pk
        for pk, name in Line.objects.values_list("pk", "short_name")
        if name.upper() in names
    }
    for row, found in sorted(per_line.items()):
        for name, _count in found:
            if name.upper() not in ids:
                errors.add(row, "unknown_line", "lines", name)
    return ids


def _line_links_write(per_line: dict[int, list[tuple[str, int]]], line_ids: dict[str, int]) -> None:
    """The rows' validations per line, for the customers the staging resolved (its TEMP
    table lives until the transaction commits): the latest month per customer and line."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT line, customer_id, month FROM rc_ridership_ready WHERE line = ANY(%s)",
            [list(per_line)],
        )
        latest: dict[tuple[int, int], tuple] = {}
        for row, customer_id, month in cursor.fetchall():
            for name, count in per_line[row]:
                key = (customer_id, line_ids[name.upper()])
                if key not in latest or latest[key][0] < month:
                    latest[key] = (month, count)
    customer_lines_validated(
        rows=[(customer, line, month, count) for (customer, line), (month, count) in latest.items()]
    )


def ridership_import(*, records: Iterable[tuple[int, Mapping | None]]) -> ImportReport:
    """Upsert monthly trips keyed on (customer, month), and the links to the lines the rows
    give validations for; `records` are (row number, values) with the RIDERSHIP_COLUMNS
    keys. Raises ImportRejected, having written nothing."""
    report, errors = ImportReport(), ErrorList()
    per_line: dict[int, list[tuple[str, int]]] = {}
    line_ids: dict[str, int] = {}

    def lines_check(errors: ErrorList) -> None:
        if per_line:
            line_ids.update(_line_ids(per_line, errors))

    def links_write() -> None:
        if per_line:
            _line_links_write(per_line, line_ids)

    return staged_import(
        RIDERSHIP_IMPORT,
        _ridership_rows(records, errors, report, per_line),
        report,
        errors,
        more_checks=lines_check,
        after=links_write,
    )
