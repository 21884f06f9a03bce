"""Ticketing data in: monthly ridership and subscriptions, from CSV files or the bulk API.

A batch is checked whole before anything is written. Formats are checked row by row in
Python while the rows stream into a TEMP staging table through PostgreSQL COPY; customer
resolution (card or contract number), duplicates and the upsert are set-based SQL on that
table. Everything happens in one transaction: a rejected batch leaves nothing behind.
"""

import contextlib
import csv
import datetime
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TextIO

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reconquete.models import SalesChannel, SubscriptionStatus
from relation_client.errors import DomainError

MAX_ERRORS = 1000  # reported in full up to this many; the total is always given
MAX_TRIPS = 100_000  # trips in one month beyond this are a data error, not a commuter

# accepted column names, English first (the API's), then French (files from the ticketing)
RIDERSHIP_COLUMNS = {
    "card": ("card", "carte"),
    "contract": ("contract", "contrat"),
    "month": ("month", "mois"),
    "trips": ("trips", "voyages"),
}
SUBSCRIPTION_COLUMNS = {
    "contract": ("contract", "contrat"),
    "card": ("card", "carte"),
    "product": ("product", "produit"),
    "start_date": ("start_date", "debut", "début"),
    "end_date": ("end_date", "fin"),
    "status": ("status", "statut"),
    "sales_channel": ("sales_channel", "canal_vente", "canal"),
}
RIDERSHIP_REQUIRED = {"month", "trips"}
SUBSCRIPTION_REQUIRED = {"contract", "product", "start_date", "status", "sales_channel"}

MESSAGES = {
    "malformed": gettext_lazy("Nombre de colonnes incorrect : %(value)s attendues."),
    "missing_identifier": gettext_lazy("Ni numéro de carte ni numéro de contrat."),
    "unknown_card": gettext_lazy("Client inconnu : aucune carte n° %(value)s."),
    "unknown_contract": gettext_lazy("Client inconnu : aucun contrat n° %(value)s."),
    "identifier_mismatch": gettext_lazy(
        "La carte et le contrat désignent deux clients différents."
    ),
    "required": gettext_lazy("Valeur obligatoire."),
    "invalid_month": gettext_lazy("Mois invalide « %(value)s » : attendu AAAA-MM."),
    "future_month": gettext_lazy("Mois futur « %(value)s »."),
    "invalid_trips": gettext_lazy("Nombre de voyages invalide « %(value)s »."),
    "negative_trips": gettext_lazy("Nombre de voyages négatif (%(value)s)."),
    "implausible_trips": gettext_lazy("Nombre de voyages invraisemblable (%(value)s)."),
    "duplicate_row": gettext_lazy("Même client et même mois qu'à la ligne %(value)s."),
    "duplicate_contract": gettext_lazy("Même contrat qu'à la ligne %(value)s."),
    "invalid_date": gettext_lazy("Date invalide « %(value)s » : attendu AAAA-MM-JJ ou JJ/MM/AAAA."),
    "end_before_start": gettext_lazy("La fin précède le début."),
    "too_long": gettext_lazy("Texte trop long (%(value)s caractères au plus)."),
    "invalid_status": gettext_lazy("Statut inconnu « %(value)s » : %(choices)s."),
    "invalid_sales_channel": gettext_lazy("Canal de vente inconnu « %(value)s » : %(choices)s."),
    "contract_owner": gettext_lazy(
        "Le contrat %(value)s est déjà enregistré pour un autre client."
    ),
}


@dataclass(frozen=True)
class RowError:
    row: int  # the line in a file (the header is line 1), the index in an API batch
    code: str
    field: str | None
    detail: str


@dataclass
class ImportReport:
    received: int = 0
    created: int = 0
    updated: int = 0

    @property
    def unchanged(self) -> int:
        return self.received - self.created - self.updated


class ImportRejected(DomainError):
    """The batch was refused as a whole: every bad row (up to MAX_ERRORS) and the total."""

    def __init__(self, errors: list[RowError], total: int | None = None):
        self.errors = sorted(errors, key=lambda e: (e.row, e.code))[:MAX_ERRORS]
        self.total = total if total is not None else len(errors)
        super().__init__(
            "invalid_batch",
            _("Lot refusé : %(count)s erreur(s), rien n'a été enregistré.") % {"count": self.total},
        )


@dataclass
class _Errors:
    items: list[RowError] = field(default_factory=list)
    total: int = 0

    def add(self, row: int, code: str, field_name: str | None, value: object = "", **extra):
        self.total += 1
        if len(self.items) < MAX_ERRORS:
            detail = str(MESSAGES[code]) % {"value": value, **extra}
            self.items.append(RowError(row, code, field_name, detail))


# --- Reading a CSV file ------------------------------------------------------------------


def _header_map(header: list[str], columns: dict[str, tuple[str, ...]]) -> dict[str, int]:
    names = {alias: name for name, aliases in columns.items() for alias in aliases}
    found = {}
    for position, raw in enumerate(header):
        name = names.get(raw.strip().lower())
        if name is not None:
            found.setdefault(name, position)
    return found


def csv_records(
    *, stream: TextIO, columns: dict[str, tuple[str, ...]], required: set[str]
) -> Iterator[tuple[int, dict | None]]:
    """(line number, {column: text}) per data line; None for a line with the wrong number
    of fields. The delimiter (comma, semicolon or tab) is taken from the header line."""
    header_line = stream.readline()
    if not header_line.strip():
        raise ImportRejected([RowError(1, "empty_file", None, _("Le fichier est vide."))])
    dialect = csv.excel
    with contextlib.suppress(csv.Error):
        dialect = csv.Sniffer().sniff(header_line, delimiters=",;\t")
    header = next(csv.reader([header_line], dialect))
    positions = _header_map(header, columns)
    missing = sorted(required - set(positions))
    if missing or ("card" in columns and "card" not in positions and "contract" not in positions):
        expected = ", ".join(aliases[0] for aliases in columns.values())
        raise ImportRejected(
            [
                RowError(
                    1,
                    "invalid_header",
                    None,
                    _("En-tête incomplet : colonnes attendues %(expected)s.")
                    % {"expected": expected},
                )
            ]
        )
    width = len(header)
    reader = csv.reader(stream, dialect)
    for values in reader:
        line = reader.line_num + 1  # the header was read apart
        if not values or not any(v.strip() for v in values):
            continue
        if len(values) != width:
            yield line, None
            continue
        yield line, {name: values[position] for name, position in positions.items()}


# --- Parsing values -------------------------------------------------------------------

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})(?:-01)?$|^(\d{2})/(\d{4})$")
INTEGER_RE = re.compile(r"^[+-]?\d+$")


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _number(value: object) -> str | None:
    """A card or contract number as Identifier stores it (see customers' _clean_number)."""
    cleaned = _text(value).replace(" ", "").upper()
    return cleaned or None


def _month(raw: str) -> datetime.date | None:
    match = MONTH_RE.match(raw)
    if not match:
        return None
    year, month = (match[1], match[2]) if match[1] else (match[4], match[3])
    if not 1 <= int(month) <= 12:
        return None
    return datetime.date(int(year), int(month), 1)


def _date(raw: str) -> datetime.date | None:
    try:
        if "/" in raw:
            day, month, year = raw.split("/")
            return datetime.date(int(year), int(month), int(day))
        return datetime.date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        return None


# --- Ridership --------------------------------------------------------------------------

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
    records: Iterable[tuple[int, Mapping | None]], errors: _Errors, report: ImportReport
) -> Iterator[tuple]:
    this_month = timezone.localdate().replace(day=1)
    for line, record in records:
        report.received += 1
        if record is None:
            errors.add(line, "malformed", None, len(RIDERSHIP_COLUMNS))
            continue
        card, contract = _number(record.get("card")), _number(record.get("contract"))
        if card is None and contract is None:
            errors.add(line, "missing_identifier", "card")
        raw_month = _text(record.get("month"))
        month = _month(raw_month)
        if month is None:
            errors.add(line, "invalid_month", "month", raw_month)
        elif month > this_month:
            errors.add(line, "future_month", "month", raw_month)
        raw_trips = _text(record.get("trips"))
        trips = int(raw_trips) if INTEGER_RE.match(raw_trips) else None
        if trips is None:
            errors.add(line, "invalid_trips", "trips", raw_trips)
        elif trips < 0:
            errors.add(line, "negative_trips", "trips", trips)
        elif trips > MAX_TRIPS:
            errors.add(line, "implausible_trips", "trips", trips)
        in_range = trips is not None and 0 <= trips <= MAX_TRIPS  # the staging column is an integer
        yield (line, card, contract, month, trips if in_range else None)


def _copy(cursor, table: str, columns: str, rows: Iterable[tuple]) -> None:
    # Django's wrapper around psycopg 3's cursor: COPY streams the rows, no INSERT per row
    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def ridership_import(*, records: Iterable[tuple[int, Mapping | None]]) -> ImportReport:
    """Upsert monthly trips keyed on (customer, month); `records` are (row number, values)
    with the RIDERSHIP_COLUMNS keys. Raises ImportRejected, having written nothing."""
    report, errors = ImportReport(), _Errors()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(RIDERSHIP_STAGING)
        _copy(
            cursor,
            "rc_ridership_staging",
            "line, card, contract, month, trips",
            _ridership_rows(records, errors, report),
        )
        if not report.received:
            raise ImportRejected([RowError(1, "empty_file", None, _("Aucune ligne à importer."))])
        cursor.execute(RIDERSHIP_RESOLVE)
        _sql_errors(cursor, RIDERSHIP_CHECKS, errors)
        if errors.total:
            raise ImportRejected(errors.items, errors.total)
        cursor.execute(RIDERSHIP_UPSERT, [timezone.now()])
        report.created, report.updated = cursor.fetchone()
    return report


def _sql_errors(cursor, sql: str, errors: _Errors) -> None:
    cursor.execute(sql, [MAX_ERRORS])
    rows = cursor.fetchall()
    for line, code, field_name, value, _total in rows:
        errors.add(line, code, field_name, value)
    if rows:
        # the rows beyond the LIMIT are counted, not listed
        errors.total += rows[0][4] - len(rows)


# --- Subscriptions ---------------------------------------------------------------------

SUBSCRIPTION_STAGING = """
    DROP TABLE IF EXISTS rc_subscription_staging;
    CREATE TEMP TABLE rc_subscription_staging (
        line bigint NOT NULL, contract text, card text, product text, start_date date,
        end_date date, status text, sales_channel text
    ) ON COMMIT DROP
"""

SUBSCRIPTION_RESOLVE = """
    DROP TABLE IF EXISTS rc_subscription_ready;
    CREATE TEMP TABLE rc_subscription_ready ON COMMIT DROP AS
    SELECT s.*, card.customer_id AS card_customer, contract.customer_id AS contract_customer,
           COALESCE(card.customer_id, contract.customer_id, existing.customer_id)
               AS customer_id,
           existing.customer_id AS existing_customer
    FROM rc_subscription_staging s
    LEFT JOIN customers_identifier card ON card.kind = 'card' AND card.number = s.card
    LEFT JOIN customers_identifier contract
           ON contract.kind = 'contract' AND contract.number = s.contract
    LEFT JOIN reconquete_subscription existing ON existing.contract_number = s.contract
"""

SUBSCRIPTION_CHECKS = """
    SELECT line, code, field, value, count(*) OVER () FROM (
        SELECT line, 'unknown_card' AS code, 'card' AS field, card AS value
        FROM rc_subscription_ready WHERE card IS NOT NULL AND card_customer IS NULL
        UNION ALL
        SELECT line, 'unknown_contract', 'contract', contract
        FROM rc_subscription_ready
        WHERE card IS NULL AND contract IS NOT NULL AND customer_id IS NULL
        UNION ALL
        SELECT line, 'identifier_mismatch', 'contract', contract
        FROM rc_subscription_ready WHERE card_customer <> contract_customer
        UNION ALL
        SELECT line, 'contract_owner', 'contract', contract
        FROM rc_subscription_ready WHERE existing_customer <> customer_id
        UNION ALL
        SELECT line, 'duplicate_contract', 'contract', first_line::text FROM (
            SELECT line, min(line) OVER (PARTITION BY contract) AS first_line
            FROM rc_subscription_ready WHERE contract IS NOT NULL
        ) d WHERE line > first_line
    ) e
    ORDER BY line, code
    LIMIT %s
"""

SUBSCRIPTION_UPSERT = """
    WITH upserted AS (
        INSERT INTO reconquete_subscription AS sub (
            customer_id, contract_number, product, start_date, end_date, status,
            sales_channel, updated_at
        )
        SELECT customer_id, contract, product, start_date, end_date, status, sales_channel, %s
        FROM rc_subscription_ready
        ON CONFLICT (contract_number) DO UPDATE
            SET product = EXCLUDED.product, start_date = EXCLUDED.start_date,
                end_date = EXCLUDED.end_date, status = EXCLUDED.status,
                sales_channel = EXCLUDED.sales_channel, updated_at = EXCLUDED.updated_at
            WHERE (sub.product, sub.start_date, sub.end_date, sub.status, sub.sales_channel)
                IS DISTINCT FROM (EXCLUDED.product, EXCLUDED.start_date, EXCLUDED.end_date,
                                  EXCLUDED.status, EXCLUDED.sales_channel)
        RETURNING (xmax = 0) AS inserted
    )
    SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM upserted
"""


def _choice(value: str, choices) -> str | None:
    lowered = value.lower()
    if lowered in choices.values:
        return lowered
    # the French label is accepted too ("Terminé", "Guichet")
    for code, label in choices.choices:
        if str(label).lower() == lowered:
            return code
    return None


def _subscription_rows(
    records: Iterable[tuple[int, Mapping | None]], errors: _Errors, report: ImportReport
) -> Iterator[tuple]:
    statuses = ", ".join(SubscriptionStatus.values)
    channels = ", ".join(SalesChannel.values)
    for line, record in records:
        report.received += 1
        if record is None:
            errors.add(line, "malformed", None, len(SUBSCRIPTION_COLUMNS))
            continue
        contract, card = _number(record.get("contract")), _number(record.get("card"))
        if contract is None:
            errors.add(line, "required", "contract")
        product = _text(record.get("product"))
        if not product:
            errors.add(line, "required", "product")
        elif len(product) > 120:
            errors.add(line, "too_long", "product", 120)
        dates = {}
        for name in ("start_date", "end_date"):
            raw = _text(record.get(name))
            dates[name] = _date(raw) if raw else None
            if raw and dates[name] is None:
                errors.add(line, "invalid_date", name, raw)
            elif not raw and name == "start_date":
                errors.add(line, "required", name)
        start, end = dates["start_date"], dates["end_date"]
        if start and end and end < start:
            errors.add(line, "end_before_start", "end_date")
        raw_status = _text(record.get("status"))
        status = _choice(raw_status, SubscriptionStatus)
        if status is None:
            errors.add(line, "invalid_status", "status", raw_status, choices=statuses)
        raw_channel = _text(record.get("sales_channel"))
        channel = _choice(raw_channel, SalesChannel)
        if channel is None:
            errors.add(
                line, "invalid_sales_channel", "sales_channel", raw_channel, choices=channels
            )
        yield (line, contract, card, product[:120], start, end, status, channel)


def subscriptions_import(*, records: Iterable[tuple[int, Mapping | None]]) -> ImportReport:
    """Upsert subscriptions keyed on the contract number; the customer is found by card,
    else by contract number (an Identifier, or the subscription already known). Raises ImportRejected, having written nothing."""
    report, errors = ImportReport(), _Errors()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(SUBSCRIPTION_STAGING)
        _copy(
            cursor,
            "rc_subscription_staging",
            "line, contract, card, product, start_date, end_date, status, sales_channel",
            _subscription_rows(records, errors, report),
        )
        if not report.received:
            raise ImportRejected([RowError(1, "empty_file", None, _("Aucune ligne à importer."))])
        cursor.execute(SUBSCRIPTION_RESOLVE)
        _sql_errors(cursor, SUBSCRIPTION_CHECKS, errors)
        if errors.total:
            raise ImportRejected(errors.items, errors.total)
        cursor.execute(SUBSCRIPTION_UPSERT, [timezone.now()])
        report.created, report.updated = cursor.fetchone()
    return report
