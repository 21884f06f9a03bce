"""Texts stored as a code and parameters, written in the reader's language when read.

An alert or an audit row keeps `code` ("repeat_contact") and `params` ({"count": 3, …}):
names, numbers, dates as ISO strings, ids, choice codes. The sentence is made at read
time from the template registered for the code, a gettext_lazy string with named
placeholders, in the language active for the reader (the request's, through
LocaleMiddleware). Each layer registers its own templates from its AppConfig.ready():
the core in relation_client/messages.py, a satellite in its own messages module, so the
core never imports them.

A parameter may name a formatter, run at read time too: a choice's code shown by its
label, a date in the reader's date order, an amount with the reader's decimal mark.
Formatters take what they cannot read as it is: rows converted from the old French
sentences carry the words they held.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.formats import number_format

from socle.dates import date_text

# rows written before the codes: the French sentence they held is their only text
LEGACY = "legacy"

Formatter = Callable[[object], str]


@dataclass(frozen=True)
class Template:
    text: object  # a gettext_lazy string with %(name)s placeholders
    formats: dict[str, Formatter] = field(default_factory=dict)


_TEMPLATES: dict[str, Template] = {}


def register(code: str, text, **formats: Formatter) -> None:
    """Register the template for `code`; `formats` name a formatter per parameter.
    Registering a code again replaces its template (an app's ready() run twice)."""
    _TEMPLATES[code] = Template(text=text, formats=formats)


def registered(code: str) -> bool:
    return code in _TEMPLATES


def codes() -> list[str]:
    return sorted(_TEMPLATES)


def render(code: str, params: dict | None, fallback: str = "") -> str:
    """The text for the reader, in the active language. An unknown code, a legacy row or
    a template whose parameters are missing gives the stored fallback (or params["text"])
    rather than an error on a page."""
    params = params or {}
    legacy = str(params.get("text") or fallback)
    template = _TEMPLATES.get(code)
    if template is None:
        return legacy
    values = {
        name: template.formats[name](value) if name in template.formats else value
        for name, value in params.items()
    }
    try:
        return str(template.text) % values
    except (KeyError, ValueError, TypeError):
        return legacy


# --- Formatters ----------------------------------------------------------------------------


def label(choices, *, lower: bool = False) -> Formatter:
    """A choice's code shown by its label in the reader's language."""

    def formatter(value) -> str:
        labels = dict(choices.choices)
        text = str(labels[value]) if value in labels else str(value)
        return text.lower() if lower else text

    return formatter


def as_date(value) -> str:
    """An ISO date ("2026-05-01") in the reader's date order."""
    try:
        day = datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return date_text(day, "SHORT_DATE_FORMAT")


def as_datetime(value) -> str:
    """An ISO moment in the reader's date order, in Paris time."""
    try:
        moment = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return date_text(moment, "SHORT_DATETIME_FORMAT")


def as_amount(value) -> str:
    """A decimal stored as a string ("12.50") with the reader's decimal mark."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return number_format(amount)


def iso(value: datetime.date | datetime.datetime) -> str:
    """How a date goes into params."""
    return value.isoformat()
