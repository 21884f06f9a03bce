"""A marketing consent withdrawn after the launch counts at once (CNIL): the call list,
the outcome and the targets' CSV all read the current consent."""

import pytest
from django.urls import reverse

from reconquete.models import ReconquestContact
from reconquete.services import campaign_launch, target_outcome_record
from relation_client.customers.consents import consent_record
from socle.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def launched(make_customer, make_case, make_campaign, manager_lyon, agent, agency_lyon):
    helene = make_customer(phones=["06 12 34 56 78"], usual_contact=agent)
    consent_record(
        customer=helene, channel="phone", purpose="marketing", given=True, source="counter"
    )
    make_case(helene)
    campaign = make_campaign(manager_lyon, [agency_lyon])
    campaign_launch(campaign=campaign, by=manager_lyon)
    target = campaign.targets.get()
    assert (target.contactable, target.agent) == (True, agent)
    return target


def _withdraw(customer):
    consent_record(
        customer=customer, channel="phone", purpose="marketing", given=False, source="phone"
    )


def test_a_withdrawal_takes_the_customer_off_the_call_list(client, agent, launched):
    client.force_login(agent.user)
    url = reverse("reconquete:call_list")
    assert [i["target"].pk for i in client.get(url).context["items"]] == [launched.pk]
    _withdraw(launched.customer)
    assert client.get(url).context["items"] == []


def test_a_withdrawal_refuses_the_outcome(agent, launched):
    _withdraw(launched.customer)
    with pytest.raises(DomainError) as caught:
        target_outcome_record(target=launched, outcome="accepted", by=agent)
    assert caught.value.code == "consent_withdrawn"
    assert str(caught.value).startswith("Ce client a retiré son consentement")
    assert not ReconquestContact.objects.exists()


def test_a_consent_given_again_puts_the_customer_back(agent, launched):
    _withdraw(launched.customer)
    consent_record(
        customer=launched.customer,
        channel="phone",
        purpose="marketing",
        given=True,
        source="counter",
    )
    contact = target_outcome_record(target=launched, outcome="reached", by=agent)
    assert contact.outcome == "reached"


def test_the_htmx_outcome_after_a_withdrawal_answers_the_reason(client, agent, launched):
    client.force_login(agent.user)
    _withdraw(launched.customer)
    response = client.post(
        reverse("reconquete:target_outcome", args=[launched.pk]),
        {f"t{launched.pk}-outcome": "accepted", f"t{launched.pk}-channel": "phone"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Ce client a retiré son consentement" in response.content.decode()
    assert not ReconquestContact.objects.exists()


def test_the_export_and_the_page_say_non_after_a_withdrawal(client, manager_lyon, launched):
    client.force_login(manager_lyon.user)
    export = reverse("reconquete:campaign_export", args=[launched.campaign_id])
    text = b"".join(client.get(export).streaming_content).decode()
    assert "Hélène Dupont-Lefèvre;oui;phone;" in text
    _withdraw(launched.customer)
    text = b"".join(client.get(export).streaming_content).decode()
    assert "Hélène Dupont-Lefèvre;non;;Consentement refusé ou retiré;" in text
    detail = client.get(launched.campaign.get_absolute_url(), {"cibles": "non-contactables"})
    assert [t.pk for t in detail.context["page"].object_list] == [launched.pk]
    assert detail.context["counts"]["n_contactable"] == 0
