"""Reaching the merge page from a record, and choosing the other record by name."""

import pytest
from django.urls import reverse

from relation_client.privacy.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

MERGE = reverse("customers:merge")


@pytest.fixture
def supervisor_client(client, supervisor_lyon):
    client.force_login(supervisor_lyon.user)
    return client


def test_the_customer_page_offers_the_merge_with_this_record_chosen(supervisor_client, helene):
    page = supervisor_client.get(helene.get_absolute_url()).content.decode()
    assert f'href="{MERGE}?survivor={helene.pk}"' in page
    assert "Fusionner avec une autre fiche" in page


def test_the_other_record_is_found_by_name(supervisor_client, helene, make_customer):
    twin = make_customer("Hélène", "Dupont", phones=["04 78 12 34 56"])
    make_customer("Chloé", "Béranger")
    response = supervisor_client.get(MERGE, {"survivor": helene.pk, "q": "helene dupont"})
    page = response.content.decode()
    assert "Fiche choisie" in page and "Avec quelle autre fiche ?" in page
    choices = [c for c, _url in response.context["choices"]]
    assert twin in choices and helene not in choices  # the chosen one is not offered again
    assert all("Béranger" not in c.last_name for c in choices)
    assert f'href="?survivor={helene.pk}&amp;absorbed={twin.pk}"' in page
    # a search of customers, audited like the search page's
    row = AuditEvent.objects.get(action=AuditAction.LIST)
    assert "helene dupont" in row.detail_text


def test_typing_ahead_answers_the_results_only(supervisor_client, helene, make_customer):
    twin = make_customer("Hélène", "Dupont")
    response = supervisor_client.get(
        MERGE,
        {"survivor": helene.pk, "q": "Dupont"},
        headers={"HX-Request": "true", "HX-Target": "candidats"},
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="candidats"')
    assert f"absorbed={twin.pk}" in page and "<h1" not in page


def test_nothing_found_says_so(supervisor_client, helene):
    page = supervisor_client.get(MERGE, {"survivor": helene.pk, "q": "Zyxwvu"}).content.decode()
    assert "Aucune autre fiche ne correspond à « Zyxwvu »." in page


def test_both_records_side_by_side_before_confirming(supervisor_client, helene, make_customer):
    twin = make_customer("Hélène", "Dupont", phones=["0692 12 34 56"])
    page = supervisor_client.get(MERGE, {"survivor": helene.pk, "absorbed": twin.pk})
    html = page.content.decode()
    assert "Comparez avant de fusionner" in html
    assert "06 12 34 56 78" in html and "0692 12 34 56" in html
    assert "Fusionner : la fiche de Hélène Dupont est absorbée" in html
    assert f'href="?survivor={twin.pk}&amp;absorbed={helene.pk}"' in html  # the other way round


def test_the_merge_page_reads_in_bounded_queries(
    supervisor_client, helene, make_customer, django_assert_max_num_queries
):
    """Session, user, agent and its permissions (5), the chosen record with its contact
    points and numbers (3), the search (5 with its threshold), its audit row and check
    (2), the alerts badge and the recent merges (2): whatever the number found."""
    for i in range(5):
        make_customer("Hélène", f"Dupont {i}", phones=[f"04 78 12 34 5{i}"])
    with django_assert_max_num_queries(18):
        supervisor_client.get(MERGE, {"survivor": helene.pk, "q": "Dupont"})
    twin = make_customer("Hélène", "Dupont")
    with django_assert_max_num_queries(18):
        supervisor_client.get(MERGE, {"survivor": helene.pk, "absorbed": twin.pk})


def test_the_creation_warning_offers_the_merge_from_the_record_found(supervisor_client, helene):
    page = supervisor_client.post(
        reverse("customers:create"),
        {
            "first_name": "Hélène",
            "last_name": "Dupont",
            "phones": "0612345678",
            "preferred_language": "fr",
        },  # fmt: skip
    ).content.decode()
    assert "Cette personne existe peut-être déjà" in page
    assert f'href="{MERGE}?survivor={helene.pk}"' in page
