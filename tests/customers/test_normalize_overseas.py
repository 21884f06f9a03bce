"""French overseas numbers: national and international spellings give one E.164 with the
territory's own country code, never +33."""

import pytest

from relation_client.customers.normalize import phone_display, phone_normalize

OVERSEAS = [
    # territory, national spelling, E.164
    ("Réunion mobile", "0692 12 34 56", "+262692123456"),
    ("Réunion fixe", "0262 16 12 34", "+262262161234"),
    ("Mayotte mobile", "0639 01 23 45", "+262639012345"),
    ("Mayotte fixe", "0269 60 12 34", "+262269601234"),
    ("Guadeloupe mobile", "0690 00 12 34", "+590690001234"),
    ("Guadeloupe fixe", "0590 20 12 34", "+590590201234"),
    ("Saint-Barthélemy fixe", "0590 27 12 34", "+590590271234"),
    ("Martinique mobile", "0696 20 12 34", "+596696201234"),
    ("Martinique fixe", "0596 30 12 34", "+596596301234"),
    ("Guyane mobile", "0694 20 12 34", "+594694201234"),
    ("Guyane fixe", "0594 10 12 34", "+594594101234"),
]


def _spellings(national: str, e164: str) -> list[str]:
    digits = national.replace(" ", "")
    international = e164[1:]
    return [
        national,
        digits,
        national.replace(" ", "."),
        e164,
        "00" + international,
        "+" + international[:3] + " " + national[1:],  # +262 692 12 34 56
        "+" + international[:3] + " (0)" + national[1:],
        "+33 " + national[1:],  # a common mistake: the metropolitan code
        "0033" + digits[1:],
    ]


@pytest.mark.parametrize(("territory", "national", "e164"), OVERSEAS, ids=[t[0] for t in OVERSEAS])
def test_every_spelling_of_an_overseas_number_is_one_number(territory, national, e164):
    assert {phone_normalize(s) for s in _spellings(national, e164)} == {e164}


@pytest.mark.parametrize(("territory", "national", "e164"), OVERSEAS, ids=[t[0] for t in OVERSEAS])
def test_overseas_numbers_are_shown_the_french_way(territory, national, e164):
    assert phone_display(e164) == national
    assert phone_normalize(phone_display(e164)) == e164


@pytest.mark.parametrize(
    ("spelling", "e164"),
    [
        ("01 42 68 53 00", "+33142685300"),
        ("05 56 00 12 34", "+33556001234"),
        ("07 81 23 45 67", "+33781234567"),
        ("09 70 12 34 56", "+33970123456"),
    ],
)
def test_metropolitan_numbers_stay_under_33(spelling, e164):
    assert phone_normalize(spelling) == e164
