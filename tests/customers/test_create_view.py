import pytest
from django.urls import reverse

from relation_client.customers.models import ContactPoint, Customer

pytestmark = pytest.mark.django_db


def form(**fields):
    values = {
        "civility": "mme",
        "first_name": "Chloé",
        "last_name": "Béranger",
        "phones": "06 98 76 54 32",
        "emails": "",
        "preferred_language": "fr",
    }
    values.update(fields)
    return values


def test_create_then_land_on_the_customer_page(agent_client):
    response = agent_client.post(reverse("customers:create"), form())
    customer = Customer.objects.get()
    assert response["Location"] == customer.get_absolute_url()
    assert customer.contact_points.get().value == "+33698765432"


def test_invalid_phone_gives_a_field_message_and_creates_nothing(agent_client):
    response = agent_client.post(reverse("customers:create"), form(phones="06 98, 01 23"))
    page = response.content.decode()
    assert "« 06 98 » n&#x27;est pas un numéro de téléphone valide." in page
    assert Customer.objects.count() == ContactPoint.objects.count() == 0


def test_duplicate_is_shown_and_asked(agent_client, helene):
    response = agent_client.post(
        reverse("customers:create"),
        form(first_name="Hélène", last_name="Dupont", phones="0612345678"),
    )
    page = response.content.decode()
    assert "Cette personne existe peut-être déjà" in page
    assert helene.get_absolute_url() in page
    assert Customer.objects.count() == 1
    agent_client.post(
        reverse("customers:create"),
        form(first_name="Hélène", last_name="Dupont", phones="0612345678", confirm_duplicate="on"),
    )
    assert Customer.objects.count() == 2


def test_unknown_number_prefills_the_form(agent_client):
    page = agent_client.get(
        reverse("customers:create"), {"phones": "07 98 76 54 32"}
    ).content.decode()
    assert 'value="07 98 76 54 32"' in page
