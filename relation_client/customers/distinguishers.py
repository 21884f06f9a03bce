"""What tells namesakes apart on a line of search results: birth year, town, usual
contact and their agency, segment, the end of the phone number. The customer has no town
field: the town is read from the free-text postal address ("12 rue Mercière, 69002 Lyon",
"12 rue de la Part-Dieu\\n69003 Lyon", "3 place Bellecour, Lyon")."""

import re
from dataclasses import dataclass

from relation_client.customers.models import ContactKind, Customer

# a French postal code (5 digits) and the town after it, on the address's last lines
_POSTCODE_TOWN = re.compile(r"\b(\d{5})\s+([^\d,\n][^,\n]*)")


@dataclass(frozen=True)
class Place:
    postal_code: str
    town: str

    def __str__(self) -> str:
        return f"{self.postal_code} {self.town}".strip()


def place_of(address: str) -> Place | None:
    """The postal code and town of an address, or its last part when it has no postal
    code; None for no address."""
    address = (address or "").strip()
    if not address:
        return None
    found = _POSTCODE_TOWN.findall(address)
    if found:
        code, town = found[-1]
        return Place(postal_code=code, town=town.strip())
    last = re.split(r"[,\n]", address)[-1].strip()
    # a one-part address is a street, not a town
    return Place(postal_code="", town=last) if last and last != address else None


def phone_ending(customer: Customer) -> str:
    """The last two digits of the customer's first phone ("78"), or "" without one.
    Reads `phone_points` when the selector loaded it, else the prefetched contact points."""
    phones = getattr(customer, "phone_points", None)
    if phones is None:
        phones = [p for p in customer.contact_points.all() if p.kind == ContactKind.PHONE]
    return phones[0].value[-2:] if phones else ""


def birth_year(customer: Customer) -> int | None:
    return customer.birth_date.year if customer.birth_date else None


@dataclass(frozen=True)
class SearchLine:
    """A line of search results: the customer (segment, home agency, usual contact and
    their agency loaded) and what tells them apart from their namesakes."""

    customer: Customer
    birth_year: int | None
    place: Place | None
    phone_ending: str


def search_line(customer: Customer) -> SearchLine:
    return SearchLine(
        customer=customer,
        birth_year=birth_year(customer),
        place=place_of(customer.postal_address),
        phone_ending=phone_ending(customer),
    )
