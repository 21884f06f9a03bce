"""The name search ranks only the names nearest the query, taken from the GiST index
(issue #17): on many namesakes and on a typo it finds what ranking every matching name
would find, in the same places, and its count stays exact below the cap."""

import datetime

import pytest
from django.db import connection

from relation_client.customers.models import Customer
from relation_client.customers.selectors import (
    NAME_CANDIDATES,
    NAME_SIMILARITY,
    customer_search,
    customer_search_page,
)

pytestmark = pytest.mark.django_db

FIRST = ["Camille", "Léa", "Hugo", "Zoé", "Théo", "Inès", "Noé", "Maëlys", "Jérôme", "Agnès"]
FIRST += ["Hélène", "Benoît", "Gaëlle", "François", "Océane", "Anaïs", "Loïc", "Chloé"]
MARTINS = 300


@pytest.fixture
def martins(agency_lyon):
    """300 customers called Martin (more than the candidates ranked), the Lefèvres a typo
    should find, and the one Martine Lefèvre-Martin."""
    assert NAME_CANDIDATES < MARTINS  # the Martins do not all reach the ranking
    rows = [
        Customer(
            first_name=FIRST[index % len(FIRST)],
            last_name="Martin",
            birth_date=datetime.date(1950 + index % 50, 1 + index % 12, 1 + index % 28),
            home_agency=agency_lyon,
        )
        for index in range(MARTINS)
    ]
    rows += [
        Customer(first_name=first, last_name=last, home_agency=agency_lyon)
        for first, last in [
            ("Agnès", "Lefèvre"),
            ("Benoît", "Lefèvre"),
            ("Hélène", "Dupont-Lefèvre"),
            ("Gaëlle", "Lefébure"),
            ("Martine", "Lefèvre-Martin"),
        ]
    ]
    Customer.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE customers_customer")


def ranked_by_every_match(query: str, limit: int = 20) -> list[int]:
    """The ranking before the index: every name above the threshold compared, by word
    similarity, then last name, first name and id (a sequential scan)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT id FROM customers_customer
            WHERE word_similarity(rc_search_norm(%(q)s), search_name) >= %(min)s
            ORDER BY word_similarity(rc_search_norm(%(q)s), search_name) DESC,
                     last_name, first_name, id
            LIMIT %(limit)s
            """,
            {"q": query, "min": NAME_SIMILARITY, "limit": limit},
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.parametrize(
    "query", ["Martine Lefèvre-Martin", "lefevre martin", "Lefèvre-Martin Martine"]
)
def test_the_one_wanted_among_three_hundred_martins(martins, query):
    wanted = Customer.objects.get(last_name="Lefèvre-Martin")
    found = [c.pk for c in customer_search(query=query)]

    assert found[0] == wanted.pk
    assert found[0] == ranked_by_every_match(query)[0]


def test_a_common_surname_lists_only_namesakes(martins):
    found = customer_search(query="Martin")

    assert len(found) == 20
    # word similarity 1 for every one of them: each is a Martin, by name or by half of it
    assert {c.last_name for c in found} <= {"Martin", "Lefèvre-Martin"}


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Agnès Lefèbvre", "Agnès Lefèvre"),
        ("Benoit Lefebre", "Benoît Lefèvre"),
        ("Helene Dupont Lefebvre", "Hélène Dupont-Lefèvre"),
    ],
)
def test_a_typo_finds_the_name_and_ranks_as_every_match_would(martins, query, first):
    found = customer_search(query=query)

    assert found[0].full_name == first
    assert [c.pk for c in found] == ranked_by_every_match(query)


def test_a_typo_alone_finds_only_the_close_names(martins):
    found = customer_search(query="Lefèbvre")

    assert [c.pk for c in found] == ranked_by_every_match("Lefèbvre")
    # the trigrams of "lefebvre" are closest to Lefébure's, then the Lefèvres'; no Martin
    assert found[0].full_name == "Gaëlle Lefébure"
    assert sorted(c.last_name for c in found[1:]) == [
        "Dupont-Lefèvre",
        "Lefèvre",
        "Lefèvre",
        "Lefèvre-Martin",
    ]


def test_the_count_is_exact_below_the_cap(martins):
    page = customer_search_page(query="Martin")
    # every name above the threshold, though more Martins than the candidates of one page
    assert (page.count, page.capped) == (len(ranked_by_every_match("Martin", 1000)), False)
    assert page.count >= MARTINS + 1
