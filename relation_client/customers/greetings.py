"""How we write to a customer: in which language, and the first line that greets them.
Every message sent to customers (survey invitations, campaigns) goes through these; and
how we write about them on pages, agreeing with their civility ("née le", "rattaché à")."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from relation_client.customers.models import Civility, Customer
from socle.dates import date_text

# the languages our customer-facing texts exist in (the English catalogue); a customer
# who prefers another one is written to in French
WRITTEN_LANGUAGES = ("fr", "en")


def written_language(language: str | None) -> str:
    """The language to write in for this preference: itself if we write it, else French."""
    return language if language in WRITTEN_LANGUAGES else settings.LANGUAGE_CODE


def customer_greeting(customer: Customer) -> str:
    """A message's first line, in the active language: the name the customer chose, else
    civility and last name as a letter addresses someone ("Bonjour Madame Dupont,": in
    French the civility is written out, never "Mme", when speaking to the person), else
    the full name."""
    if customer.preferred_name:
        name = customer.preferred_name
    elif customer.civility == Civility.MADAME:
        name = pgettext("pour saluer", "Madame %(last_name)s") % {"last_name": customer.last_name}
    elif customer.civility == Civility.MONSIEUR:
        name = pgettext("pour saluer", "Monsieur %(last_name)s") % {"last_name": customer.last_name}
    else:
        name = customer.full_name
    return _("Bonjour %(name)s,") % {"name": name}


def birth_words(customer: Customer, *, year_only: bool = False) -> str:
    """The customer's birth beside their name, agreeing with their civility: "née le 1er mai
    1968" for Madame, "né le …" for Monsieur, "né(e) le …" only when it is unknown; with
    `year_only`, "née en 1968"; "" without a birth date."""
    born = customer.birth_date
    if born is None:
        return ""
    if year_only:
        words = {
            Civility.MADAME: pgettext("naissance, Madame", "née en %(year)s"),
            Civility.MONSIEUR: pgettext("naissance, Monsieur", "né en %(year)s"),
        }.get(customer.civility, _("né(e) en %(year)s"))
        return words % {"year": born.year}
    words = {
        Civility.MADAME: pgettext("naissance, Madame", "née le %(date)s"),
        Civility.MONSIEUR: pgettext("naissance, Monsieur", "né le %(date)s"),
    }.get(customer.civility, _("né(e) le %(date)s"))
    return words % {"date": date_text(born, "j F Y")}


def agency_words(customer: Customer, agency: str) -> str:
    """The customer's home agency, agreeing with their civility: "rattachée à Lyon
    Part-Dieu" for Madame, "rattaché à …" for Monsieur, "rattaché(e) à …" when unknown."""
    words = {
        Civility.MADAME: pgettext("agence, Madame", "rattachée à %(agency)s"),
        Civility.MONSIEUR: pgettext("agence, Monsieur", "rattaché à %(agency)s"),
    }.get(customer.civility, _("rattaché(e) à %(agency)s"))
    return words % {"agency": agency}
