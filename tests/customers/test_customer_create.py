import datetime

import pytest

from relation_client.customers.models import ContactPoint, Customer, Identifier
from relation_client.customers.services import CustomerData, DuplicateSuspected, customer_create
from socle.errors import DomainError

pytestmark = pytest.mark.django_db


def data(**overrides) -> CustomerData:
    values = {
        "first_name": "Hélène",
        "last_name": "Dupont-Lefèvre",
        "civility": "mme",
        "phones": ["06 12 34 56 78"],
        "emails": ["Helene.Dupont@Exemple.fr"],
        "birth_date": datetime.date(1968, 4, 12),
        "cards": ["tcl 0042 1968"],
    }
    values.update(overrides)
    return CustomerData(**values)


def test_creates_with_normalised_contact_points():
    customer = customer_create(data=data(phones=["06 12 34 56 78", "+33 6 12 34 56 78"]))
    assert customer.salutation == "Mme Hélène Dupont-Lefèvre"
    assert list(customer.contact_points.values_list("kind", "value")) == [
        ("email", "helene.dupont@exemple.fr"),
        ("phone", "+33612345678"),
    ]
    assert customer.identifiers.get().number == "TCL00421968"


def test_invalid_phone_saves_nothing():
    with pytest.raises(DomainError) as error:
        customer_create(data=data(phones=["06 12 34 56 78", "06 12"]))
    assert (error.value.code, error.value.field) == ("invalid_phone", "phones")
    assert (
        Customer.objects.count() == ContactPoint.objects.count() == Identifier.objects.count() == 0
    )


def test_invalid_email_saves_nothing():
    with pytest.raises(DomainError) as error:
        customer_create(data=data(emails=["helene@"]))
    assert error.value.field == "emails"
    assert Customer.objects.count() == 0


@pytest.mark.parametrize(
    "twin",
    [
        {
            "first_name": "Marc",
            "last_name": "Martin",
            "phones": ["0612345678"],
            "emails": [],
            "cards": [],
        },
        {
            "first_name": "Marc",
            "last_name": "Martin",
            "phones": [],
            "emails": ["HELENE.DUPONT@exemple.fr"],
            "cards": [],
        },
        {
            "first_name": "Helene",
            "last_name": "Dupont Lefevre",
            "phones": [],
            "emails": [],
            "cards": [],
        },
    ],
)
def test_likely_duplicates_are_shown_and_asked(twin):
    existing = customer_create(data=data())
    with pytest.raises(DuplicateSuspected) as suspected:
        customer_create(data=data(**twin))
    assert suspected.value.matches == [existing]
    assert Customer.objects.count() == 1
    customer_create(data=data(**twin), confirm_duplicate=True)
    assert Customer.objects.count() == 2


def test_a_close_spelling_with_the_same_birth_date_is_a_likely_duplicate():
    # no shared phone, e-mail or card: only the name, spelled as heard on the phone
    existing = customer_create(
        data=data(first_name="Hélène", last_name="Dupont", phones=[], emails=[], cards=[])
    )
    with pytest.raises(DuplicateSuspected) as suspected:
        customer_create(
            data=data(first_name="Helene", last_name="Dupond", phones=[], emails=[], cards=[])
        )
    assert suspected.value.matches == [existing]


def test_a_different_name_with_the_same_birth_date_is_not_a_duplicate():
    customer_create(data=data(first_name="Hélène", last_name="Dupont", phones=[], emails=[]))
    customer_create(
        data=data(first_name="Gaëlle", last_name="Béranger", phones=[], emails=[], cards=[])
    )
    assert Customer.objects.count() == 2


def test_same_name_other_birth_date_is_not_a_duplicate():
    customer_create(data=data())
    customer_create(data=data(phones=[], emails=[], cards=[], birth_date=datetime.date(1990, 1, 1)))
    assert Customer.objects.count() == 2


def test_card_number_of_someone_else_is_refused():
    customer_create(data=data())
    with pytest.raises(DomainError) as error:
        customer_create(
            data=data(
                first_name="Paul",
                last_name="Béranger",
                phones=[],
                emails=[],
                birth_date=None,
                cards=["TCL00421968"],
            ),
            confirm_duplicate=True,
        )
    assert (error.value.code, error.value.field) == ("identifier_taken", "cards")
    assert Customer.objects.count() == 1
