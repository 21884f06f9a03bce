"""Before an access or erasure request, the DPO's search tells namesakes apart: how many
match, every one reachable, and what distinguishes each (issue #14)."""

import re

import pytest
from django.urls import reverse

from tests.support.homonyms import birth_year_of

pytestmark = pytest.mark.django_db

URL = reverse("privacy:index")


def test_the_dpo_search_tells_namesakes_apart(dpo_client, camille_martins):
    html = dpo_client.get(URL, {"q": "Camille Martin"}).content.decode()

    assert "45 clients correspondent" in html
    first = camille_martins[0]
    line = re.search(rf'data-customer="{first.pk}">(.*?)</li>', html, re.S).group(1)
    assert reverse("privacy:customer", args=[first.pk]) in line
    for shown in (f"né(e) en {birth_year_of(0)}", "69001 Lyon", "tél. …00", "Camille Rousseau"):
        assert shown in line
    assert f"fiche n° {first.pk}" in line


def test_the_dpo_pages_through_namesakes_without_moving_the_journal(dpo_client, camille_martins):
    html = dpo_client.get(URL, {"q": "Camille Martin", "page_recherche": 3}).content.decode()

    shown = {int(pk) for pk in re.findall(r'data-customer="(\d+)"', html)}
    assert shown == {c.pk for c in camille_martins[40:]}
    assert "page_recherche=2" in html
