"""Monthly partitions of the ridership table (declarative RANGE partitioning on `month`).

Migration 0004 turns `reconquete_ridershipmonth` into a partitioned table: one partition
per month from the earliest month held (or two years back) to a year ahead, and a DEFAULT
partition for anything outside them. `partitions_ensure()` creates the months ahead; the
monthly beat job and the ridership import call it. A month already in the DEFAULT
partition (an import ran ahead of the job) is moved into its own partition in the same
transaction. Dropping a month's partition is how old ridership would be archived.
"""

import datetime

from django.db import connection, transaction
from django.utils import timezone

TABLE = "reconquete_ridershipmonth"
DEFAULT = f"{TABLE}_default"
MONTHS_AHEAD = 12
MONTHS_BACK = 24
LOCK = 4511  # advisory lock: two jobs creating the same partition


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def partition_name(month: datetime.date) -> str:
    return f"{TABLE}_y{month.year}m{month.month:02d}"


def create_partition_sql(month: datetime.date, *, default_has_rows: bool) -> list[str]:
    """Statements creating the partition of `month`. Rows of that month already in the
    DEFAULT partition move into it: DEFAULT is detached meanwhile (PostgreSQL refuses a
    new partition whose rows sit in an attached DEFAULT)."""
    name, end = partition_name(month), add_months(month, 1)
    create = (
        f"CREATE TABLE {name} PARTITION OF {TABLE} "
        f"FOR VALUES FROM ('{month.isoformat()}') TO ('{end.isoformat()}')"
    )
    if not default_has_rows:
        return [create]
    return [
        f"ALTER TABLE {TABLE} DETACH PARTITION {DEFAULT}",
        create,
        f"""WITH moved AS (
                DELETE FROM {DEFAULT} WHERE month >= '{month.isoformat()}'
                                        AND month < '{end.isoformat()}' RETURNING *)
            INSERT INTO {TABLE} (id, month, trips, updated_at, customer_id)
            SELECT id, month, trips, updated_at, customer_id FROM moved""",
        f"ALTER TABLE {TABLE} ATTACH PARTITION {DEFAULT} DEFAULT",
    ]


def is_partitioned() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass)",
            [TABLE],
        )
        return cursor.fetchone()[0]


def existing_months() -> set[datetime.date]:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
               WHERE i.inhparent = %s::regclass""",
            [TABLE],
        )
        names = [row[0] for row in cursor.fetchall()]
    months = set()
    for name in names:
        suffix = name.removeprefix(f"{TABLE}_y")
        if suffix != name:
            year, month = suffix.split("m")
            months.add(datetime.date(int(year), int(month), 1))
    return months


def partitions_ensure(
    *, first: datetime.date | None = None, last: datetime.date | None = None
) -> list[str]:
    """Create the missing monthly partitions from `first` to `last` (by default this
    month to MONTHS_AHEAD ahead); returns the names created. Idempotent."""
    this_month = timezone.localdate().replace(day=1)
    first = (first or this_month).replace(day=1)
    last = (last or add_months(this_month, MONTHS_AHEAD)).replace(day=1)
    created = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK])
        have = existing_months()
        month = first
        while month <= last:
            if month not in have:
                cursor.execute(
                    f"SELECT EXISTS (SELECT 1 FROM {DEFAULT} WHERE month >= %s AND month < %s)",
                    [month, add_months(month, 1)],
                )
                default_has_rows = cursor.fetchone()[0]
                for statement in create_partition_sql(month, default_has_rows=default_has_rows):
                    cursor.execute(statement)
                created.append(partition_name(month))
            month = add_months(month, 1)
    return created
