import pytest


@pytest.fixture
def dpo_client(dpo):
    from django.test import Client

    client = Client()  # not the shared `client`: tests use it as an agent at the same time
    client.force_login(dpo.user)
    return client


@pytest.fixture
def social_desk_token(make_token):
    """A partner application that reads and writes customers: (token, API client)."""
    token, _raw, client = make_token("customers:read", "customers:write")
    return token, client
