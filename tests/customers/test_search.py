import pytest
from django.db import connection, transaction

from relation_client.customers.selectors import customer_search, names_nearest

pytestmark = pytest.mark.django_db


@pytest.fixture
def population(make_customer):
    make_customer(
        "Hélène",
        "Dupont-Lefèvre",
        phones=["06 12 34 56 78"],
        emails=["helene.dupont@exemple.fr"],
        cards=["TCL00421968"],
    )
    make_customer("Hélène", "Durand")
    make_customer("Henri", "Dupont")
    make_customer("Agnès", "Lefèvre")
    make_customer("Jean", "de La Fontaine")


@pytest.mark.parametrize(
    "query",
    [
        "helene dupont lefevre",
        "Hélène Dupond",
        "HELENE DUPONT-LEFEVRE",
        "dupont lefèvre",
        "Dupont-Lefèvre Hélène",
    ],
)
def test_name_search_finds_helene_first(population, query):
    results = customer_search(query=query)
    assert results[0].full_name == "Hélène Dupont-Lefèvre"


def test_particles_and_spaces(population):
    assert customer_search(query="jean de la fontaine")[0].full_name == "Jean de La Fontaine"
    assert customer_search(query="delafontaine")[0].full_name == "Jean de La Fontaine"


@pytest.mark.parametrize(
    "query",
    ["0612345678", "+33 6 12 34 56 78", "Helene.Dupont@Exemple.fr", "TCL00421968", "tcl 0042 1968"],
)
def test_search_by_phone_email_and_card(population, query):
    assert customer_search(query=query)[0].full_name == "Hélène Dupont-Lefèvre"


def test_nothing_for_unrelated_text(population):
    assert customer_search(query="Zéphyrin Wagner") == []
    assert customer_search(query="   ") == []


def test_search_reads_the_nearest_names_from_the_index(population, django_assert_max_num_queries):
    # exact contact/card match (one UNION), the lexicon's threshold and its close words,
    # whether the name as typed is held by many, its best holders, then those of a close
    # word for each query word, the customers found ranked
    with django_assert_max_num_queries(7):
        customer_search(query="helene dupont")
    # the candidates come from the GiST index in order of word distance (k-nearest
    # neighbours), so the search reads k entries however many customers share a name;
    # the table is tiny here, so the sequential scan is taken off the planner's table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = names_nearest("helene dupont").explain()
    assert "Index Scan using customer_search_knn" in plan
    assert "Order By: (search_name <->> 'helene dupont'::text)" in plan
