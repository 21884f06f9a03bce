"""A real GTFS-Realtime feed of the test's own: an HTTP server on a free loopback port that
serves the service alerts the test sets (a protobuf FeedMessage built with the reference
bindings); the product's poller (relation_client/network/alerts.py) is pointed at it."""

import datetime
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from google.transit import gtfs_realtime_pb2


@dataclass
class Alert:
    entity_id: str
    header: str
    description: str = ""
    routes: tuple[str, ...] = ()
    stops: tuple[str, ...] = ()
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    cause: str = "UNKNOWN_CAUSE"
    effect: str = "UNKNOWN_EFFECT"


def feed_bytes(alerts: list[Alert], *, deleted: tuple[str, ...] = ()) -> bytes:
    feed = gtfs_realtime_pb2.FeedMessage()
    feed.header.gtfs_realtime_version = "2.0"
    feed.header.incrementality = gtfs_realtime_pb2.FeedHeader.FULL_DATASET
    feed.header.timestamp = int(datetime.datetime.now(tz=datetime.UTC).timestamp())
    for alert in alerts:
        entity = feed.entity.add(id=alert.entity_id)
        for route in alert.routes:
            entity.alert.informed_entity.add(route_id=route)
        for stop in alert.stops:
            entity.alert.informed_entity.add(stop_id=stop)
        if alert.start or alert.end:
            period = entity.alert.active_period.add()
            if alert.start:
                period.start = int(alert.start.timestamp())
            if alert.end:
                period.end = int(alert.end.timestamp())
        entity.alert.cause = gtfs_realtime_pb2.Alert.Cause.Value(alert.cause)
        entity.alert.effect = gtfs_realtime_pb2.Alert.Effect.Value(alert.effect)
        entity.alert.header_text.translation.add(text=f"{alert.header} (en)", language="en")
        entity.alert.header_text.translation.add(text=alert.header, language="fr")
        if alert.description:
            entity.alert.description_text.translation.add(text=alert.description, language="fr")
    for entity_id in deleted:
        feed.entity.add(id=entity_id, is_deleted=True)
    return feed.SerializeToString()


@dataclass
class AlertsFeed:
    payload: bytes = b""
    fetches: int = 0
    port: int = 0
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/gtfs-rt/alertes.pb"

    def serve(self, alerts: list[Alert], *, deleted: tuple[str, ...] = ()) -> None:
        with self._lock:
            self.payload = feed_bytes(alerts, deleted=deleted)

    def start(self) -> None:
        feed = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                with feed._lock:
                    feed.fetches += 1
                    payload = feed.payload
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def alerts_feed(settings):
    """The feed, started empty; the settings point the poller at it."""
    feed = AlertsFeed()
    feed.serve([])
    feed.start()
    settings.NETWORK_ALERTS_URL = feed.url
    yield feed
    feed.stop()
