"""The monthly pulse: anonymous (the answer row cannot be linked to an agent) and once a
month; its page (satisfaction:pulse)."""

import datetime
import uuid

import pytest
from django.urls import reverse

from satisfaction.models import PulseMarker, PulseResponse
from satisfaction.services import pulse_submit
from socle.errors import DomainError

pytestmark = pytest.mark.django_db
URL = reverse("satisfaction:pulse")


def test_the_answer_row_carries_no_agent():
    fields = {field.name for field in PulseResponse._meta.get_fields()}
    assert fields == {"id", "agency", "period", "engagement", "workload", "support"}
    # a random key, no timestamp: neither order nor time matches it to its marker
    assert PulseResponse._meta.pk.get_internal_type() == "UUIDField"
    marker_fields = {field.name for field in PulseMarker._meta.get_fields()}
    assert marker_fields == {"id", "agent", "period"}


def test_once_a_month(agent):
    assert pulse_submit(agent=agent, engagement=4, workload=2, support=5) is None
    response = PulseResponse.objects.get()
    assert isinstance(response.pk, uuid.UUID)
    assert (response.agency, response.engagement, response.workload, response.support) == (
        agent.agency,
        4,
        2,
        5,
    )
    assert PulseMarker.objects.get().agent == agent
    with pytest.raises(DomainError) as refused:
        pulse_submit(agent=agent, engagement=1, workload=1, support=1)
    assert refused.value.code == "already_answered"
    assert PulseResponse.objects.count() == 1


def test_next_month_again(agent):
    pulse_submit(
        agent=agent, engagement=3, workload=3, support=3, period=datetime.date(2025, 10, 1)
    )
    pulse_submit(
        agent=agent, engagement=3, workload=3, support=3, period=datetime.date(2025, 11, 1)
    )
    assert PulseResponse.objects.count() == 2


def test_out_of_the_scale(agent):
    with pytest.raises(DomainError) as refused:
        pulse_submit(agent=agent, engagement=6, workload=3, support=3)
    assert (refused.value.code, refused.value.field) == ("out_of_scale", "engagement")
    assert not PulseMarker.objects.exists()


def test_the_page(agent_client):
    page = agent_client.get(URL).content.decode()
    assert "anonymes" in page and 'name="engagement"' in page
    response = agent_client.post(URL, {"engagement": "4", "workload": "3", "support": "5"})
    assert response.status_code == 302
    page = agent_client.get(URL).content.decode()
    assert "Vous avez déjà répondu ce mois-ci" in page
    assert 'name="engagement"' not in page


def test_must_be_signed_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/connexion/" in response["Location"]
