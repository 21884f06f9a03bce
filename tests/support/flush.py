"""Django's flush between transactional tests, by DELETE rather than TRUNCATE.

A transactional test (live server, real worker, two connections) ends with Django's flush:
one ``TRUNCATE`` of every table, 125 of them. PostgreSQL gives each truncated table and
index new files and drops the old ones' pages from its shared buffers, one relation at a
time: about 4 s a flush on the loaded 2-core machine, against 0.3 s to DELETE the few rows
a test leaves. The tables end just as empty; sequences are not reset by either (a test
asking for ``reset_sequences`` keeps Django's TRUNCATE … RESTART IDENTITY).

The DELETEs run in the flush's transaction with ``session_replication_role = replica``:
no trigger fires (the audit trail's refusals, the foreign keys' checks), so the order of
the tables does not matter, as with TRUNCATE. Setting it takes a superuser, which the
test run's role is on the machine's PostgreSQL and on the embedded one; under any other
role the flush stays Django's.
"""

from contextlib import contextmanager

from django.db.backends.postgresql.operations import DatabaseOperations


def _delete_all(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    if reset_sequences or not tables:
        return _truncate(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
    return [
        "SET LOCAL session_replication_role = replica;",
        *(
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};"
            for table in tables
        ),
        # the tables kept by triggers, which do not fire here: the lexicon of name words
        # (customers migration 0013) empties with the customers, as TRUNCATE's trigger does
        "DO $$ BEGIN IF to_regclass('customers_name_word') IS NOT NULL THEN "
        "DELETE FROM customers_name_word; END IF; END $$;",
    ]


_truncate = DatabaseOperations.sql_flush


def role_may_skip_triggers(cursor) -> bool:
    """Whether the connection's role may set session_replication_role (a superuser)."""
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    return cursor.fetchone()[0]


@contextmanager
def flush_by_delete():
    """Within this block, Django's flush DELETEs."""
    DatabaseOperations.sql_flush = _delete_all
    try:
        yield
    finally:
        DatabaseOperations.sql_flush = _truncate
