"""Dates on pages and in messages, written as the language writes them. Django's formats
get two things wrong in French: the first day of a month is "1er" ("1er mai", not
"1 mai"), and its short months ("jui" for both juin and juillet, "Déc") are not the
usual abbreviations ("juin", "juil.", "déc.", Django's "N").

Every date shown goes through here: `date_text` in Python, and in templates the `date`
filter, which this module replaces for every template (TEMPLATES' "builtins" in
relation_client/settings.py), so `{{ value|date:"j F Y" }}` writes "1er mai 2026"."""

import datetime

from django.template import Library, defaultfilters
from django.utils import formats, translation

register = Library()

# Django's format names ("DATE_FORMAT", "SHORT_DATETIME_FORMAT" …), as the date filter takes them
NAMED_FORMATS = {
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "MONTH_DAY_FORMAT",
}


def written_format(value, format_string: str | None = None) -> str:
    """The format to give Django for `value` in the active language: in French, the day
    "j" of a first of the month followed by "er", the short months ("b", "M") as "N"."""
    format_string = format_string or "DATE_FORMAT"
    if format_string in NAMED_FORMATS:
        format_string = formats.get_format(format_string)
    if not (translation.get_language() or "").startswith("fr"):
        return format_string
    first = getattr(value, "day", None) == 1
    written, escaped = [], False
    for char in format_string:
        if escaped:
            written.append(char)
            escaped = False
        elif char == "\\":
            written.append(char)
            escaped = True
        elif char in "bM":
            written.append("N")
        elif char == "j" and first:
            written.append(r"j\e\r")
        else:
            written.append(char)
    return "".join(written)


def date_text(value: datetime.date | datetime.datetime, format_string: str | None = None) -> str:
    """`value` (a date, or a datetime already in local time) in `format_string` or one of
    Django's format names: "1er juillet 2026", "3 juil. 2026"."""
    return formats.date_format(value, written_format(value, format_string))


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Django's date filter, in the language's own wording (written_format)."""
    if value in (None, ""):
        return ""
    return defaultfilters.date(value, written_format(value, arg))
