"""45 customers all called Camille Martin, told apart only by what a line of search results
shows: birth year, town, usual contact and their agency, the end of their phone number.
A plugin of tests/conftest.py."""

import datetime

import pytest

HOMONYMS = 45


def birth_year_of(index: int) -> int:
    return 1950 + index


def address_of(index: int) -> str:
    if index % 2:
        return f"{index} cours Émile-Zola\n69100 Villeurbanne"
    return f"{index} rue Mercière, 6900{index % 9 + 1} Lyon"


@pytest.fixture
def camille_martins(make_customer, agent, agent_villeurbanne):
    """The 45 namesakes in creation (hence result) order; even ones live in Lyon and are
    followed by Camille Rousseau, odd ones in Villeurbanne by Théo Marchand."""
    return [
        make_customer(
            "Camille",
            "Martin",
            birth_date=datetime.date(birth_year_of(index), 3, 1 + index % 28),
            postal_address=address_of(index),
            usual_contact=agent if index % 2 == 0 else agent_villeurbanne,
            phones=[f"06 12 34 56 {index:02d}"],
        )
        for index in range(HOMONYMS)
    ]
