"""`python -m demo.dataset.createdb URL`: create the database URL names if it
does not exist yet (make dataset loads into a dedicated database)."""

import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql


def database_ensure(url: str) -> bool:
    """True when the database was created."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


if __name__ == "__main__":
    if database_ensure(sys.argv[1]):
        print(f"base {urlsplit(sys.argv[1]).path.lstrip('/')} créée")
