"""GET /api/v1/customers/: ranked search, or every customer by cursor pages."""

import pytest
from django.urls import reverse

from tests.api.conftest import error_of
from tests.support.homonyms import birth_year_of

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

    assert body == {
        "count": 0,
        "count_capped": False,
        "next": None,
        "previous": None,
        "results": [],
    }


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


def test_a_search_of_namesakes_counts_and_pages_through_all(api_client, camille_martins):
    body = api_client.get(URL, {"search": "Camille Martin"}).json()

    assert (body["count"], body["count_capped"], body["previous"]) == (45, False, None)
    assert len(body["results"]) == 20
    seen, url, pages = [], URL + "?search=Camille+Martin", 0
    while url:
        page = api_client.get(url).json()
        assert page["count"] == 45
        seen += [row["id"] for row in page["results"]]
        url, pages = page["next"], pages + 1
    assert pages == 3
    assert seen == [c.pk for c in camille_martins]  # rank, then id: each once
    last = api_client.get(URL, {"search": "Camille Martin", "page": 3}).json()
    assert len(last["results"]) == 5 and last["next"] is None
    assert "page=2" in last["previous"]


def test_each_search_result_tells_the_namesakes_apart(api_client, camille_martins):
    results = api_client.get(URL, {"search": "Camille Martin", "limit": 4}).json()["results"]

    assert [(r["birth_year"], r["postal_code"], r["town"], r["phone_ending"]) for r in results] == [
        (birth_year_of(0), "69001", "Lyon", "00"),
        (birth_year_of(1), "69100", "Villeurbanne", "01"),
        (birth_year_of(2), "69003", "Lyon", "02"),
        (birth_year_of(3), "69100", "Villeurbanne", "03"),
    ]
    assert results[0]["usual_contact"] == {
        "id": camille_martins[0].usual_contact_id,
        "display_name": "Camille Rousseau",
        "agency": {"id": camille_martins[0].usual_contact.agency_id, "name": "Lyon Part-Dieu"},
    }
    assert results[1]["usual_contact"]["agency"]["name"] == "Villeurbanne Gratte-Ciel"


def test_the_list_without_search_has_the_same_lines(api_client, camille_martins):
    row = api_client.get(URL, {"page_size": 1}).json()["results"][0]

    assert (row["birth_year"], row["town"], row["phone_ending"]) == (birth_year_of(0), "Lyon", "00")
    assert "count" not in api_client.get(URL).json()  # no COUNT(*) over every customer


def test_a_search_page_past_the_last_is_a_400_on_the_page(api_client, camille_martins):
    response = api_client.get(URL, {"search": "Camille Martin", "page": 4})

    assert response.status_code == 400
    assert (error_of(response)["field"], error_of(response)["code"]) == ("page", "out_of_range")


def test_search_pages_run_a_bounded_number_of_queries(
    api_client, camille_martins, django_assert_max_num_queries
):
    # session, user, agent; the search (exact matches, threshold and the lexicon's close
    # words, whether the name as typed is common, the best holders of close words, ranked
    # ids, the page's customers, their phones); the audit row and the hourly volume
    for page in (1, 3):
        with django_assert_max_num_queries(13):
            api_client.get(URL, {"search": "Camille Martin", "page": page})
