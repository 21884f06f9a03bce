"""case_outcome_record: a reconquest outcome on a touchpoint logged in the workspace."""

import pytest

from reconquete.models import CampaignStatus, ReconquestContact
from reconquete.services import case_outcome_record
from relation_client.customers.consents import consent_current
from relation_client.customers.models import ConsentChannel
from relation_client.touchpoints.models import Reason
from relation_client.touchpoints.services import touchpoint_log
from socle.errors import DomainError

pytestmark = pytest.mark.django_db


def log(agent, customer, channel="counter"):
    return touchpoint_log(
        agent=agent,
        customer=customer,
        channel=channel,
        reason=Reason.objects.get(code="information"),
        summary="Est passée demander les horaires de la ligne C3 ; offre présentée.",
        outcome="answered",
    )


def test_the_outcome_joins_the_case_and_the_campaign_that_targets_it(
    helene, agent, make_case, make_campaign, make_target, agency_lyon
):
    case = make_case(helene)
    old = make_campaign(agent, [agency_lyon], name="Hiver", status=CampaignStatus.CLOSED)
    make_target(old, case, agent=agent)
    current = make_campaign(agent, [agency_lyon], status=CampaignStatus.ACTIVE)
    target = make_target(current, case, agent=agent)
    touchpoint = log(agent, helene)
    contact = case_outcome_record(touchpoint=touchpoint, outcome="accepted")
    assert (contact.case, contact.campaign, contact.target) == (case, current, target)
    assert (contact.channel, contact.occurred_at, contact.agent) == (
        "counter",
        touchpoint.occurred_at,
        agent,
    )
    target.refresh_from_db()
    assert (target.outcome, target.touchpoint) == ("accepted", touchpoint)


def test_without_a_campaign_the_outcome_still_counts(helene, agent, make_case):
    case = make_case(helene)
    contact = case_outcome_record(touchpoint=log(agent, helene, "phone"), outcome="reached")
    assert (contact.case, contact.campaign) == (case, None)


def test_at_the_counter_do_not_contact_withdraws_every_channel(helene, agent, make_case):
    make_case(helene)
    case_outcome_record(touchpoint=log(agent, helene), outcome="do_not_contact")
    current = consent_current(customer=helene)
    assert {channel for channel, _purpose in current} == set(ConsentChannel.values)
    assert all(not c.given and c.source == "customer_request" for c in current.values())


def test_on_the_phone_do_not_contact_withdraws_the_phone_only(helene, agent, make_case):
    make_case(helene)
    case_outcome_record(touchpoint=log(agent, helene, "phone"), outcome="do_not_contact")
    assert list(consent_current(customer=helene)) == [("phone", "marketing")]


def test_refused_without_an_open_case_or_twice(helene, agent, make_case):
    touchpoint = log(agent, helene)
    with pytest.raises(DomainError) as caught:
        case_outcome_record(touchpoint=touchpoint, outcome="accepted")
    assert caught.value.code == "no_open_case"
    make_case(helene)
    case_outcome_record(touchpoint=touchpoint, outcome="accepted")
    with pytest.raises(DomainError) as caught:
        case_outcome_record(touchpoint=touchpoint, outcome="declined")
    assert caught.value.code == "already_recorded"
    assert ReconquestContact.objects.count() == 1
