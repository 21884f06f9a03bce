"""How we write to a customer: in which language, and the first line that greets them.
Every message sent to customers (survey invitations, campaigns) goes through these."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from relation_client.customers.models import Civility, Customer

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
