"""campaign_create and campaign_launch: set-based targeting, consent, assignment."""

import datetime

import pytest
from django.utils import timezone

from agences import roles
from reconquete.models import CampaignStatus, CampaignTarget, CaseReason
from reconquete.services import CampaignData, campaign_create, campaign_launch
from relation_client.customers.consents import consent_record
from relation_client.touchpoints.models import Reason
from relation_client.touchpoints.services import touchpoint_log
from socle.errors import DomainError

pytestmark = pytest.mark.django_db


def data(agencies, **fields) -> CampaignData:
    values = {
        "name": "Reprenez le tram !",
        "offer_type": "free_month",
        "offer_text": "Un mois offert sur l'abonnement Tout Lyon.",
        "channels": ["phone"],
        "starts_on": datetime.date(2026, 11, 1),
        "ends_on": datetime.date(2026, 12, 31),
        "agencies": agencies,
        "segments": [],
        "reasons": [],
    }
    values.update(fields)
    return CampaignData(**values)


def consent(customer, channel, given, *, days_ago=30):
    consent_record(
        customer=customer,
        channel=channel,
        purpose="marketing",
        given=given,
        source="counter",
        at=timezone.now() - datetime.timedelta(days=days_ago),
    )


@pytest.fixture
def lost(make_customer, make_case, agent):
    """Six lost customers of Lyon, one of each consent situation."""
    people = {
        "allowed": make_customer(
            "Hélène", "Dupont-Lefèvre", phones=["06 12 34 56 78"], usual_contact=agent
        ),
        "refused": make_customer("Jérôme", "Gaël-Noël", phones=["06 22 33 44 55"]),
        "unknown": make_customer("Zoé", "Lacroix", phones=["06 98 76 54 32"]),
        "no_phone": make_customer("Noël", "Chevalier", emails=["noel@exemple.fr"]),
        "withdrew": make_customer("Inès", "Da Silva", phones=["06 11 11 11 11"]),
        "email": make_customer(
            "Loïc", "Régnier", phones=["06 55 55 55 55"], emails=["loic@exemple.fr"]
        ),
    }
    consent(people["allowed"], "phone", True)
    consent(people["refused"], "phone", False)
    consent(people["no_phone"], "phone", True)
    consent(people["withdrew"], "phone", True, days_ago=90)
    consent(people["withdrew"], "phone", False, days_ago=5)
    consent(people["email"], "email", True)
    for person in people.values():
        make_case(person)
    return people


def targets(campaign) -> dict:
    return {
        t.customer.first_name: t
        for t in CampaignTarget.objects.filter(campaign=campaign).select_related("customer")
    }


def test_only_consenting_customers_are_contactable_the_others_say_why(
    lost, manager_lyon, agency_lyon, colleague_lyon
):
    campaign = campaign_create(
        by=manager_lyon, data=data([agency_lyon], channels=["phone", "email"])
    )
    report = campaign_launch(campaign=campaign, by=manager_lyon)
    assert (report.targeted, report.contactable, report.not_contactable) == (6, 2, 4)
    found = targets(campaign)
    assert (found["Hélène"].contactable, found["Hélène"].channels) == (True, ["phone"])
    assert (found["Loïc"].contactable, found["Loïc"].channels) == (True, ["email"])
    reasons = {name: t.not_contactable_reason for name, t in found.items() if not t.contactable}
    assert reasons == {
        "Jérôme": "refused",
        "Zoé": "no_consent",
        "Noël": "no_contact_point",  # agreed to calls, but no phone number
        "Inès": "refused",  # withdrew since
    }
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.ACTIVE and campaign.launched_at


def test_contactable_targets_go_to_the_usual_contact_first_then_in_turn(
    lost, manager_lyon, agency_lyon, agent, colleague_lyon
):
    consent(lost["unknown"], "phone", True)
    consent(lost["refused"], "phone", True, days_ago=1)
    campaign = campaign_create(by=manager_lyon, data=data([agency_lyon]))
    report = campaign_launch(campaign=campaign, by=manager_lyon)
    assert report.assigned == report.contactable == 3
    found = targets(campaign)
    assert (found["Hélène"].agent, found["Hélène"].is_usual_contact) == (agent, True)
    # the others in turn among Lyon's front-line staff (the manager takes no calls)
    others = {found["Jérôme"].agent, found["Zoé"].agent}
    assert others == {agent, colleague_lyon}
    assert not found["Jérôme"].is_usual_contact
    assert found["Noël"].agent is None  # not contactable: nobody calls


def test_targeting_follows_the_campaign_filters(
    make_customer, make_case, manager_lyon, agency_lyon, agency_villeurbanne, agent, scolaires
):
    def person(first, **fields):
        customer = make_customer(first, "Mercier", phones=["06 00 00 00 01"], **fields)
        consent(customer, "phone", True)
        return customer

    pupil = person("Chloé", segment=scolaires)
    make_case(pupil, reason=CaseReason.INACTIVE, lost_since=datetime.date(2026, 6, 1))
    make_case(person("Agnès"), reason=CaseReason.INACTIVE, lost_since=datetime.date(2026, 6, 1))
    make_case(
        person("Rémi", segment=scolaires),
        reason=CaseReason.LAPSED_SUBSCRIPTION,
        lost_since=datetime.date(2026, 6, 1),
    )
    make_case(
        person("Cédric", segment=scolaires),
        reason=CaseReason.INACTIVE,
        lost_since=datetime.date(2025, 1, 1),
    )
    make_case(
        person("Yanis", segment=scolaires, home_agency=agency_villeurbanne),
        reason=CaseReason.INACTIVE,
        lost_since=datetime.date(2026, 6, 1),
    )
    recently_called = person("Joël", segment=scolaires)
    make_case(recently_called, reason=CaseReason.INACTIVE, lost_since=datetime.date(2026, 6, 1))
    touchpoint_log(
        agent=agent,
        customer=recently_called,
        channel="phone",
        direction="outbound",
        reason=Reason.objects.get(code="reconquest"),
        summary="Rappel au sujet de son abonnement",
        occurred_at=timezone.now() - datetime.timedelta(days=3),
    )
    campaign = campaign_create(
        by=manager_lyon,
        data=data(
            [agency_lyon],
            segments=[scolaires],
            reasons=[CaseReason.INACTIVE],
            lost_from=datetime.date(2026, 1, 1),
            quiet_days=7,
        ),
    )
    campaign_launch(campaign=campaign, by=manager_lyon)
    assert set(targets(campaign)) == {"Chloé"}


def test_a_campaign_is_launched_once(lost, manager_lyon, agency_lyon):
    campaign = campaign_create(by=manager_lyon, data=data([agency_lyon]))
    campaign_launch(campaign=campaign, by=manager_lyon)
    with pytest.raises(DomainError) as caught:
        campaign_launch(campaign=campaign, by=manager_lyon)
    assert caught.value.code == "already_launched"
    assert CampaignTarget.objects.filter(campaign=campaign).count() == 6


def test_a_manager_steers_only_their_agency(
    lost, manager_lyon, manager_villeurbanne, agency_lyon, agency_villeurbanne, make_staff
):
    with pytest.raises(DomainError) as caught:
        campaign_create(by=manager_villeurbanne, data=data([agency_lyon]))
    assert caught.value.code == "forbidden"
    campaign = campaign_create(by=manager_lyon, data=data([agency_lyon]))
    with pytest.raises(DomainError):
        campaign_launch(campaign=campaign, by=manager_villeurbanne)
    assert not CampaignTarget.objects.exists()
    director = make_staff("isabelle", "Isabelle Morel", roles.NETWORK_DIRECTOR, agency_lyon)
    both = campaign_create(by=director, data=data([agency_lyon, agency_villeurbanne]))
    assert campaign_launch(campaign=both, by=director).targeted == 6


def test_launch_queries_do_not_grow_with_the_targets(
    make_customer, make_case, manager_lyon, agency_lyon, django_assert_max_num_queries
):
    for n in range(12):
        customer = make_customer(f"Léa{n}", "Boucher", phones=[f"06 10 00 00 {n:02d}"])
        consent(customer, "phone", n % 2 == 0)
        consent(customer, "sms", n % 4 == 0)
        make_case(customer)
    campaign = campaign_create(by=manager_lyon, data=data([agency_lyon], channels=["phone", "sms"]))
    # the targeting's statements, then the SMS: one read of the targets, one insert
    with django_assert_max_num_queries(18):
        report = campaign_launch(campaign=campaign, by=manager_lyon)
    assert (report.targeted, report.contactable, report.sms) == (12, 6, 3)
