"""``make run``: the servers, then the web server, a Celery worker and beat, until Ctrl-C."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

from relation_client.embedded import paths, smtp
from relation_client.embedded.paths import BASE_DIR, DATA_DIR
from relation_client.embedded.postgres import pg_url, start_postgres, stop_postgres
from relation_client.embedded.redis import redis_port, start_redis, stop_redis
from relation_client.embedded.smtp import (
    MailReceiver,
    MailReceiverError,
    mail_receiver_start,
    port_wanted,
)


def _environment() -> tuple[dict[str, str], list]:
    """Environment for child processes, and the stops this launcher owns."""
    env = dict(os.environ)
    stops = []
    if not env.get("DATABASE_URL"):
        if start_postgres():
            stops.append(stop_postgres)
        env["DATABASE_URL"] = pg_url()
    if not env.get("REDIS_URL"):
        if start_redis():
            stops.insert(0, stop_redis)
        env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port()}/0"
    return env, stops


def _manage(env, *args) -> None:
    subprocess.run([sys.executable, str(BASE_DIR / "manage.py"), *args], env=env, check=True)


def asgi_command(*bind: str) -> list[str]:
    """uvicorn serving relation_client.asgi: the live event stream needs ASGI (runserver
    is WSGI). `bind`: --host and --port, or --fd (the tests' server). Static files come
    through whitenoise. Open event streams are closed within 3 s of a stop."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "relation_client.asgi:application",
        *bind,
        # Django's ASGI handler has no lifespan events: say so rather than log that
        "--lifespan",
        "off",
        "--timeout-graceful-shutdown",
        "3",
        "--no-server-header",
    ]


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


def _mail_receiver(wanted: int) -> tuple[MailReceiver | None, str]:
    """The local SMTP receiver (a thread of this process), and the banner's line about it.
    Always started: a local tool on the loopback, whatever EMAIL_URL says; make run goes on
    without it when no port is free."""
    try:
        receiver = mail_receiver_start(port=wanted, maildir=paths.MAILDIR, port_file=smtp.PORT_FILE)
    except (MailReceiverError, OSError) as error:
        print(f"Récepteur de courriels local non démarré : {error}", file=sys.stderr)
        return None, ""
    moved = f" ({wanted} était occupé)" if receiver.port != wanted else ""
    line = (
        f"Courriels entrants : SMTP local sur 127.0.0.1:{receiver.port}{moved}, "
        f"déposés dans {receiver.maildir}\n"
        "  essai, en cliente de la démo : python -m relation_client.embedded mail "
        '--from helene.dupont-lefevre@orange.example "Ma carte est bloquée"\n'
    )
    return receiver, line


def run(host: str, port: int) -> int:
    try:
        mail_port = port_wanted()
    except MailReceiverError as error:  # a bad value stops start-up, in one line
        print(error, file=sys.stderr)
        return 2
    env, stops = _environment()
    processes: list[subprocess.Popen] = []
    receiver: MailReceiver | None = None

    def stop(signum, frame):
        raise KeyboardInterrupt

    # explicit: a shell that starts us in the background hands SIGINT down ignored
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)
    try:
        _manage(env, "migrate", "--no-input")
        _manage(env, "seed_demo")
        receiver, receiver_line = _mail_receiver(mail_port)
        commands = {
            "web": asgi_command("--host", host, "--port", str(port)),
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
            f"{receiver_line}"
            f"Courriels envoyés (administrateur) : http://{host}:{port}/dev/courriels/\n"
            "Ctrl-C arrête le serveur web, le worker, beat, le récepteur de courriels, "
            "PostgreSQL et Redis.\n",
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
        if receiver is not None:
            receiver.stop()
        for stop_service in stops:
            stop_service()


def exec_command(command: list[str]) -> int:
    env, stops = _environment()
    try:
        return subprocess.run(command, env=env).returncode
    finally:
        for stop_service in stops:
            stop_service()
