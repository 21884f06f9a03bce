"""Retention: a customer's data is kept while the commercial relationship lasts and for
`RETENTION_YEARS` after it ends (CNIL), then anonymised. The relationship lasts while the
customer is in touch (a touchpoint, a request, a consent decision, a goodwill gesture) or
has any activity a satellite declares through `extensions.customer_activity` (a
subscription, ridership, a survey answer…). Whom the job would anonymise, and why, can be
read before it runs (`retention_preview`)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agences import roles
from agences.models import Agent
from relation_client import extensions
from relation_client.customers.models import Consent, Customer
from relation_client.extensions import CustomerActivity
from relation_client.messaging.models import InboundAttachment, InboundMessage
from relation_client.privacy.models import AuditAction, RetentionRun
from relation_client.privacy.services import audit_record, customers_anonymise
from relation_client.touchpoints.models import Gesture, Request, Touchpoint
from relation_client.touchpoints.services import alert_raise
from socle.dates import date_text

SINCE = "%(since)s"

# The core's own contacts; each reads one table through its customer index.
CONTACTS = (
    CustomerActivity(
        name="touchpoints",
        label=gettext_lazy("aucun contact depuis le %(since)s"),
        sql=f"SELECT customer_id FROM {Touchpoint._meta.db_table} WHERE occurred_at >= {SINCE}",
    ),
    CustomerActivity(
        name="requests",
        label=gettext_lazy("aucune demande depuis le %(since)s"),
        # a request still open is a relationship going on, however old
        sql=f"SELECT customer_id FROM {Request._meta.db_table} WHERE opened_at >= {SINCE} "
        f"OR closed_at IS NULL OR closed_at >= {SINCE}",
    ),
    CustomerActivity(
        name="consents",
        label=gettext_lazy("aucune décision de consentement depuis le %(since)s"),
        sql=f"SELECT customer_id FROM {Consent._meta.db_table} WHERE recorded_at >= {SINCE}",
    ),
    CustomerActivity(
        name="gestures",
        label=gettext_lazy("aucun geste commercial depuis le %(since)s"),
        sql=f"SELECT customer_id FROM {Gesture._meta.db_table} WHERE created_at >= {SINCE}",
    ),
)

# the date of the latest contact, for the reason shown (never on or after the cutoff)
LAST_CONTACT = f"""
    SELECT GREATEST(
        (SELECT MAX(occurred_at) FROM {Touchpoint._meta.db_table} WHERE customer_id = c.id),
        (SELECT MAX(GREATEST(opened_at, closed_at)) FROM {Request._meta.db_table}
         WHERE customer_id = c.id),
        (SELECT MAX(recorded_at) FROM {Consent._meta.db_table} WHERE customer_id = c.id)
    )
"""


def retention_cutoff(*, now: datetime.datetime | None = None) -> datetime.datetime:
    now = now or timezone.now()
    return now - datetime.timedelta(days=365 * settings.RETENTION_YEARS)


def retention_activities() -> list[CustomerActivity]:
    """The core's contacts, then what the satellites registered."""
    return [*CONTACTS, *extensions.customer_activity]


def _positional(sql: str) -> tuple[str, int]:
    """`%(since)s` as the ORM's positional placeholder, and how many there are: the
    candidates are a subquery of a queryset, which takes positional parameters only."""
    return sql.replace(SINCE, "%s"), sql.count(SINCE)


def _candidates_sql(activities: list[CustomerActivity]) -> str:
    # one anti-join per activity: PostgreSQL plans each NOT EXISTS as a hash anti-join,
    # one pass over each table whatever the number of customers
    kept = "".join(
        f" AND NOT EXISTS (SELECT 1 FROM ({activity.sql}) AS activity "
        "WHERE activity.customer_id = c.id)"
        for activity in activities
    )
    table = Customer._meta.db_table
    return (
        f"SELECT c.id FROM {table} AS c "
        f"WHERE c.anonymised_at IS NULL AND c.created_at < {SINCE}{kept}"
    )


def retention_candidates(*, cutoff: datetime.datetime) -> QuerySet[Customer]:
    """The customers the job would anonymise, oldest record first, each with the date of
    their last contact (`last_contact`, None if they never had one)."""
    sql, count = _positional(_candidates_sql(retention_activities()))
    return (
        Customer.objects.filter(pk__in=RawSQL(sql, [cutoff] * count))
        .annotate(last_contact=RawSQL(LAST_CONTACT.replace("c.id", "customers_customer.id"), []))
        .order_by("created_at", "id")
    )


@dataclass(frozen=True)
class Candidate:
    customer: Customer
    reason: str


def retention_reason(*, customer: Customer, cutoff: datetime.datetime) -> str:
    """Why this customer would be anonymised, in words: "dernier contact le 12 mars 2021,
    aucun abonnement en cours depuis le …, aucune validation depuis le …"."""
    since = date_text(timezone.localtime(cutoff), "j F Y")
    if customer.last_contact:
        first = _("dernier contact le %(date)s") % {
            "date": date_text(timezone.localtime(customer.last_contact), "j F Y")
        }
    else:
        first = _("aucun contact depuis la création de la fiche le %(date)s") % {
            "date": date_text(timezone.localtime(customer.created_at), "j F Y")
        }
    others = [str(activity.label) % {"since": since} for activity in extensions.customer_activity]
    return ", ".join([first, *others])


def retention_preview(*, cutoff: datetime.datetime, customers) -> list[Candidate]:
    """The reasons of one page of candidates (the page is what the caller sliced)."""
    return [
        Candidate(customer, retention_reason(customer=customer, cutoff=cutoff))
        for customer in customers
    ]


def messages_purge(*, cutoff: datetime.datetime) -> int:
    """Delete the raw bytes and the attachments' content of the messages received before
    the cutoff, whoever they came from: the raw message is kept for the retention period,
    not longer. What was read from it (texts, headers, the attachments' names and sizes)
    stays with the customer's record, which has its own retention. Returns how many
    messages lost something."""
    old = InboundMessage.objects.filter(received_at__lt=cutoff)
    attachments = InboundAttachment.objects.filter(message_id=OuterRef("pk"), content__isnull=False)
    purged = old.filter(Q(raw__isnull=False) | Exists(attachments)).update(raw=None)
    InboundAttachment.objects.filter(message__in=old.values("pk"), content__isnull=False).update(
        content=None
    )
    return purged


def retention_run(*, now: datetime.datetime | None = None) -> RetentionRun:
    """Anonymise the customers whose relationship ended more than the retention period
    ago (default 3 years), delete the raw bytes and attachments of the messages received
    before then, and tell the data-protection officers what was done."""
    cutoff = retention_cutoff(now=now)
    with transaction.atomic():
        # the anonymisation, its audit rows and the run's record stand or fall together
        ids = list(retention_candidates(cutoff=cutoff).values_list("pk", flat=True))
        count = customers_anonymise(customer_ids=ids)
        purged = messages_purge(cutoff=cutoff)
        audit_record(
            user=None,
            action=AuditAction.ERASE,
            customer_ids=ids,
            channel="tâche",
            code="audit.retention",
            params={"years": settings.RETENTION_YEARS},
        )
        run = RetentionRun.objects.create(cutoff=cutoff, anonymised=count, messages_purged=purged)
        for dpo in Agent.objects.filter(user__groups__name=roles.DPO, user__is_active=True):
            alert_raise(
                kind="retention",
                recipient=dpo,
                cause=f"retention:{run.pk}:{dpo.pk}",
                params={"count": count, "date": cutoff.date().isoformat()},
            )
    return run
