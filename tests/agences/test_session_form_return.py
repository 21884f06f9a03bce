"""A form sent the classic way after the session ended: signing in again leads back to the
page the form was on (where its draft waits), not to the form's POST-only address."""

import time

import pytest
from django.urls import reverse

from agences.sessions import SEEN, STARTED

pytestmark = pytest.mark.django_db


def _expire(client) -> None:
    session = client.session
    now = int(time.time())
    session[STARTED], session[SEEN] = now - 3 * 3600, now - 3 * 3600
    session.save()


def test_a_form_sent_after_the_end_leads_back_to_its_page(agent_client, helene, settings):
    settings.SESSION_IDLE_SECONDS = 3600
    _expire(agent_client)
    page = helene.get_absolute_url()
    response = agent_client.post(
        reverse("customers:handover", args=[helene.pk]),
        {"note": "Rappeler Mme Dupont-Lefèvre avant midi"},
        HTTP_REFERER=f"http://testserver{page}?canal=phone",
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={page}%3Fcanal%3Dphone"


def test_a_referer_from_elsewhere_is_not_followed(agent_client, helene, settings):
    settings.SESSION_IDLE_SECONDS = 3600
    _expire(agent_client)
    url = reverse("customers:handover", args=[helene.pk])
    response = agent_client.post(url, {}, HTTP_REFERER="https://ailleurs.example/piege/")
    assert response["Location"] == f"{reverse('login')}?next={url}"
