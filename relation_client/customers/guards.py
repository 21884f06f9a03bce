"""An erased record is read-only for everyone: the one check every write about a
customer goes through (update, touchpoint, handover, gesture, consent, merge and its undo;
campaign targeting leaves erased records out in its SQL). Services raise; the API answers
409 `customer_erased`, pages show the message as a form error."""

from django.utils.translation import gettext as _

from relation_client.customers.models import Customer
from socle.errors import DomainError

CUSTOMER_ERASED = "customer_erased"


def customer_ensure_writable(customer: Customer | None) -> None:
    """Refuse any change to a customer erased at their request (`anonymised_at` set by
    `customers_anonymise`). Reads the row it is given: callers that lock the customer pass
    the locked row."""
    if customer is not None and customer.anonymised_at is not None:
        raise DomainError(
            CUSTOMER_ERASED,
            _(
                "Cette fiche a été effacée à la demande de la personne : elle est en "
                "lecture seule et ne peut plus être modifiée."
            ),
        )
