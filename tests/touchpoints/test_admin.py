"""The admin where managers edit reasons, commitments and gesture limits."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agences.models import AgentAbsence
from relation_client.touchpoints.models import GestureLimit

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "touchpoints_reason",
    "touchpoints_channelcommitment",
    "touchpoints_gesturelimit",
    "touchpoints_request",
    "touchpoints_touchpoint",
    "touchpoints_gesture",
    "touchpoints_alert",
    "agences_partner",
    "agences_agentabsence",
]


@pytest.fixture
def admin_site_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("name", CHANGELISTS)
def test_changelists_open(admin_site_client, name, open_request, partner, agent):
    AgentAbsence.objects.create(
        agent=agent,
        start=datetime.date(2026, 12, 24),
        end=datetime.date(2026, 12, 31),
        reason="Congés de fin d'année",
    )
    assert admin_site_client.get(reverse(f"admin:{name}_changelist")).status_code == 200


def test_gesture_limit_offers_the_role_names(admin_site_client):
    page = admin_site_client.get(reverse("admin:touchpoints_gesturelimit_add")).content.decode()
    assert '<option value="superviseur">Superviseur</option>' in page
    response = admin_site_client.post(
        reverse("admin:touchpoints_gesturelimit_add"), {"role": "inconnu", "max_value": "10"}
    )
    assert response.status_code == 200  # refused: not a role
    assert not GestureLimit.objects.filter(role="inconnu").exists()


def test_a_manager_edits_a_commitment_in_the_admin(admin_site_client):
    from relation_client.touchpoints.models import ChannelCommitment

    commitment = ChannelCommitment.objects.get(channel="social_media")
    response = admin_site_client.post(
        reverse("admin:touchpoints_channelcommitment_change", args=[commitment.pk]),
        {"channel": "social_media", "amount": "2", "unit": "working_hours"},
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.amount == 2


def test_the_admin_offers_both_units_and_shows_the_rule(admin_site_client):
    page = admin_site_client.get(
        reverse("admin:touchpoints_channelcommitment_changelist")
    ).content.decode()
    assert "2 jours ouvrés" in page and "1 heure ouvrée" in page
    from relation_client.touchpoints.models import ChannelCommitment

    commitment = ChannelCommitment.objects.get(channel="email")
    form = admin_site_client.get(
        reverse("admin:touchpoints_channelcommitment_change", args=[commitment.pk])
    ).content.decode()
    assert 'type="radio"' in form and "jours ouvrés" in form and "heures ouvrées" in form
    assert "48 heures ouvrées" in form  # the help text tells what the words mean


@pytest.mark.parametrize("count", [2, 12])
def test_request_changelist_queries_do_not_grow(
    admin_site_client, log, helene, count, django_assert_num_queries
):
    for index in range(count):
        log(helene, summary=f"Question n° {index}", occurred_at=timezone.now())
    # session (user: Redis), agencies (filter), two counts, the rows with customer, agency,
    # assignee and partner, current_agent (context processor), the date hierarchy (2)
    with django_assert_num_queries(7):
        admin_site_client.get(reverse("admin:touchpoints_request_changelist"))
