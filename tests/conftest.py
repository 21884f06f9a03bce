"""Personas and shared fixtures. Test data is French, with accents."""

import os

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from agences import roles
from agences.models import Agency, Agent

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by
# fixtures around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# the real Celery worker fixture, for the whole suite
pytest_plugins = ["tests.support.worker"]

PASSWORD = "mot-de-passe-Écureuil-42"


@pytest.fixture
def agency_lyon(db):
    return Agency.objects.create(
        name="Lyon Part-Dieu", city="Lyon", address="Place Charles-Béraudier, 69003 Lyon"
    )


@pytest.fixture
def agency_villeurbanne(db):
    return Agency.objects.create(name="Villeurbanne Gratte-Ciel", city="Villeurbanne")


@pytest.fixture
def make_staff(db):
    def make(username: str, display_name: str, role: str, agency: Agency) -> Agent:
        first, last = display_name.split(" ", 1)
        user = get_user_model().objects.create_user(
            username=username, password=PASSWORD, first_name=first, last_name=last
        )
        user.groups.add(Group.objects.get(name=role))
        return Agent.objects.create(user=user, agency=agency, display_name=display_name)

    return make


@pytest.fixture
def agent(make_staff, agency_lyon):
    return make_staff("camille", "Camille Rousseau", roles.AGENT, agency_lyon)


@pytest.fixture
def manager_lyon(make_staff, agency_lyon):
    return make_staff("francois", "François Lemaire", roles.MANAGER, agency_lyon)


@pytest.fixture
def manager_villeurbanne(make_staff, agency_villeurbanne):
    return make_staff("sophie", "Sophie Nguyễn", roles.MANAGER, agency_villeurbanne)


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent.user)
    return client
