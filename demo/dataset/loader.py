"""Bulk loading: COPY streamed from generators, with the target tables' secondary indexes
and constraints dropped for the load and rebuilt afterwards from their own definitions
(pg_get_indexdef, pg_get_constraintdef), then sequences moved past the loaded ids and
statistics refreshed. Everything runs on Django's connection, inside the caller's
transaction: a failure leaves the database as it was."""

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from psycopg import sql

# tables whose rows point (directly or not) to the given ones: what TRUNCATE … CASCADE
# empties along with them
REFERENCING = """
    WITH RECURSIVE closure(oid) AS (
        SELECT c.oid FROM pg_class c
        WHERE c.relname = ANY(%s) AND c.relnamespace = 'public'::regnamespace
        UNION
        SELECT k.conrelid FROM pg_constraint k JOIN closure ON k.confrelid = closure.oid
        WHERE k.contype = 'f'
    )
    SELECT relname FROM pg_class WHERE oid IN (SELECT oid FROM closure) ORDER BY relname
"""
CONSTRAINTS = """
    SELECT c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid)
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
    WHERE c.relname = ANY(%s) AND c.relnamespace = 'public'::regnamespace
      AND k.contype IN ('f', 'u')
    ORDER BY c.relname, k.conname
"""
# secondary indexes: not the primary key, not the index of a unique constraint
INDEXES = """
    SELECT c.relname, i.relname, pg_get_indexdef(x.indexrelid)
    FROM pg_index x
    JOIN pg_class c ON c.oid = x.indrelid
    JOIN pg_class i ON i.oid = x.indexrelid
    WHERE c.relname = ANY(%s) AND c.relnamespace = 'public'::regnamespace
      AND NOT x.indisprimary
      AND NOT EXISTS (
          SELECT 1 FROM pg_constraint k
          WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid
      )
    ORDER BY c.relname, i.relname
"""
INDEX_NAMES = """
    SELECT i.relname FROM pg_index x
    JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
    WHERE c.relname = ANY(%s) AND c.relnamespace = 'public'::regnamespace
    ORDER BY i.relname
"""


@dataclass
class Schema:
    """What was dropped, to be put back as it was."""

    constraints: list[tuple[str, str, str, str]] = field(default_factory=list)
    indexes: list[tuple[str, str, str]] = field(default_factory=list)


def truncation_closure(cursor, tables: list[str]) -> list[str]:
    cursor.execute(REFERENCING, [tables])
    return [name for (name,) in cursor.fetchall()]


def tables_with_rows(cursor, tables: Iterable[str]) -> list[str]:
    found = []
    for table in tables:
        cursor.execute(sql.SQL("SELECT EXISTS (SELECT 1 FROM {})").format(sql.Identifier(table)))
        if cursor.fetchone()[0]:
            found.append(table)
    return found


def index_names(cursor, tables: list[str]) -> list[str]:
    cursor.execute(INDEX_NAMES, [tables])
    return [name for (name,) in cursor.fetchall()]


def truncate(cursor, tables: list[str]) -> None:
    cursor.execute(
        sql.SQL("TRUNCATE {} RESTART IDENTITY").format(
            sql.SQL(", ").join(sql.Identifier(t) for t in tables)
        )
    )


def drop_secondary(cursor, tables: list[str]) -> Schema:
    """Drop foreign keys, unique constraints and secondary indexes; return their definitions."""
    schema = Schema()
    cursor.execute(CONSTRAINTS, [tables])
    schema.constraints = list(cursor.fetchall())
    cursor.execute(INDEXES, [tables])
    schema.indexes = list(cursor.fetchall())
    # foreign keys first: a unique constraint may not be dropped while one depends on it
    for table, name, _kind, _definition in sorted(schema.constraints, key=lambda c: c[2] != "f"):
        cursor.execute(
            sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                sql.Identifier(table), sql.Identifier(name)
            )
        )
    for _table, name, _definition in schema.indexes:
        cursor.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
    return schema


def rebuild_secondary(cursor, schema: Schema) -> dict[str, float]:
    """Unique constraints and indexes, then foreign keys (each validated by one scan).
    Returns the seconds spent per table."""
    spent: dict[str, float] = {}

    def timed(table: str, statement) -> None:
        started = time.perf_counter()
        cursor.execute(statement)
        spent[table] = spent.get(table, 0.0) + time.perf_counter() - started

    for table, name, kind, definition in schema.constraints:
        if kind == "u":
            timed(table, _add_constraint(table, name, definition))
    for table, _name, definition in schema.indexes:
        # a partitioned table's index is defined ON ONLY the parent: built as such it
        # would stay invalid, without its partitions' indexes
        timed(table, sql.SQL(definition.replace(" ON ONLY ", " ON ", 1)))
    for table, name, kind, definition in schema.constraints:
        if kind == "f":
            timed(table, _add_constraint(table, name, definition))
    return spent


def _add_constraint(table: str, name: str, definition: str):
    return sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
        sql.Identifier(table), sql.Identifier(name), sql.SQL(definition)
    )


def column_types(cursor, table: str, columns: list[str]) -> list[int]:
    """The type oid of each column, in the given order (binary COPY needs them)."""
    cursor.execute(
        "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass "
        "AND attnum > 0 AND NOT attisdropped",
        [table],
    )
    oids = dict(cursor.fetchall())
    return [oids[c] for c in columns]


def copy_rows(cursor, table: str, columns: str, rows: Iterable[tuple], *, freeze: bool) -> int:
    """Stream `rows` into `table` with a binary COPY (the server parses no text), frozen
    when the table allows it; returns the number of rows written."""
    names = [c.strip() for c in columns.split(",")]
    types = column_types(cursor, table, names)
    cursor.execute("SELECT relkind FROM pg_class WHERE oid = %s::regclass", [table])
    # FREEZE needs a plain table: a partitioned one (relkind 'p') routes rows instead
    freeze = freeze and cursor.fetchone()[0] == "r"
    statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY{})").format(
        sql.Identifier(table),
        sql.SQL(", ").join(sql.Identifier(c) for c in names),
        sql.SQL(", FREEZE" if freeze else ""),
    )
    count = 0
    with cursor.copy(statement) as copy:
        copy.set_types(types)
        write = copy.write_row
        for row in rows:
            write(row)
            count += 1
    return count


def sequences_reset(cursor, tables: list[str]) -> None:
    """Move each table's id sequence past its highest id, so the app inserts after it."""
    for table in tables:
        cursor.execute(
            sql.SQL(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(MAX(id), 1), "
                "MAX(id) IS NOT NULL) FROM {}"
            ).format(sql.Identifier(table)),
            [table],
        )


def analyze(cursor, tables: list[str]) -> None:
    for table in tables:
        cursor.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(table)))
