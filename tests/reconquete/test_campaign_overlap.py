"""One campaign in progress per customer, unless the manager targets them again; the
call list shows each person once."""

import pytest
from django.urls import reverse

from reconquete.models import CampaignStatus
from reconquete.services import campaign_close, campaign_launch
from relation_client.customers.consents import consent_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def helene(make_customer, make_case, agent):
    helene = make_customer(phones=["06 12 34 56 78"], usual_contact=agent)
    consent_record(
        customer=helene, channel="phone", purpose="marketing", given=True, source="counter"
    )
    make_case(helene)
    return helene


@pytest.fixture
def first(helene, make_campaign, manager_lyon, agency_lyon):
    campaign = make_campaign(manager_lyon, [agency_lyon], name="Printemps")
    campaign_launch(campaign=campaign, by=manager_lyon)
    return campaign


@pytest.fixture
def second(make_campaign, manager_lyon, agency_lyon):
    return make_campaign(manager_lyon, [agency_lyon], name="Été", offer_type="discount")


def test_a_customer_in_a_campaign_in_progress_is_left_out(first, second, helene, manager_lyon):
    report = campaign_launch(campaign=second, by=manager_lyon)
    assert (report.targeted, report.already_in_campaign) == (0, 1)
    assert not second.targets.exists()


def test_the_manager_may_target_them_too_and_the_call_list_shows_them_once(
    first, second, helene, manager_lyon, client, agent
):
    report = campaign_launch(campaign=second, by=manager_lyon, include_already_targeted=True)
    assert (report.targeted, report.contactable, report.already_in_campaign) == (1, 1, 0)
    client.force_login(agent.user)
    items = client.get(reverse("reconquete:call_list")).context["items"]
    assert [(i["target"].customer, i["target"].campaign) for i in items] == [(helene, first)]


def test_a_closed_campaign_no_longer_holds_its_customers(first, second, helene, manager_lyon):
    campaign_close(campaign=first, by=manager_lyon)
    assert campaign_launch(campaign=second, by=manager_lyon).targeted == 1


def test_the_launch_option_on_the_page(first, second, helene, client, manager_lyon):
    client.force_login(manager_lyon.user)
    page = client.get(second.get_absolute_url()).content.decode()
    assert "Cibler aussi les clients déjà en campagne" in page
    url = reverse("reconquete:campaign_launch", args=[second.pk])
    response = client.post(url, follow=True)
    assert "1 client(s) déjà dans une autre campagne en cours laissé(s) de côté." in (
        response.content.decode()
    )
    second.refresh_from_db()
    assert second.status == CampaignStatus.ACTIVE and not second.targets.exists()


def test_the_launch_option_ticked(first, second, helene, client, manager_lyon):
    client.force_login(manager_lyon.user)
    url = reverse("reconquete:campaign_launch", args=[second.pk])
    client.post(url, {"include_already_targeted": "on"})
    assert list(second.targets.values_list("customer", flat=True)) == [helene.pk]
