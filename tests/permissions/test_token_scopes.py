"""Tokens are judged on their scopes, not on their agent's role."""

import pytest
from django.test import Client

from relation_client.api.services import api_token_create
from tests.permissions.doors import call, outcome, row_id
from tests.permissions.table import AGENT, OK, ROWS, TOKEN_SCOPES

API_ROWS = [row for row in ROWS if row.api]


@pytest.mark.django_db
@pytest.mark.parametrize("row", API_ROWS, ids=row_id)
def test_a_token_needs_the_scope_of_the_method(world, row):
    needed = TOKEN_SCOPES[(row.method, row.name)]
    desk = world.staff[AGENT]
    _token, without = api_token_create(
        name="Bureau réseaux sociaux", agent=desk, scopes=[s for s in _scopes() if s != needed]
    )
    _token, with_it = api_token_create(name="Billettique", agent=desk, scopes=[needed])
    client = Client()

    refused = call(client, row, world, AGENT, headers={"HTTP_AUTHORIZATION": f"Bearer {without}"})
    assert refused.status_code == 403
    body = refused.json()
    assert (body["code"], body["field"]) == ("insufficient_scope", None)
    assert needed in body["detail"] and "jeton" in body["detail"]

    allowed = call(client, row, world, AGENT, headers={"HTTP_AUTHORIZATION": f"Bearer {with_it}"})
    assert outcome(allowed) == OK, allowed.content[:300]


def _scopes() -> list[str]:
    from relation_client.api.models import Scope

    return list(Scope.values)


def test_every_api_row_names_its_scope():
    assert {(row.method, row.name) for row in API_ROWS} == set(TOKEN_SCOPES)
