import pytest

from relation_client.customers.selectors import customer_search

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


def test_search_uses_the_trigram_index(population, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # exact contact/card match, then ranked names
        customer_search(query="helene dupont")
