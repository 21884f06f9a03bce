import pytest
from django.urls import reverse

from relation_client.customers.selectors import customers_by_phone

pytestmark = pytest.mark.django_db


def lookup(client, phone):
    return client.get(
        reverse("customers:incoming_call"), {"phone": phone}, headers={"HX-Request": "true"}
    ).content.decode()


@pytest.mark.parametrize(
    "spelling", ["06 12 34 56 78", "0612345678", "+33 6 12 34 56 78", "0033612345678"]
)
def test_any_spelling_greets_the_caller_by_name(agent_client, helene, spelling):
    page = lookup(agent_client, spelling)
    assert "Mme Hélène Dupont-Lefèvre" in page
    assert "Camille Rousseau" in page
    assert "présent(e) aujourd" in page
    assert f"{helene.get_absolute_url()}?canal=phone" in page


def test_unknown_number_offers_to_create_the_customer(agent_client, helene):
    page = lookup(agent_client, "07 98 76 54 32")
    assert "Numéro inconnu" in page
    assert "/clients/nouveau/?phones=07+98+76+54+32" in page


def test_shared_number_lists_everyone(agent_client, make_customer):
    make_customer("Jean", "de La Fontaine", phones=["04 78 12 34 56"])
    make_customer("Marie", "de La Fontaine", phones=["+33478123456"])
    page = lookup(agent_client, "04 78 12 34 56")
    assert "2 personnes utilisent ce numéro" in page
    assert "Jean de La Fontaine" in page and "Marie de La Fontaine" in page


def test_invalid_number_is_explained(agent_client):
    assert "n'est pas un numéro de téléphone valide" in lookup(agent_client, "12")


def test_home_page_has_the_incoming_call_box(agent_client):
    page = agent_client.get("/").content.decode()
    assert "Appel entrant" in page and 'id="id_phone"' in page


@pytest.mark.parametrize(
    ("lyon_open", "villeurbanne_open", "available"), [(False, True, True), (True, False, False)]
)
def test_a_usual_contact_of_another_agency_is_present_by_their_own_agencys_hours(
    customer_with_contact_elsewhere,
    agency_lyon,
    agency_villeurbanne,
    lyon_open,
    villeurbanne_open,
    available,
):
    # Jérôme is a Lyon customer; Théo, his usual contact, works in Villeurbanne
    every_day = {str(day): [["08:00", "19:00"]] for day in range(1, 8)}
    for agency, is_open in ((agency_lyon, lyon_open), (agency_villeurbanne, villeurbanne_open)):
        agency.opening_hours = every_day if is_open else {}
        agency.save()
    [match] = customers_by_phone(raw="07 98 76 54 32")
    assert match.customer == customer_with_contact_elsewhere
    assert match.customer.usual_contact.display_name == "Théo Marchand"
    assert match.usual_contact_available is available
