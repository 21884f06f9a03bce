"""The benchmarks write only into a database made for them (demo/dataset/createdb.py):
`make bench` pointed at any other database refuses before writing anything."""

import os
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

from demo.dataset.createdb import database_claim, database_marked


def _url(name: str) -> str:
    parts = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture
def names():
    made = []
    yield made
    with psycopg.connect(_url("postgres"), autocommit=True) as conn:
        for name in made:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def test_a_database_the_bench_did_not_create_is_refused(names):
    name = f"rc_bases_a_autrui_{os.getpid()}"
    names.append(name)
    with psycopg.connect(_url("postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    with pytest.raises(SystemExit, match="n'a pas été créée pour les bancs d'essai"):
        database_claim(_url(name))


def test_its_own_database_is_created_marked_and_claimed_again(names):
    name = f"rc_banc_essai_{os.getpid()}"
    names.append(name)
    database_claim(_url(name))
    assert database_marked(_url(name))
    database_claim(_url(name))  # the second run works on the database the first made
