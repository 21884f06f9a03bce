"""Campaign pages for managers: list, create, launch, close, targets and their CSV."""

import pytest
from django.urls import reverse

from reconquete.models import Campaign, CampaignStatus, CampaignTarget
from relation_client.customers.consents import consent_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, manager_lyon):
    client.force_login(manager_lyon.user)
    return client


@pytest.fixture
def lost(make_customer, make_case, agent):
    helene = make_customer(phones=["06 12 34 56 78"], usual_contact=agent)
    consent_record(
        customer=helene, channel="phone", purpose="marketing", given=True, source="counter"
    )
    make_case(helene)
    make_case(make_customer("Jérôme", "Gaël-Noël", phones=["06 22 33 44 55"]))


FORM = {
    "name": "Reprenez le tram !",
    "offer_type": "free_month",
    "offer_text": "Un mois offert sur l'abonnement Tout Lyon.",
    "channels": ["phone"],
    "starts_on": "2026-11-01",
    "ends_on": "2026-12-31",
}


def test_create_then_launch(manager_client, lost, agency_lyon, agent):
    page = manager_client.get(reverse("reconquete:campaign_create"))
    assert page.status_code == 200
    # a manager only picks their own agency
    assert list(page.context["form"].fields["agencies"].queryset) == [agency_lyon]
    response = manager_client.post(
        reverse("reconquete:campaign_create"), {**FORM, "agencies": [agency_lyon.pk]}
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == campaign.get_absolute_url()
    assert campaign.status == CampaignStatus.DRAFT and not campaign.targets.exists()
    launched = manager_client.post(
        reverse("reconquete:campaign_launch", args=[campaign.pk]), follow=True
    )
    assert (
        "Campagne lancée : 2 client(s) ciblé(s), 1 contactable(s), 1 attribué(s)"
        in launched.content.decode()
    )
    targets = {t.customer.first_name: t for t in CampaignTarget.objects.select_related("customer")}
    assert targets["Hélène"].agent == agent
    assert targets["Jérôme"].get_not_contactable_reason_display() == "Aucun consentement recueilli"
    detail = manager_client.get(campaign.get_absolute_url(), {"cibles": "non-contactables"})
    assert [t.customer.first_name for t in detail.context["page"].object_list] == ["Jérôme"]
    assert detail.context["counts"]["n_contactable"] == 1


def test_invalid_dates_come_back_with_the_error(manager_client, agency_lyon):
    response = manager_client.post(
        reverse("reconquete:campaign_create"),
        {**FORM, "ends_on": "2026-10-01", "agencies": [agency_lyon.pk]},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["ends_on"] == ["La fin précède le début."]
    assert not Campaign.objects.exists()


def test_the_list_and_the_targets_csv(
    manager_client, lost, manager_lyon, agency_lyon, make_campaign
):
    campaign = make_campaign(manager_lyon, [agency_lyon])
    manager_client.post(reverse("reconquete:campaign_launch", args=[campaign.pk]))
    listing = manager_client.get(reverse("reconquete:campaigns"))
    row = listing.context["page"].object_list[0]
    assert (row.targeted, row.contactable_count, row.done, row.won_back) == (2, 1, 0, 0)
    csv = manager_client.get(reverse("reconquete:campaign_export", args=[campaign.pk]))
    text = b"".join(csv.streaming_content).decode()
    assert "Hélène Dupont-Lefèvre;oui;phone;;Camille Rousseau;oui;" in text
    closed = manager_client.post(reverse("reconquete:campaign_close", args=[campaign.pk]))
    assert closed.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED


def test_an_agent_and_another_agency_s_manager_must_not_get_in(
    client, agent, manager_villeurbanne, manager_lyon, agency_lyon, make_campaign
):
    campaign = make_campaign(manager_lyon, [agency_lyon])
    client.force_login(agent.user)
    assert client.get(reverse("reconquete:campaigns")).status_code == 403
    assert client.get(reverse("reconquete:campaign_create")).status_code == 403
    client.force_login(manager_villeurbanne.user)
    assert client.get(campaign.get_absolute_url()).status_code == 404
    assert client.post(reverse("reconquete:campaign_launch", args=[campaign.pk])).status_code == 404
    assert list(client.get(reverse("reconquete:campaigns")).context["page"].object_list) == []
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT
