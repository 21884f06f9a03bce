"""The page search refuses what no search should run on, in French, never with a 500: a NUL
character (PostgreSQL cannot compare it) and a text longer than the API's cap of 200
(3,000 characters cost about 2 s of database time each)."""

import pytest
from django.urls import reverse

from relation_client.customers.selectors import SEARCH_MAX_LENGTH, customer_search
from relation_client.privacy.models import AuditEvent
from socle.errors import DomainError

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
NUL = "Hé\x00lène"
LONG = "Dupont " * 428 + "D"  # 2,997 characters: a pasted paragraph

REFUSALS = [
    (NUL, "Le caractère nul n’est pas autorisé."),
    (LONG, f"La recherche compte au plus 200 caractères (actuellement {len(LONG)})."),
    ("x" * 3000, "La recherche compte au plus 200 caractères (actuellement 3000)."),
]


@pytest.mark.parametrize(("query", "message"), REFUSALS)
@pytest.mark.parametrize("htmx", [False, True])
def test_the_page_search_refuses_in_french(agent_client, helene, query, message, htmx):
    response = agent_client.get(
        reverse("customers:search"), {"q": query}, headers=HTMX if htmx else {}
    )
    assert response.status_code == 422  # htmx swaps a 422 (base.html's responseHandling)
    page = response.content.decode()
    assert message in page
    assert "\x00" not in page
    assert not AuditEvent.objects.filter(action="list").exists()


@pytest.mark.parametrize(("query", "message"), REFUSALS[:2])
def test_the_dpo_search_refuses_in_french(client, dpo, query, message):
    client.force_login(dpo.user)
    response = client.get(reverse("privacy:index"), {"q": query})
    assert response.status_code == 422
    assert message in response.content.decode()


def test_two_hundred_characters_still_search(agent_client, helene):
    response = agent_client.get(reverse("customers:search"), {"q": "H" * SEARCH_MAX_LENGTH})
    assert response.status_code == 200
    assert "Personne ne correspond" in response.content.decode()


def test_the_selector_refuses_with_a_domain_error():
    with pytest.raises(DomainError) as error:
        customer_search(query="a" * 201)
    assert (error.value.code, error.value.field) == ("too_long", "q")
    with pytest.raises(DomainError) as error:
        customer_search(query="\x00")
    assert error.value.code == "null_character"
