"""Trying the doors: a client per persona, one request per row, its outcome in words."""

import json
from urllib.parse import urlparse

from django.test import Client
from django.urls import reverse

from tests.permissions.table import ANONYMOUS, DENIED, LOGIN, MISSING, OK, Row


class World:
    """What the `world` fixture (conftest.py) builds: agencies, staff, customers, objects."""


def client_for(world: World, persona: str) -> Client:
    client = Client()
    if persona != ANONYMOUS:
        client.force_login(world.users[persona])
    return client


def call(client: Client, row: Row, world: World, persona: str, headers=None):
    kwargs = row.kwargs(world, persona) if row.kwargs else {}
    path = reverse(row.name, kwargs=kwargs)
    send = getattr(client, row.method)
    extra = headers or {}
    if row.method == "get":
        return send(path, row.query, **extra)
    if row.api:
        body = json.dumps(row.data if row.data is not None else {})
        return send(path, body, content_type="application/json", **extra)
    return send(path, row.data or {}, **extra)


def outcome(response) -> str:
    status = response.status_code
    if status == 401:
        return LOGIN
    if status in (301, 302):
        target = urlparse(response["Location"])
        if target.netloc:
            return f"redirection hors de l'application : {response['Location']}"
        return LOGIN if target.path == reverse("login") else OK
    if status == 403:
        return DENIED
    if status == 404:
        return MISSING
    if status in (200, 201, 204, 400, 422):  # 204: a beacon answered with nothing
        return OK
    return f"HTTP {status}"


def check_api_refusal(response) -> None:
    """A refused API call answers the one error shape."""
    body = response.json()
    assert {"code", "field", "detail"} <= set(body), body
    assert body["code"] and isinstance(body["detail"], str) and body["detail"], body


def row_id(row: Row) -> str:
    under = "".join(f" {name}={value}" for name, value in row.settings.items())
    return f"{row.method} {row.name}{under}"


def _as(world: World, user) -> Client:
    client = Client()
    client.force_login(user)
    return client
