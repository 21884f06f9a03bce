"""POST /api/v1/customers/: all or nothing, duplicates shown before creating."""

import pytest
from django.urls import reverse

from relation_client.customers.models import ContactPoint, Customer, Identifier
from tests.api.conftest import error_of

URL = reverse("api:customer-list")

HELENE = {
    "civility": "mme",
    "first_name": "Hélène",
    "last_name": "Dupont-Lefèvre",
    "preferred_language": "fr",
    "birth_date": "1968-04-12",
    "postal_address": "12 rue de la Part-Dieu\n69003 Lyon",
    "needs": "Malvoyante : préfère les courriers en gros caractères.",
    "tags": ["gros caractères"],
    "phones": ["06 12 34 56 78", "04 78 00 00 01"],
    "emails": ["Helene.Dupont@Exemple.fr"],
    "cards": ["TCL 0042 1968"],
    "contracts": ["ABO-2024-0007"],
}


def counts():
    return Customer.objects.count(), ContactPoint.objects.count(), Identifier.objects.count()


def test_creates_the_customer_with_normalised_contacts(api_client, agent, agency_lyon):
    payload = {**HELENE, "home_agency": agency_lyon.pk, "usual_contact": agent.pk}

    response = api_client.post(URL, payload)

    assert response.status_code == 201, response.json()
    body = response.json()
    customer = Customer.objects.get()
    assert response["Location"] == reverse("api:customer-detail", args=[customer.pk])
    assert body["id"] == customer.pk
    assert body["salutation"] == "Mme Hélène Dupont-Lefèvre"
    assert body["phones"] == [
        {"e164": "+33612345678", "display": "06 12 34 56 78", "label": ""},
        {"e164": "+33478000001", "display": "04 78 00 00 01", "label": ""},
    ]
    assert body["emails"] == ["helene.dupont@exemple.fr"]
    assert {(i["kind"], i["number"]) for i in body["identifiers"]} == {
        ("card", "TCL00421968"),
        ("contract", "ABO-2024-0007"),
    }
    assert body["home_agency"] == {"id": agency_lyon.pk, "name": "Lyon Part-Dieu"}
    assert body["usual_contact"]["display_name"] == "Camille Rousseau"
    assert body["needs"] == HELENE["needs"]


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("phones", ["06 12 34 56 78", "06 12"], "invalid_phone"),
        ("emails", ["helene.dupont@"], "invalid_email"),
    ],
)
def test_an_invalid_contact_point_saves_nothing(api_client, field, value, code):
    response = api_client.post(URL, {**HELENE, field: value})

    assert response.status_code == 400
    body = error_of(response)
    assert (body["code"], body["field"]) == (code, field)
    assert "n'est pas" in body["detail"]
    assert counts() == (0, 0, 0)


def test_a_possible_duplicate_asks_then_creates_when_confirmed(api_client, helene):
    payload = {"first_name": "Hélène", "last_name": "Dupont", "phones": ["0612345678"]}

    asked = api_client.post(URL, payload)

    assert asked.status_code == 409
    body = error_of(asked)
    assert body["code"] == "possible_duplicate"
    assert body["matches"] == [
        {
            "id": helene.pk,
            "name": "Hélène Dupont-Lefèvre",
            "salutation": "Mme Hélène Dupont-Lefèvre",
        }
    ]
    assert Customer.objects.count() == 1

    confirmed = api_client.post(URL, {**payload, "confirm_duplicate": True})

    assert confirmed.status_code == 201
    assert Customer.objects.count() == 2


def test_a_card_of_someone_else_is_refused(api_client, helene):
    response = api_client.post(
        URL, {"first_name": "Noël", "last_name": "Bérard", "cards": ["tcl 0042 1968"]}
    )

    assert response.status_code == 400
    assert (error_of(response)["code"], error_of(response)["field"]) == (
        "identifier_taken",
        "cards",
    )
    assert Customer.objects.count() == 1


def test_unknown_references_are_named(api_client):
    response = api_client.post(
        URL, {"first_name": "Noël", "last_name": "Bérard", "usual_contact": 987654}
    )

    assert response.status_code == 400
    body = error_of(response)
    assert (body["code"], body["field"]) == ("does_not_exist", "usual_contact")
    assert Customer.objects.count() == 0


def test_anonymous_cannot_create(anonymous_client):
    response = anonymous_client.post(URL, HELENE)

    assert response.status_code == 401
    assert Customer.objects.count() == 0
