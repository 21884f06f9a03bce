import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from agences.models import Agency, Agent
from demo.seed.network import DEMO_PASSWORD
from relation_client.customers.models import Consent, Customer
from relation_client.network.models import Line

pytestmark = pytest.mark.django_db


def counts():
    return (
        Agency.objects.count(),
        Agent.objects.count(),
        Customer.objects.count(),
        get_user_model().objects.count(),
    )


def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo", customers=120)
    first = counts()
    call_command("seed_demo", customers=120)
    assert counts() == first
    assert "0 agence(s), 0 agent(s), 0 client(s), 0 contact(s), 0 demande(s) créés" in (
        capsys.readouterr().out
    )


def test_seed_demo_builds_a_believable_network():
    call_command("seed_demo", customers=300)
    assert Agency.objects.count() >= 3
    # and Marie de La Fontaine, who shares Jean's landline
    assert Customer.objects.count() == 301
    helene = Customer.objects.get(first_name="Hélène", last_name="Dupont-Lefèvre")
    assert helene.salutation == "Mme Hélène Dupont-Lefèvre"
    assert Customer.objects.filter(last_name="de La Fontaine").exists()
    agent = get_user_model().objects.get(username="agent.lyon")
    assert agent.check_password(DEMO_PASSWORD)
    assert agent.agent.agency.name == "Lyon Part-Dieu"
    roles_present = set(get_user_model().objects.values_list("groups__name", flat=True))
    assert {
        "agent",
        "superviseur",
        "manager",
        "direction_reseau",
        "dpo",
        "administrateur",
    } <= roles_present
    # the network's lines and stops, from the demo's GTFS (demo/gtfs): the disruptions'
    # riders and the caller card's « ligne C3 perturbée » need them
    c3 = Line.objects.get(short_name="C3")
    assert c3.stops.count() >= 3
    assert Line.objects.count() >= 4
    # disruption warnings ask for their own consent: a believable share of riders gave it,
    # by e-mail or SMS, independently of offers
    travel = Consent.objects.filter(purpose="travel_info")
    warned = travel.filter(given=True).values("customer").distinct().count()
    assert 0.2 * 301 <= warned <= 0.8 * 301, warned
    assert travel.filter(given=False).exists()
    assert set(travel.values_list("channel", flat=True)) == {"email", "sms"}
    offers_only = (
        Consent.objects.filter(purpose="marketing", given=True)
        .exclude(customer__in=travel.filter(given=True).values("customer"))
        .exists()
    )
    assert offers_only
