"""`python -m demo.dataset.createdb URL`: create the database URL names if it
does not exist yet (make dataset loads into a dedicated database), and mark it as made
for generated data: the benchmarks write only into a database that bears this mark
(`database_marked`), never into one they did not make."""

import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

# the database's comment (COMMENT ON DATABASE): generated data, benchmarks may write
MARK = "relation-client: generated data set (make dataset / make bench may rewrite it)"


def _admin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.path.lstrip("/"), urlunsplit(parts._replace(path="/postgres"))


def database_ensure(url: str) -> bool:
    """True when the database was created (and marked)."""
    name, admin = _admin(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        conn.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), sql.Literal(MARK))
        )
        return True


def database_marked(url: str) -> bool:
    """Whether the database was made by `database_ensure` (for generated data)."""
    name, admin = _admin(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    return bool(row) and row[0] == MARK


def database_claim(url: str) -> None:
    """Create the database, or refuse to go on if it exists without the mark: a
    benchmark never rewrites a database it did not make (a copy of production, a
    colleague's data set)."""
    if database_ensure(url):
        print(f"base {_admin(url)[0]} créée", flush=True)
        return
    if not database_marked(url):
        name = _admin(url)[0]
        raise SystemExit(
            f"La base {name} existe et n'a pas été créée pour les bancs d'essai : ils "
            "écriraient dedans (réglages, comptes, échanges). Donnez une base à eux "
            f"(BENCH_DATABASE_URL=…/rc_bench_autre) ou, si {name} est bien jetable :\n"
            f"  psql -d postgres -c \"COMMENT ON DATABASE {name} IS '{MARK}'\""
        )


if __name__ == "__main__":
    if database_ensure(sys.argv[1]):
        print(f"base {urlsplit(sys.argv[1]).path.lstrip('/')} créée")
