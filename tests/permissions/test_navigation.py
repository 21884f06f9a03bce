"""The navigation offers each role only what it may open."""

import re

import pytest
from django.urls import reverse

from tests.permissions.doors import client_for

NAV_LINK = re.compile(r'<a class="(?:nav-link|dropdown-item)[^"]*" href="(/[^"#]*)"')


@pytest.mark.django_db
def test_the_navigation_offers_each_role_only_what_it_may_open(world):
    """The bar shows no door the role would find locked (a 403 after a click)."""
    locked = []
    for persona in world.users:
        client = client_for(world, persona)
        home = client.get(reverse("home"), follow=True)
        links = set(NAV_LINK.findall(home.content.decode()))
        for link in sorted(links):
            if link.startswith("/admin/"):
                continue
            if client.get(link).status_code == 403:
                locked.append(f"{persona}: {link}")
    assert locked == []
