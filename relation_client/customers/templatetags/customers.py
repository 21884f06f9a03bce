from django import template

from relation_client.customers.greetings import agency_words, birth_words
from relation_client.customers.normalize import phone_display

register = template.Library()


@register.filter(name="phone")
def phone(value: str) -> str:
    """+33612345678 -> 06 12 34 56 78: numbers as staff read them aloud."""
    try:
        return phone_display(value)
    except Exception:  # noqa: BLE001 - a malformed legacy value is shown as stored
        return value


@register.filter(name="get_item")
def get_item(mapping: dict, key):
    """mapping[key] in a template, None when absent."""
    return mapping.get(key) if mapping else None


@register.simple_tag
def born(customer, year_only: bool = False) -> str:
    """The birth agreeing with the civility ("née le 1er mai 1968"): greetings.birth_words."""
    return birth_words(customer, year_only=year_only)


@register.simple_tag
def home_agency(customer) -> str:
    """The home agency agreeing with the civility ("rattachée à …"): greetings.agency_words."""
    return agency_words(customer, customer.home_agency.name) if customer.home_agency else ""
