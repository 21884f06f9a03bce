"""Subscriptions in: rows checked as they stream into staging, the customer found by card
or contract number, then one upsert keyed on the contract number."""

from collections.abc import Iterable, Iterator, Mapping

from reconquete.models import SalesChannel, SubscriptionStatus
from reconquete.services.imports import (
    SUBSCRIPTION_COLUMNS,
    ErrorList,
    ImportReport,
    StagedImport,
    clean_number,
    clean_text,
    parse_date,
    staged_import,
)

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
    records: Iterable[tuple[int, Mapping | None]], errors: ErrorList, report: ImportReport
) -> Iterator[tuple]:
    statuses = ", ".join(SubscriptionStatus.values)
    channels = ", ".join(SalesChannel.values)
    for line, record in records:
        report.received += 1
        if record is None:
            errors.add(line, "malformed", None, len(SUBSCRIPTION_COLUMNS))
            continue
        contract, card = clean_number(record.get("contract")), clean_number(record.get("card"))
        if contract is None:
            errors.add(line, "required", "contract")
        product = clean_text(record.get("product"))
        if not product:
            errors.add(line, "required", "product")
        elif len(product) > 120:
            errors.add(line, "too_long", "product", 120)
        dates = {}
        for name in ("start_date", "end_date"):
            raw = clean_text(record.get(name))
            dates[name] = parse_date(raw) if raw else None
            if raw and dates[name] is None:
                errors.add(line, "invalid_date", name, raw)
            elif not raw and name == "start_date":
                errors.add(line, "required", name)
        start, end = dates["start_date"], dates["end_date"]
        if start and end and end < start:
            errors.add(line, "end_before_start", "end_date")
        raw_status = clean_text(record.get("status"))
        status = _choice(raw_status, SubscriptionStatus)
        if status is None:
            errors.add(line, "invalid_status", "status", raw_status, choices=statuses)
        raw_channel = clean_text(record.get("sales_channel"))
        channel = _choice(raw_channel, SalesChannel)
        if channel is None:
            errors.add(
                line, "invalid_sales_channel", "sales_channel", raw_channel, choices=channels
            )
        yield (line, contract, card, product[:120], start, end, status, channel)


SUBSCRIPTION_IMPORT = StagedImport(
    staging=SUBSCRIPTION_STAGING,
    table="rc_subscription_staging",
    columns="line, contract, card, product, start_date, end_date, status, sales_channel",
    resolve=SUBSCRIPTION_RESOLVE,
    checks=SUBSCRIPTION_CHECKS,
    upsert=SUBSCRIPTION_UPSERT,
)


def subscriptions_import(*, records: Iterable[tuple[int, Mapping | None]]) -> ImportReport:
    """Upsert subscriptions keyed on the contract number; the customer is found by card,
    else by contract number (an Identifier, or the subscription already known). Raises
    ImportRejected, having written nothing."""
    report, errors = ImportReport(), ErrorList()
    return staged_import(
        SUBSCRIPTION_IMPORT, _subscription_rows(records, errors, report), report, errors
    )
