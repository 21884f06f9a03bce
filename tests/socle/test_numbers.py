"""Decimals on pages are rounded, not cut: a bound of 3.99 reads +4,0, not +3,9."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from socle.numbers import number_text, signed_text


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (3.99, "+4,0"),
        (Decimal("3.99"), "+4,0"),
        (3.94, "+3,9"),
        (3.95, "+4,0"),  # half away from zero, as people round
        (-0.05, "\u22120,1"),
        (-3.99, "\u22124,0"),
        (-0.04, "0,0"),  # no −0,0
        (0, "0,0"),
        (13.66, "+13,7"),
    ],
)
def test_signed_rounds(value, shown):
    assert signed_text(value) == shown


@pytest.mark.parametrize(
    ("value", "digits", "shown"),
    [(3.99, 1, "4,0"), (72.46, 1, "72,5"), (99.999, 2, "100,00"), (Decimal("0.449"), 1, "0,4")],
)
def test_number_rounds(value, digits, shown):
    assert number_text(value, digits) == shown


def test_the_satisfaction_filters_round():
    rendered = Template(
        "{% load satisfaction_tags %}{{ low|points }} – {{ high|points }} · {{ gap|signed }}"
    ).render(Context({"low": 71.96, "high": 3.99, "gap": -2.96}))
    assert rendered == "72,0 – 4,0 · \u22123,0"


def test_the_reconquest_figures_round():
    rendered = Template(
        "{% load reconquete %}{{ rate|figure:'%' }} · {{ delta|change:'%' }}"
    ).render(Context({"rate": Decimal("41.25"), "delta": 3.99}))
    assert rendered == "41,3 % · +4,0 pt"
