"""GET /api/v1/customers/: ranked search, or every customer by cursor pages."""

import pytest
from django.urls import reverse

from tests.api.conftest import error_of

URL = reverse("api:customer-list")


@pytest.fixture
def namesakes(make_customer):
    """People a sloppy search could confuse with Hélène Dupont-Lefèvre."""
    return [
        make_customer("Hélène", "Martin"),
        make_customer("Jean", "Dupont"),
        make_customer("Héloïse", "Lefèvre"),
        make_customer("Anaïs", "Dupuis-Leclerc"),
    ]


@pytest.mark.parametrize(
    "search", ["helene dupont lefevre", "Hélène Dupond", "HELENE DUPONT-LEFEVRE", "dupont lefèvre"]
)
def test_name_search_ranks_helene_first(api_client, helene, namesakes, search):
    response = api_client.get(URL, {"search": search})

    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0]["id"] == helene.pk
    assert results[0]["salutation"] == "Mme Hélène Dupont-Lefèvre"
    assert results[0]["segment"]["name"] == "Seniors"
    assert results[0]["usual_contact"]["display_name"] == "Camille Rousseau"


@pytest.mark.parametrize("search", ["+33 6 12 34 56 78", "helene.dupont@exemple.fr", "tcl00421968"])
def test_search_finds_by_phone_email_or_card(api_client, helene, namesakes, search):
    results = api_client.get(URL, {"search": search}).json()["results"]

    assert [r["id"] for r in results] == [helene.pk]


def test_search_result_count_is_limited(api_client, make_customer):
    for index in range(4):
        make_customer("Hélène", f"Dupont {index}")

    results = api_client.get(URL, {"search": "Hélène Dupont", "limit": 3}).json()["results"]

    assert len(results) == 3


def test_search_with_nothing_close_is_an_empty_list(api_client, helene):
    body = api_client.get(URL, {"search": "Zébulon Wąchocki"}).json()

    assert body == {"next": None, "previous": None, "results": []}


def test_without_search_lists_everyone_by_cursor_pages(api_client, make_customer):
    created = [make_customer("Aurélien", f"Nœud {index:02d}").pk for index in range(7)]

    seen, url, pages = [], URL + "?page_size=3", 0
    while url:
        body = api_client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url, pages = body["next"], pages + 1

    assert pages == 3
    assert seen == created  # creation order, each once


def test_a_tampered_cursor_is_a_400_on_the_cursor(api_client, helene):
    response = api_client.get(URL, {"cursor": "pas-un-curseur"})

    assert response.status_code == 400
    body = error_of(response)
    assert (body["code"], body["field"]) == ("invalid_cursor", "cursor")


def test_a_bad_limit_is_refused(api_client):
    response = api_client.get(URL, {"search": "Hélène", "limit": "beaucoup"})

    assert response.status_code == 400
    assert (error_of(response)["field"], error_of(response)["code"]) == ("limit", "invalid")


def test_anonymous_cannot_search(anonymous_client, helene):
    response = anonymous_client.get(URL, {"search": "Hélène"})

    assert response.status_code == 401
    assert "Hélène" not in response.content.decode()
