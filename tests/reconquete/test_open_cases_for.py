"""open_cases_for and the _case_banner.html partial: what the caller box and the
customer page show of an open reconquest case."""

import datetime

import pytest
from django.template.loader import render_to_string

from reconquete.models import CampaignStatus, CaseReason, CaseStatus
from reconquete.selectors import open_cases_for
from tests.support.time import paris

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(make_customer, make_case, make_campaign, make_target, agent, agency_lyon):
    helene = make_customer()
    jerome = make_customer("Jérôme", "Gaël-Noël")
    zoe = make_customer("Zoé", "Lacroix")
    lapsed = make_case(
        helene,
        reason=CaseReason.LAPSED_SUBSCRIPTION,
        lost_since=datetime.date(2026, 1, 31),
        opened_at=paris(2026, 3, 10, 2, 0),
        details={
            "product": "Pass Partout mensuel",
            "contract": "ABO-A",
            "ended_on": "2026-01-31",
            "grace_days": 30,
        },
    )
    campaign = make_campaign(
        agent,
        [agency_lyon],
        name="Printemps du tram",
        offer_type="discount",
        offer_text="-30 % pendant six mois.",
        status=CampaignStatus.ACTIVE,
    )
    make_target(campaign, lapsed, agent=agent)
    make_case(
        jerome,
        reason=CaseReason.RIDERSHIP_DROP,
        details={"baseline": "30.00", "recent": "10.00", "ratio_percent": 33, "drop_months": 3},
    )
    make_case(zoe, status=CaseStatus.WON_BACK, won_back_at=paris(2026, 4, 1, 12, 0))
    return helene, jerome, zoe


def test_one_query_for_any_number_of_customers(cases, django_assert_num_queries):
    helene, jerome, zoe = cases
    with django_assert_num_queries(1):
        found = open_cases_for([helene.pk, jerome.pk, zoe.pk])
    assert set(found) == {helene.pk, jerome.pk}  # Zoé came back: no open case
    summary = found[helene.pk]
    assert summary.reason_label == "Abonnement non renouvelé"
    assert summary.lost_since == datetime.date(2026, 1, 31)
    assert summary.explanation == (
        "Abonnement « Pass Partout mensuel » terminé le 31 janvier 2026, "
        "non renouvelé après 30 jours."
    )
    assert (summary.campaign_name, summary.offer_type_label, summary.offer_text) == (
        "Printemps du tram",
        "Réduction",
        "-30 % pendant six mois.",
    )
    drop = found[jerome.pk]
    assert drop.reason_label == "Fréquentation en forte baisse"
    assert drop.explanation == (
        "10,00 voyages par mois sur les 3 derniers mois, contre 30,00 en période de "
        "référence (33 %)."
    )
    assert drop.campaign_name is None


def test_nothing_asked_nothing_read(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert open_cases_for([]) == {}


def test_the_banner_says_why_since_when_and_the_offer(cases):
    helene, jerome, _zoe = cases
    found = open_cases_for([helene.pk, jerome.pk])
    html = render_to_string("reconquete/partials/_case_banner.html", {"case": found[helene.pk]})
    assert "Client à reconquérir" in html and "Abonnement non renouvelé" in html
    assert "Perdu depuis le 31 janvier 2026" in html
    assert "Campagne « Printemps du tram »" in html and "-30 % pendant six mois." in html
    html = render_to_string("reconquete/partials/_case_banner.html", {"case": found[jerome.pk]})
    assert "Aucune campagne en cours" in html
