"""Dates as French writes them: the first of the month is "1er", the short months are the
usual abbreviations ("juin", "juil.", not Django's "jui" for both); English keeps its own."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from socle.dates import date_text

MAY_DAY = datetime.date(2026, 5, 1)


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


@pytest.mark.parametrize(
    ("value", "format_string", "shown"),
    [
        (MAY_DAY, "j F Y", "1er mai 2026"),
        (datetime.date(2026, 5, 2), "j F Y", "2 mai 2026"),
        (MAY_DAY, "DATE_FORMAT", "1er mai 2026"),
        (MAY_DAY, None, "1er mai 2026"),
        (datetime.datetime(2026, 6, 1, 9, 5), "l j F Y, H:i", "lundi 1er juin 2026, 09:05"),
        (datetime.date(2026, 6, 3), "j b Y", "3 juin 2026"),
        (datetime.date(2026, 7, 3), "j b Y", "3 juil. 2026"),
        (datetime.date(2026, 7, 1), "j M Y", "1er juil. 2026"),
        (datetime.date(2026, 12, 1), "M Y", "déc. 2026"),
        (datetime.date(2026, 9, 14), "j b", "14 sept."),
        # figures only: nothing to write in words
        (MAY_DAY, "SHORT_DATE_FORMAT", "01/05/2026"),
        (MAY_DAY, "d/m/Y", "01/05/2026"),
        # an escaped letter stays a letter
        (MAY_DAY, r"\j\M j", "jM 1er"),
    ],
)
def test_french_dates(value, format_string, shown):
    assert date_text(value, format_string) == shown


def test_english_keeps_its_own_dates():
    with translation.override("en"):
        assert date_text(MAY_DAY, "j F Y") == "1 May 2026"
        assert date_text(MAY_DAY, "DATE_FORMAT") == "May 1, 2026"


def test_every_template_date_filter_writes_it(settings):
    settings.TIME_ZONE = "Europe/Paris"
    template = Template('{{ day|date:"j F Y" }} · {{ moment|date:"j b H:i" }} · {{ none|date }}')
    # 22:30 UTC on 30 June is 00:30 on 1 July in Paris: the filter reads local time
    moment = datetime.datetime(2026, 6, 30, 22, 30, tzinfo=datetime.UTC)
    shown = template.render(Context({"day": MAY_DAY, "moment": moment, "none": None}))
    assert shown == "1er mai 2026 · 1er juil. 00:30 · "
