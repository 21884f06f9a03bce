"""A search that finds many namesakes says how many, pages through all of them, and shows
on each line what tells them apart (issue #14)."""

import re

import pytest
from django.urls import reverse

from relation_client.customers.distinguishers import Place, place_of
from relation_client.customers.selectors import customer_search_page
from relation_client.privacy.models import AuditAction, AuditEvent
from tests.support.homonyms import address_of, birth_year_of

pytestmark = pytest.mark.django_db

URL = reverse("customers:search")


def _lines(html: str) -> list[str]:
    """The text of each result line, tags removed."""
    items = re.findall(r'<li class="list-group-item" data-customer="\d+">(.*?)</li>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def test_the_page_says_how_many_and_pages_through_all(agent_client, camille_martins):
    first = agent_client.get(URL, {"q": "Camille Martin"}).content.decode()
    third = agent_client.get(URL, {"q": "Camille Martin", "page": 3}).content.decode()

    assert "45 clients correspondent" in first
    assert len(_lines(first)) == 20
    assert len(_lines(third)) == 5
    assert "Page 3 sur 3" in third
    seen = set()
    for page in (1, 2, 3):
        html = agent_client.get(URL, {"q": "Camille Martin", "page": page}).content.decode()
        seen |= {int(pk) for pk in re.findall(r'data-customer="(\d+)"', html)}
    assert seen == {c.pk for c in camille_martins}  # every namesake, each once


def test_each_line_tells_the_namesakes_apart(agent_client, camille_martins):
    html = agent_client.get(URL, {"q": "Camille Martin"}).content.decode()

    lines = _lines(html)
    assert len(lines) == 20
    for index, line in enumerate(lines):  # page 1: the first 20 created, in that order
        assert f"né(e) en {birth_year_of(index)}" in line
        assert str(place_of(address_of(index))) in line
        assert f"tél. …{index:02d}" in line
        if index % 2:
            assert "suivi par Théo Marchand (Villeurbanne Gratte-Ciel)" in line
        else:
            assert "suivi par Camille Rousseau (Lyon Part-Dieu)" in line
    assert len(set(lines)) == len(lines)  # no two lines alike


def test_each_page_is_one_audit_row_with_what_it_showed(agent_client, camille_martins):
    agent_client.get(URL, {"q": "Camille Martin"})
    agent_client.get(URL, {"q": "Camille Martin", "page": 3}, headers={"HX-Request": "true"})

    rows = AuditEvent.objects.filter(action=AuditAction.LIST).order_by("id")
    assert [(row.shown, row.detail_text) for row in rows] == [
        (20, "recherche « Camille Martin »"),
        (5, "recherche « Camille Martin », page 3"),
    ]


def test_queries_do_not_grow_with_the_page(
    agent_client, camille_martins, django_assert_max_num_queries
):
    # session and user, the search (exact matches, threshold, the lexicon's close words,
    # whether the name as typed is common, the best holders of close words, ranked ids,
    # the page's customers, their phones, savepoints), the audit row and the hourly volume
    with django_assert_max_num_queries(14):
        agent_client.get(URL, {"q": "Camille Martin", "page": 2})


def test_the_order_is_stable_rank_then_id(camille_martins, make_customer):
    make_customer("Camille", "Martinez")  # a lower rank: after every Martin
    pages = [customer_search_page(query="Camille Martin", page=n) for n in (1, 2, 3)]

    ids = [line.customer.pk for page in pages for line in page.lines]
    assert ids[:45] == [c.pk for c in camille_martins]
    assert pages[0].count == 46


@pytest.mark.parametrize(
    ("address", "place"),
    [
        ("12 rue de la République, 69002 Lyon", Place("69002", "Lyon")),
        ("12 rue de la Part-Dieu\n69003 Lyon", Place("69003", "Lyon")),
        ("3 place Bellecour, Lyon", Place("", "Lyon")),
        ("Bâtiment B, 2 allée des Érables, 69120 Vaulx-en-Velin", Place("69120", "Vaulx-en-Velin")),
        ("3 place Bellecour", None),
        ("", None),
    ],
)
def test_the_town_is_read_from_the_address(address, place):
    assert place_of(address) == place
