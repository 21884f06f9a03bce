import pytest

from relation_client.customers.normalize import email_normalize, phone_display, phone_normalize
from socle.errors import DomainError


@pytest.mark.parametrize(
    "spelling",
    [
        "06 12 34 56 78",
        "0612345678",
        "+33 6 12 34 56 78",
        "0033612345678",
        "06.12.34.56.78",
        "+33 (0)6 12 34 56 78",
    ],
)
def test_every_usual_spelling_is_one_number(spelling):
    assert phone_normalize(spelling) == "+33612345678"


def test_foreign_numbers_keep_their_country():
    assert phone_normalize("+34 612 34 56 78") == "+34612345678"
    assert phone_display("+33612345678") == "06 12 34 56 78"


@pytest.mark.parametrize("bad", ["12", "06 12", "bonjour", ""])
def test_invalid_phone_is_refused_with_a_french_message(bad):
    with pytest.raises(DomainError) as error:
        phone_normalize(bad)
    assert error.value.code == "invalid_phone"
    assert error.value.field == "phones"
    assert "n'est pas un numéro de téléphone valide" in str(error.value)


def test_emails_are_case_folded_and_validated():
    assert email_normalize("  Helene.Dupont@Exemple.FR ") == "helene.dupont@exemple.fr"
    assert email_normalize("chloe@société-générale.fr") == "chloe@société-générale.fr"
    with pytest.raises(DomainError) as error:
        email_normalize("helene@")
    assert error.value.code == "invalid_email"
