"""A customer's birth beside their name agrees with their civility: "née" for Madame, "né"
for Monsieur, "né(e)" only when the civility is unknown."""

import datetime

import pytest
from django.utils import translation

from relation_client.customers.greetings import agency_words, birth_words
from relation_client.customers.models import Civility, Customer


def customer(civility, birth_date=datetime.date(1968, 5, 1)) -> Customer:
    return Customer(
        first_name="Dominique", last_name="Léger", civility=civility, birth_date=birth_date
    )


@pytest.mark.parametrize(
    ("civility", "day", "year"),
    [
        (Civility.MADAME, "née le 1er mai 1968", "née en 1968"),
        (Civility.MONSIEUR, "né le 1er mai 1968", "né en 1968"),
        ("", "né(e) le 1er mai 1968", "né(e) en 1968"),
    ],
)
def test_the_birth_agrees_with_the_civility(civility, day, year):
    with translation.override("fr"):
        assert birth_words(customer(civility)) == day
        assert birth_words(customer(civility), year_only=True) == year


def test_no_birth_date_says_nothing():
    assert birth_words(customer(Civility.MADAME, birth_date=None)) == ""


def test_in_english():
    with translation.override("en"):
        assert birth_words(customer(Civility.MADAME)) == "born on 1 May 1968"
        assert birth_words(customer(Civility.MONSIEUR), year_only=True) == "born in 1968"


@pytest.mark.parametrize(
    ("civility", "shown"),
    [
        (Civility.MADAME, "rattachée à Vénissieux Gare"),
        (Civility.MONSIEUR, "rattaché à Vénissieux Gare"),
        ("", "rattaché(e) à Vénissieux Gare"),
    ],
)
def test_the_home_agency_agrees_with_the_civility(civility, shown):
    with translation.override("fr"):
        assert agency_words(customer(civility), "Vénissieux Gare") == shown
