"""Ticketing data in: monthly ridership and subscriptions, from CSV files or the bulk API.

A batch is checked whole before anything is written. Formats are checked row by row in
Python while the rows stream into a TEMP staging table through PostgreSQL COPY; customer
resolution (card or contract number), duplicates and the upsert are set-based SQL on that
table. Everything happens in one transaction: a rejected batch leaves nothing behind.

This module holds what both imports share (columns, messages, errors, reading a CSV file,
parsing values, staging); the imports themselves are imports_ridership.py and
imports_subscriptions.py.
"""

import contextlib
import csv
import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TextIO

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socle.errors import DomainError

MAX_ERRORS = 1000  # reported in full up to this many; the total is always given

# accepted column names, English first (the API's), then French (files from the ticketing)
RIDERSHIP_COLUMNS = {
    "card": ("card", "carte"),
    "contract": ("contract", "contrat"),
    "month": ("month", "mois"),
    "trips": ("trips", "voyages"),
    # optional: the month's validations per line, "C3:12 T1:4" (the API: {"C3": 12})
    "lines": ("lines", "lignes", "validations_par_ligne"),
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
    "invalid_lines": gettext_lazy(
        "Validations par ligne illisibles « %(value)s » : attendu LIGNE:NOMBRE, "
        "par exemple « C3:12 T1:4 »."
    ),
    "unknown_line": gettext_lazy("Ligne inconnue du réseau : « %(value)s »."),
    "invalid_validations": gettext_lazy(
        "Nombre de validations invalide ou invraisemblable pour la ligne %(value)s."
    ),
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
class ErrorList:
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


def clean_text(value: object) -> str:
    return "" if value is None else str(value).strip()


def clean_number(value: object) -> str | None:
    """A card or contract number as Identifier stores it (see customers' _clean_number)."""
    cleaned = clean_text(value).replace(" ", "").upper()
    return cleaned or None


def parse_month(raw: str) -> datetime.date | None:
    match = MONTH_RE.match(raw)
    if not match:
        return None
    year, month = (match[1], match[2]) if match[1] else (match[4], match[3])
    if not 1 <= int(month) <= 12:
        return None
    return datetime.date(int(year), int(month), 1)


def parse_date(raw: str) -> datetime.date | None:
    try:
        if "/" in raw:
            day, month, year = raw.split("/")
            return datetime.date(int(year), int(month), int(day))
        return datetime.date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        return None


# --- Staging in PostgreSQL ---------------------------------------------------------------


def copy_rows(cursor, table: str, columns: str, rows: Iterable[tuple]) -> None:
    # Django's wrapper around psycopg 3's cursor: COPY streams the rows, no INSERT per row
    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def sql_errors_collect(cursor, sql: str, errors: ErrorList) -> None:
    cursor.execute(sql, [MAX_ERRORS])
    rows = cursor.fetchall()
    for line, code, field_name, value, _total in rows:
        errors.add(line, code, field_name, value)
    if rows:
        # the rows beyond the LIMIT are counted, not listed
        errors.total += rows[0][4] - len(rows)


@dataclass(frozen=True)
class StagedImport:
    """One import's SQL: its staging table (created by `staging`, filled by COPY), the
    statement that finds each row's customer, the checks that list rejected rows, and the
    upsert that answers (created, updated)."""

    staging: str
    table: str
    columns: str
    resolve: str
    checks: str
    upsert: str


def staged_import(
    spec: StagedImport,
    rows: Iterable[tuple],
    report: ImportReport,
    errors: ErrorList,
    *,
    more_checks: Callable[[ErrorList], None] | None = None,
    after: Callable[[], None] | None = None,
) -> ImportReport:
    """Stage the rows, check the whole batch, then upsert it — or raise ImportRejected
    having written nothing. `more_checks` adds the errors of what the staging does not hold
    (after the COPY: no query may run while the rows stream); `after` writes what goes with
    the rows, in the same transaction."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(spec.staging)
        copy_rows(cursor, spec.table, spec.columns, rows)
        if not report.received:
            raise ImportRejected([RowError(1, "empty_file", None, _("Aucune ligne à importer."))])
        cursor.execute(spec.resolve)
        sql_errors_collect(cursor, spec.checks, errors)
        if more_checks is not None:
            more_checks(errors)
        if errors.total:
            raise ImportRejected(errors.items, errors.total)
        cursor.execute(spec.upsert, [timezone.now()])
        report.created, report.updated = cursor.fetchone()
        if after is not None:
            after()
    return report
