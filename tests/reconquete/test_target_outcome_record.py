"""target_outcome_record: the call list's outcome, logged as a touchpoint."""

import pytest

from reconquete.models import CampaignStatus, ReconquestContact
from reconquete.services import target_outcome_record
from relation_client.customers.consents import consent_current, consent_record
from relation_client.touchpoints.models import Touchpoint
from socle.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(make_customer, make_case, make_campaign, make_target, agent, agency_lyon):
    helene = make_customer(phones=["06 12 34 56 78"], usual_contact=agent)
    for channel in ("phone", "sms"):  # as the launch would have found them
        consent_record(
            customer=helene, channel=channel, purpose="marketing", given=True, source="counter"
        )
    campaign = make_campaign(agent, [agency_lyon], status=CampaignStatus.ACTIVE)
    return make_target(campaign, make_case(helene), agent=agent, channels=["phone", "sms"])


def test_the_outcome_is_a_touchpoint_on_the_timeline(target, agent):
    contact = target_outcome_record(
        target=target, outcome="accepted", by=agent, note="Passera en agence samedi."
    )
    touchpoint = Touchpoint.objects.get(customer=target.customer)
    assert contact.touchpoint == touchpoint
    assert (touchpoint.channel, touchpoint.direction, touchpoint.reason.code) == (
        "phone",
        "outbound",
        "reconquest",
    )
    assert touchpoint.summary == (
        "Campagne « Reprenez le tram ! » : offre acceptée. Offre : mois offert. "
        "Passera en agence samedi."
    )
    assert touchpoint.request_id is None  # an outbound call asks nothing of the agency
    assert (contact.campaign, contact.case, contact.outcome) == (
        target.campaign,
        target.case,
        "accepted",
    )
    target.refresh_from_db()
    assert (target.outcome, target.touchpoint) == ("accepted", touchpoint)


def test_do_not_contact_withdraws_the_consent_of_that_channel(target, agent):
    target_outcome_record(target=target, outcome="do_not_contact", by=agent, channel="sms")
    current = consent_current(customer=target.customer)
    sms = current[("sms", "marketing")]
    assert (sms.given, sms.source, sms.recorded_by) == (False, "customer_request", agent)
    assert current[("phone", "marketing")].given is True
    assert Touchpoint.objects.get(customer=target.customer).channel == "phone"


def test_only_the_assigned_agent_records_and_only_on_an_allowed_channel(
    target, colleague_lyon, agent
):
    with pytest.raises(DomainError) as caught:
        target_outcome_record(target=target, outcome="reached", by=colleague_lyon)
    assert caught.value.code == "forbidden"
    with pytest.raises(DomainError) as caught:
        target_outcome_record(target=target, outcome="reached", by=agent, channel="email")
    assert caught.value.code == "not_contactable"
    with pytest.raises(DomainError) as caught:
        target_outcome_record(target=target, outcome="maybe", by=agent)
    assert caught.value.field == "outcome"
    assert not ReconquestContact.objects.exists()
    assert not Touchpoint.objects.exists()


def test_a_closed_campaign_takes_no_more_outcomes(target, agent):
    target.campaign.status = CampaignStatus.CLOSED
    target.campaign.save()
    with pytest.raises(DomainError) as caught:
        target_outcome_record(target=target, outcome="reached", by=agent)
    assert caught.value.code == "not_active"
