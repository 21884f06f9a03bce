"""Who rides which line: the links' writes (declared, validated, mentioned) and the riders
of a disruption.

A link is one row per (customer, line, source), its strength and the date we learnt it:
- declared with the subscription (the customer's lines page): usual;
- validations, per line and month, from the ticketing import: usual from
  USUAL_VALIDATIONS a month (about two a week), else occasional; a month older than the
  one already recorded changes nothing;
- mentioned on a touchpoint or a web-form message: occasional (a mention is not a habit).
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Exists, F, IntegerField, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from relation_client import extensions
from relation_client.customers.guards import customer_ensure_writable
from relation_client.customers.models import ContactKind, ContactPoint, Customer
from relation_client.cycle.models import PrivilegeAction, PrivilegeKind
from relation_client.messaging.models import OutboundPurpose
from relation_client.messaging.rules import CONSENT_NEEDED
from relation_client.network.models import (
    CustomerLine,
    Disruption,
    Line,
    RiderSource,
    RiderStrength,
)

USUAL_VALIDATIONS = 8
# the panel the reconquest satellite registers for an open case (reconquete.extensions.CASE):
# read through the core's extension point, never by importing the satellite
RECONQUEST_CASE_PANEL = "reconquest_case"
# proactive contact asks for this consent, on e-mail or SMS: the one the outbox checks
# again at the moment of sending
CONTACT_CONSENT = CONSENT_NEEDED[OutboundPurpose.PROACTIVE]


def customer_lines_declare(*, customer: Customer, lines: list[Line], on: datetime.date) -> None:
    """The lines the customer declares riding: the declared links become exactly these
    (a line no longer declared loses its declared link, not its validations)."""
    customer_ensure_writable(customer)
    with transaction.atomic():
        CustomerLine.objects.filter(customer=customer, source=RiderSource.DECLARED).exclude(
            line__in=lines
        ).delete()
        CustomerLine.objects.bulk_create(
            [
                CustomerLine(
                    customer=customer,
                    line=line,
                    source=RiderSource.DECLARED,
                    strength=RiderStrength.USUAL,
                    seen_on=on,
                )
                for line in lines
            ],
            update_conflicts=True,
            unique_fields=["customer", "line", "source"],
            update_fields=["strength", "seen_on"],
        )


def customer_line_mention(*, customer: Customer, line: Line, on: datetime.date) -> None:
    """A line named by the customer on a touchpoint or a message."""
    CustomerLine.objects.bulk_create(
        [
            CustomerLine(
                customer=customer,
                line=line,
                source=RiderSource.MENTIONED,
                strength=RiderStrength.OCCASIONAL,
                seen_on=on,
            )
        ],
        update_conflicts=True,
        unique_fields=["customer", "line", "source"],
        update_fields=["seen_on"],
    )


_VALIDATIONS_UPSERT = """
    INSERT INTO network_customerline (customer_id, line_id, source, strength, validations, seen_on)
    SELECT v.customer_id, v.line_id, 'validations',
           CASE WHEN v.validations >= %(usual)s THEN 'usual' ELSE 'occasional' END,
           v.validations, v.month
    FROM unnest(%(customers)s::bigint[], %(lines)s::bigint[], %(months)s::date[],
                %(counts)s::integer[]) AS v(customer_id, line_id, month, validations)
    ON CONFLICT (customer_id, line_id, source) DO UPDATE
        SET strength = EXCLUDED.strength, validations = EXCLUDED.validations,
            seen_on = EXCLUDED.seen_on
        WHERE network_customerline.seen_on <= EXCLUDED.seen_on
"""


def customer_lines_validated(*, rows: list[tuple[int, int, datetime.date, int]]) -> int:
    """(customer id, line id, month, validations) from the ticketing: one statement. Rows
    must be one per (customer, line): the import keeps the latest month of each."""
    if not rows:
        return 0
    customers, lines, months, counts = (list(column) for column in zip(*rows, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            _VALIDATIONS_UPSERT,
            {
                "usual": USUAL_VALIDATIONS,
                "customers": customers,
                "lines": lines,
                "months": months,
                "counts": counts,
            },
        )
        return cursor.rowcount


# ---- the riders of a disruption ----------------------------------------------------------


def is_mobile(phone: str) -> bool:
    """A French mobile (E.164, as contact points are stored): the numbers an SMS reaches."""
    return phone.startswith(("+336", "+337"))


def priority_handling(*, segment_ref, today: datetime.date) -> Exists:
    """Whether the segment is a category with priority in the loyalty cycle: one of its
    rounds holds a "Traitement prioritaire" privilege action in force today (reduced
    mobility, seniors, school pupils in the demo network)."""
    return Exists(
        PrivilegeAction.objects.filter(
            round__segment_id=segment_ref,
            kind=PrivilegeKind.PRIORITY_HANDLING,
            starts_on__lte=today,
        ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    )


def disruption_riders(*, disruption: Disruption, today: datetime.date | None = None):
    """The customers riding one of the disruption's lines, the loyalty cycle's priority
    categories first (then by segment priority, name): a queryset to paginate, each
    customer with `is_priority`. Erased customers are left out."""
    today = today or timezone.localdate()
    riding = CustomerLine.objects.filter(line__in=disruption.lines.values("pk")).values(
        "customer_id"
    )
    return (
        Customer.objects.filter(pk__in=riding, anonymised_at__isnull=True)
        .select_related("segment")
        .annotate(
            is_priority=priority_handling(segment_ref=OuterRef("segment_id"), today=today),
            rank=Coalesce(F("segment__priority"), Value(99), output_field=IntegerField()),
        )
        .order_by("-is_priority", "rank", "last_name", "first_name", "id")
    )


@dataclass
class Rider:
    customer: Customer
    priority: bool
    links: list = field(default_factory=list)  # [(line short name, source label, strength label)]
    email: str = ""
    phone: str = ""  # a mobile: the SMS's address
    email_consent: bool = False
    sms_consent: bool = False
    reconquest: object = None  # the open case's summary, from the reconquest panel
    contact: object = None  # the DisruptionContact, once riders were warned

    @property
    def can_be_written_to(self) -> bool:
        return bool((self.email and self.email_consent) or (self.phone and self.sms_consent))


_CONSENTS = """
    SELECT DISTINCT ON (customer_id, channel) customer_id, channel, given
    FROM customers_consent
    WHERE customer_id = ANY(%s) AND purpose = %s AND channel IN ('email', 'sms')
    ORDER BY customer_id, channel, recorded_at DESC, id DESC
"""


def riders_detail(*, disruption: Disruption, customers: list[Customer]) -> list[Rider]:
    """What the riders' list shows for one page of customers: their links to the
    disruption's lines, their addresses and consents, their open reconquest case, what
    became of them if riders were warned. Five queries, whatever the page's size."""
    ids = [customer.pk for customer in customers]
    riders = {
        customer.pk: Rider(
            customer=customer,
            priority=bool(getattr(customer, "is_priority", False)),
        )
        for customer in customers
    }
    if not ids:
        return []
    links = (
        CustomerLine.objects.filter(customer_id__in=ids, line__disruptions=disruption)
        .select_related("line")
        .order_by("line__short_name", "source")
    )
    for link in links:
        riders[link.customer_id].links.append(
            (link.line.short_name, link.get_source_display(), link.get_strength_display())
        )
    for point in ContactPoint.objects.filter(customer_id__in=ids).order_by("id"):
        rider = riders[point.customer_id]
        if point.kind == ContactKind.EMAIL and not rider.email:
            rider.email = point.value
        elif point.kind == ContactKind.PHONE and not rider.phone and is_mobile(point.value):
            rider.phone = point.value
    with connection.cursor() as cursor:
        cursor.execute(_CONSENTS, [ids, CONTACT_CONSENT])
        for customer_id, channel, given in cursor.fetchall():
            setattr(riders[customer_id], f"{channel}_consent", given)
    for kind in extensions.customer_panels:
        if kind.name == RECONQUEST_CASE_PANEL:
            for customer_id, case in kind.load(ids).items():
                riders[customer_id].reconquest = case
    for contact in disruption.contacts.filter(customer_id__in=ids):
        riders[contact.customer_id].contact = contact
    return [riders[pk] for pk in ids]
