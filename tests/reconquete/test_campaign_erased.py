"""A campaign never targets a record erased at the person's request: the erased record is
read-only, and a call list naming "Anonyme #42" would be useless anyway."""

import pytest

from reconquete.models import CampaignTarget
from reconquete.services import campaign_create, campaign_launch
from relation_client.privacy.services import customer_erase
from tests.reconquete.test_campaign_launch import consent, data

pytestmark = pytest.mark.django_db


def test_an_erased_customer_with_an_open_case_is_not_targeted(
    make_customer, make_case, manager_lyon, agency_lyon, dpo
):
    kept = make_customer("Hélène", "Dupont-Lefèvre", phones=["06 12 34 56 78"])
    erased = make_customer("Zoé", "Besançon", phones=["04 78 00 11 22"])
    for person in (kept, erased):
        consent(person, "phone", True)
        make_case(person)
    customer_erase(customer=erased, user=dpo.user, reason="Demande écrite du 3 mars")
    campaign = campaign_create(by=manager_lyon, data=data([agency_lyon]))
    report = campaign_launch(campaign=campaign, by=manager_lyon)
    assert report.targeted == 1
    assert list(CampaignTarget.objects.values_list("customer_id", flat=True)) == [kept.pk]
