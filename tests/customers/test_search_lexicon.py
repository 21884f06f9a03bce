"""The lexicon of name words (customers_name_word, migration 0013): PostgreSQL triggers
keep it equal to the words of every customer's name through inserts, bulk imports,
renames, anonymisation, merges' deletes and truncation, and name search looks a typo up
in it (its trigram index) before reading the customers holding the close words."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from relation_client.customers import selectors
from relation_client.customers.models import Customer
from relation_client.customers.selectors import customers_named
from relation_client.privacy.services import customers_anonymise
from tests.customers.test_search_ranking import ranked_by_every_match

pytestmark = pytest.mark.django_db


def lexicon() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT word, customers FROM customers_name_word")
        return dict(cursor.fetchall())


def words_of_every_name() -> dict[str, int]:
    """What the lexicon should hold, counted from the names themselves."""
    counts: dict[str, int] = {}
    for name in Customer.objects.values_list("search_name", flat=True):
        for word in set(name.split(" ")) - {""}:
            counts[word] = counts.get(word, 0) + 1
    return counts


def test_the_lexicon_follows_every_write(make_customer, agency_lyon):
    helene = make_customer("Hélène", "Dupont-Lefèvre")
    make_customer("Agnès", "Lefèvre")
    # a bulk import: one INSERT for many rows, one pass of the trigger
    Customer.objects.bulk_create(
        [
            Customer(first_name="Gaëlle", last_name="Lefébure", home_agency=agency_lyon),
            Customer(first_name="Hélène", last_name="Mêmeprénom", home_agency=agency_lyon),
            Customer(first_name="Loïc", last_name="Loïc", home_agency=agency_lyon),
        ]
    )
    assert lexicon() == words_of_every_name()
    assert lexicon()["helene"] == 2
    assert lexicon()["loic"] == 1  # a word twice in one name counts the customer once

    # a save that changes no name changes nothing; a rename moves the counts
    helene.save()
    assert lexicon()["lefevre"] == 2
    helene.last_name = "Dupont-Lefébure"
    helene.preferred_name = "Léna"
    helene.save()
    assert lexicon()["lefevre"] == 1
    assert lexicon()["lefebure"] == 2
    assert lexicon()["lena"] == 1
    assert lexicon() == words_of_every_name()

    # anonymisation: the name goes, the record number stays
    customers_anonymise(customer_ids=[helene.pk])
    assert "lena" not in lexicon()
    assert "dupont" not in lexicon()
    assert lexicon()["lefebure"] == 1
    assert lexicon() == words_of_every_name()

    # deletes, one and many; a word nobody holds any more leaves the lexicon
    Customer.objects.filter(last_name="Lefébure").delete()
    assert "gaelle" not in lexicon()
    Customer.objects.all().delete()
    assert lexicon() == {}


def test_a_truncated_customer_table_empties_the_lexicon(make_customer):
    make_customer("Agnès", "Lefèvre")
    assert lexicon()
    with connection.cursor() as cursor:
        # the foreign keys' deferred checks would refuse a TRUNCATE in this transaction
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE customers_customer CASCADE")
    assert lexicon() == {}


@pytest.fixture
def lefevres(make_customer):
    for first, last in [
        ("Agnès", "Lefèvre"),
        ("Benoît", "Lefèvre"),
        ("Hélène", "Dupont-Lefèvre"),
        ("Gaëlle", "Lefébure"),
        ("Nathalie", "Lefébure"),
        ("Nathalie", "Martin"),
        ("Agnès", "Martin"),
    ]:
        make_customer(first, last)


def test_a_typo_is_looked_up_in_the_lexicon(lefevres):
    lexicon_words = selectors.lexicon_words("Natalie Lefèbvre")
    # no customer is called so: the close words of the lexicon, with their holders and
    # the trigrams they have in common with the query word
    assert {q: sorted(close.items()) for q, close in lexicon_words.close.items()} == {
        "natalie": [("nathalie", (2, 6))],
        "lefebvre": [("lefebure", (2, 6)), ("lefevre", (3, 6))],
    }
    with CaptureQueriesContext(connection) as queries:
        found = [c.full_name for c in customers_named("Natalie Lefèbvre")]
    assert found[0] == "Nathalie Lefébure"
    assert set(found) >= {"Nathalie Martin", "Gaëlle Lefébure", "Agnès Lefèvre"}
    sql = [query["sql"] for query in queries.captured_queries]
    assert any("customers_name_word l ON l.word %> q.word" in one for one in sql)
    assert not any("<->>" in one for one in sql)
    with transaction.atomic(), connection.cursor() as cursor:
        # the table is tiny here, so its sequential scan is taken off the planner's table
        cursor.execute("SET LOCAL enable_seqscan = off")
        names_plan = customers_named("Natalie Lefèbvre").explain()
    # the customers holding the lexicon's close words, from the GIN index of name words
    assert "Bitmap Index Scan on customer_name_words" in names_plan
    assert "'{lefebure,lefevre,nathalie}'::text[]" in names_plan


def test_names_of_common_words_come_from_the_nearest_neighbours(lefevres, monkeypatch):
    # as if "martin" and "agnes" were held by thousands: the lexicon's words are too
    # common to rank every holder, and one close word for each query word is no bound
    monkeypatch.setattr(selectors, "LEXICON_CANDIDATES", 1)
    with CaptureQueriesContext(connection) as queries:
        found = [c.full_name for c in customers_named("Agnès Martin", candidates=3)]
    assert found[0] == "Agnès Martin"
    assert any("<->>" in query["sql"] for query in queries.captured_queries)


def test_a_typo_of_common_words_ranks_the_holders_of_both(lefevres, monkeypatch):
    # as if "nathalie" and the Lefèvres were held by thousands
    monkeypatch.setattr(selectors, "LEXICON_CANDIDATES", 1)
    with CaptureQueriesContext(connection) as queries:
        found = list(customers_named("Natalie Lefèbvre", candidates=1)[:1])
    # Nathalie Lefébure holds a word close to each query word, and ranks above what a
    # name holding a close word for one of them only could reach: no nearest-neighbour
    # scan of the whole index
    assert [c.full_name for c in found] == ["Nathalie Lefébure"]
    assert not any("<->>" in query["sql"] for query in queries.captured_queries)


def test_a_name_close_to_one_query_word_only_still_ranks_in_its_place(
    lefevres, make_customer, monkeypatch
):
    # three holders of a close word for each query word (0.55, 0.545, 0.52); Nadine is
    # not close to Natalie, but her surname is the one typed, which ranks her at 0.53:
    # among the 3 best, where ranking every name puts her
    make_customer("Nathalie", "Lefèvre")
    make_customer("Nathalie", "Lefeuvre")
    make_customer("Nadine", "Lefèbvre")
    # as if the holders of every close word were one too many to rank them all
    close = selectors.lexicon_words("Natalie Lefèbvre")
    monkeypatch.setattr(selectors, "LEXICON_CANDIDATES", close.customers(close.words) - 1)
    with CaptureQueriesContext(connection) as queries:
        found = [c.full_name for c in customers_named("Natalie Lefèbvre", candidates=3)[:3]]
    assert found == ["Nathalie Lefébure", "Nathalie Lefèvre", "Nadine Lefèbvre"]
    assert found == [
        Customer.objects.get(pk=pk).full_name for pk in ranked_by_every_match("Natalie Lefèbvre", 3)
    ]
    assert not any("<->>" in query["sql"] for query in queries.captured_queries)


def test_a_bulk_import_of_new_names_reads_the_lexicon_by_its_key(agency_lyon):
    """Each statement's clean-up deletes the words left at zero through the primary key.
    It used to look the statement's whole list of words up with `word = ANY(words)`,
    which the planner, on a lexicon without statistics yet, answered from the trigram
    index, one trigram search per word: an import of 50,000 customers with new surnames
    took two minutes (migration 0016)."""

    def lexicon_reads() -> int:
        """The trigram index's scans in this transaction (whether the small lexicon is
        read sequentially is the planner's choice, and cheap; one trigram search per
        word was not)."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_get_xact_numscans('customers_name_word_trgm'::regclass)")
            return cursor.fetchone()[0]

    before = lexicon_reads()
    for batch in range(2):
        Customer.objects.bulk_create(
            Customer(
                first_name="Anaïs", last_name=f"Léveillé-{batch}-{index}", home_agency=agency_lyon
            )
            for index in range(2000)
        )
    Customer.objects.filter(last_name__startswith="Léveillé-1-").delete()
    assert lexicon_reads() == before
    assert lexicon()["anais"] == 2000
    assert lexicon() == words_of_every_name()
