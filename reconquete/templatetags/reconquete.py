"""Number formatting for the reconquest pages: values, changes, units."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from relation_client.customers.models import ConsentChannel
from socle.numbers import number_text

register = template.Library()


def _number(value) -> str:
    if isinstance(value, float | Decimal) and value != int(value):
        return number_text(value, 1)
    return number_format(int(value), 0, force_grouping=True)


@register.filter
def figure(value, unit: str = "") -> str:
    """A figure with its unit (" %" for rates, " j" for days); a dash when unknown (a
    missing row reaches the template as "")."""
    if value is None or value == "":
        return "—"
    suffix = {"%": " %", "j": " j"}.get(unit, "")
    return f"{_number(value)}{suffix}"


@register.filter
def change(value, unit: str = "") -> str:
    """The change from the previous month, in words as well as signs: never colour alone."""
    if value is None or value == "":
        return _("pas de comparaison")
    if value == 0:
        return _("stable")
    sign = "+" if value > 0 else "−"
    suffix = {"%": " pt", "j": " j"}.get(unit, "")
    return f"{sign}{_number(abs(value))}{suffix}"


@register.simple_tag
def drill(value, url, unit: str = ""):
    """A figure linking to the customers behind it; no link when there are none."""
    text = figure(value, unit)
    if not value or not url:
        return text
    return format_html('<a href="{}">{}</a>', url, text)


@register.filter
def channel_labels(codes) -> str:
    """Consent channel codes as their French labels: "Téléphone, SMS"."""
    labels = dict(ConsentChannel.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes or [])
