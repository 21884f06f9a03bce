"""The team barometer page (satisfaction:barometer): this month's estimate, editable."""

import pytest
from django.urls import reverse

from satisfaction.models import TeamBarometer

pytestmark = pytest.mark.django_db
URL = reverse("satisfaction:barometer")


def test_an_agent_gives_and_changes_their_estimate(agent_client, agent):
    assert "Sur 100 clients de votre agence" in agent_client.get(URL).content.decode()
    assert agent_client.post(URL, {"satisfied_share": "80"}).status_code == 302
    agent_client.post(URL, {"satisfied_share": "72"})
    barometer = TeamBarometer.objects.get()
    assert (barometer.agent, barometer.agency, barometer.satisfied_share) == (
        agent,
        agent.agency,
        72,
    )
    page = agent_client.get(URL).content.decode()
    assert "Votre estimation de ce mois : 72 %" in page and 'value="72"' in page


def test_out_of_range_is_refused(agent_client):
    response = agent_client.post(URL, {"satisfied_share": "140"})
    assert response.status_code == 400
    assert not TeamBarometer.objects.exists()


def test_must_be_signed_in(client, db):
    response = client.post(URL, {"satisfied_share": "80"})
    assert response.status_code == 302 and "/connexion/" in response["Location"]
    assert not TeamBarometer.objects.exists()


def test_a_user_without_agent_profile_does_not_get_in(client, django_user_model):
    user = django_user_model.objects.create_user("prestataire", password="Prestataire-42!")
    client.force_login(user)
    assert client.get(URL).status_code == 403
