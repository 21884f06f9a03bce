"""The signed-in user, agent and permissions come from Redis (agences/staff_cache.py):
no query for them once cached, and every change of role, account or agency is seen by
the very next request."""

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings
from django.urls import reverse

from agences import roles
from agences.accounts import agent_roles_set

pytestmark = pytest.mark.django_db

MERGE = reverse("customers:merge")
QUEUE = reverse("touchpoints:queue")


@pytest.fixture
def supervisor_client(client, supervisor_lyon):
    client.force_login(supervisor_lyon.user)
    return client


def test_a_removed_role_takes_effect_on_the_next_request(
    supervisor_client, supervisor_lyon, manager_lyon
):
    assert supervisor_client.get(MERGE).status_code == 200
    assert supervisor_client.get(MERGE).status_code == 200  # now served from the cache
    agent_roles_set(actor=manager_lyon.user, agent=supervisor_lyon, new_roles=[roles.AGENT])
    assert supervisor_client.get(MERGE).status_code == 403


def test_a_role_given_from_the_roles_side_takes_effect_too(client, agent):
    client.force_login(agent.user)
    assert client.get(MERGE).status_code == 403
    Group.objects.get(name=roles.SUPERVISOR).user_set.add(agent.user)
    assert client.get(MERGE).status_code == 200


def test_a_role_losing_a_permission_takes_effect(supervisor_client):
    assert supervisor_client.get(MERGE).status_code == 200
    group = Group.objects.get(name=roles.SUPERVISOR)
    group.permissions.remove(*group.permissions.filter(codename="merge_customers"))
    assert supervisor_client.get(MERGE).status_code == 403


def test_a_deactivated_account_is_signed_out_on_the_next_request(agent_client, agent):
    assert agent_client.get(QUEUE).status_code == 200
    agent.user.is_active = False
    agent.user.save()
    response = agent_client.get(QUEUE)
    assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_an_agency_change_shows_on_the_next_request(agent_client, agent, agency_villeurbanne):
    assert "Lyon Part-Dieu" in agent_client.get(QUEUE).content.decode()
    agent.agency = agency_villeurbanne
    agent.save()
    page = agent_client.get(QUEUE).content.decode()
    assert "Villeurbanne Gratte-Ciel" in page and "Lyon Part-Dieu" not in page


def test_a_renamed_agency_shows_on_the_next_request(agent_client, agency_lyon):
    assert "Lyon Part-Dieu" in agent_client.get(QUEUE).content.decode()
    agency_lyon.name = "Lyon Perrache"
    agency_lyon.save()
    assert "Lyon Perrache" in agent_client.get(QUEUE).content.decode()


def test_only_the_session_is_read_before_the_view(supervisor_client, django_assert_num_queries):
    supervisor_client.get(MERGE)
    # the session; the user, agent and permissions (4 queries before) come from Redis;
    # then the page's own: the alerts badge and the recent merges
    with django_assert_num_queries(3):
        assert supervisor_client.get(MERGE).status_code == 200


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # nothing listens on port 1: Redis is down
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
)
def test_redis_down_the_pages_read_the_database(supervisor_client, supervisor_lyon, manager_lyon):
    assert supervisor_client.get(MERGE).status_code == 200
    agent_roles_set(actor=manager_lyon.user, agent=supervisor_lyon, new_roles=[roles.AGENT])
    assert supervisor_client.get(MERGE).status_code == 403


def test_the_customer_and_queue_pages_read_two_queries_less(
    agent_client, agent, make_customer, django_assert_max_num_queries
):
    customer = make_customer(
        phones=["06 12 34 56 78"], touchpoints=30, agent=agent, usual_contact=agent
    )
    # before: 18 and 7 (the user and the agent read on every request); the customer page
    # reads 16 since the network's panel and the form's lines (relation_client/network)
    with django_assert_max_num_queries(16):
        assert agent_client.get(customer.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(5):
        assert agent_client.get(QUEUE).status_code == 200
