import pytest

from agences import roles


@pytest.fixture
def dpo(make_staff, agency_lyon):
    return make_staff("dpo", "Bertrand Lefort", roles.DPO, agency_lyon)


@pytest.fixture
def dpo_client(dpo):
    from django.test import Client

    client = Client()  # not the shared `client`: tests use it as an agent at the same time
    client.force_login(dpo.user)
    return client


from tests.customers.conftest import helene, make_customer  # noqa: E402,F401 - shared fixtures


@pytest.fixture
def social_desk_token(make_staff, agency_lyon):
    from rest_framework.test import APIClient

    from relation_client.api.services import api_token_create

    desk = make_staff("bureau.reseaux", "Bureau réseaux sociaux", roles.AGENT, agency_lyon)
    token, raw = api_token_create(
        name="Bureau réseaux sociaux", agent=desk, scopes=["customers:read", "customers:write"]
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return token, client
