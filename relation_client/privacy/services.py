"""The data-protection officer's tools: audit trail, right of access, right to erasure
(retention is in privacy.retention, the audit of list reads in privacy.reads). Nothing here writes personal data to the application logs."""

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agences.permissions import USE_PRIVACY_TOOLS
from relation_client.customers.models import (
    ContactPoint,
    Customer,
    CustomerMerge,
    Identifier,
)
from relation_client.privacy import registry
from relation_client.privacy.models import AuditAction, AuditEvent
from relation_client.touchpoints.models import Alert, Gesture, Request, Touchpoint
from socle import messages
from socle.errors import DomainError

ERASED = "[effacé]"


def actor_label(user, token=None) -> str:
    if token is not None:
        return _("jeton %(name)s") % {"name": token.name}
    if user is None:
        return _("tâche planifiée")
    agent = getattr(user, "_agent_cache", None)
    name = agent.display_name if agent else user.get_full_name() or user.get_username()
    return f"{name} ({user.get_username()})"


def audit_record(
    *,
    user,
    action: str,
    customer_ids: list[int],
    channel: str,
    code: str = "",
    params: dict | None = None,
    token=None,
    changes: dict | None = None,
) -> None:
    """One row per customer touched, in one INSERT. `code` and `params`: the detail, read
    in the reader's language (relation_client.messages, the "audit." codes). `changes`,
    for a change: what each changed field held before and holds now
    ({"phones": {"old": […], "new": []}})."""
    if not customer_ids:
        return
    label = actor_label(user, token)
    rows = [
        AuditEvent(
            actor=user if user and user.is_authenticated else None,
            actor_label=label,
            action=action,
            customer_id=pk,
            channel=channel,
            code=code,
            params=params or {},
            changes=changes or {},
        )
        for pk in dict.fromkeys(customer_ids)
    ]
    if len(rows) == 1:
        # one row (a customer page, a caller found): one INSERT in the request's own
        # autocommit, not bulk_create's transaction around it (BEGIN and COMMIT: two more
        # round trips on every page)
        rows[0].save(force_insert=True)
    else:
        AuditEvent.objects.bulk_create(rows)


def _row(instance, fields: list[str]) -> dict:
    row = {}
    for name in fields:
        value = getattr(instance, name)
        row[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return row


def customer_export(*, customer: Customer, user) -> dict:
    """Everything held about a person (right of access), as plain data."""
    data = {
        "exported_at": timezone.now().isoformat(),
        "customer": _row(
            customer,
            [
                "id",
                "civility",
                "first_name",
                "last_name",
                "preferred_name",
                "preferred_language",
                "birth_date",
                "postal_address",
                "needs",
                "tags",
                "created_at",
                "updated_at",
            ],
        ),
        "segment": customer.segment.name if customer.segment_id else None,
        "home_agency": customer.home_agency.name if customer.home_agency_id else None,
        "usual_contact": customer.usual_contact.display_name if customer.usual_contact_id else None,
        "contact_points": [
            _row(p, ["kind", "value", "label", "created_at"]) for p in customer.contact_points.all()
        ],
        "identifiers": [_row(i, ["kind", "number"]) for i in customer.identifiers.all()],
        "consents": [
            _row(c, ["channel", "purpose", "given", "source", "recorded_at"])
            for c in customer.consents.order_by("recorded_at")
        ],
        "touchpoints": [
            {
                **_row(
                    t,
                    [
                        "occurred_at",
                        "kind",
                        "channel",
                        "direction",
                        "summary",
                        "outcome",
                        "mood",
                        "contact_left",
                    ],
                ),
                "reason": t.reason.label,
                "agent": t.agent.display_name if t.agent else None,
            }
            for t in customer.touchpoints.select_related("reason", "agent").order_by("occurred_at")
        ],
        "requests": [
            _row(
                r,
                [
                    "opened_at",
                    "channel",
                    "subject",
                    "status",
                    "deadline",
                    "answered_at",
                    "closed_at",
                ],
            )
            for r in customer.requests.order_by("opened_at")
        ],
        "gestures": [
            _row(g, ["created_at", "kind", "value", "reason", "status"])
            for g in customer.gestures.order_by("created_at")
        ],
    }
    for name, exporter in registry.EXPORTERS.items():
        data[name] = exporter.func(customer)
    audit_record(
        user=user,
        action=AuditAction.EXPORT,
        customer_ids=[customer.pk],
        channel="page",
        code="audit.access",
    )
    return data


def customers_anonymise(*, customer_ids: list[int]) -> int:
    """Remove the person, keep the counts: rows stay (with their dates, channels, agencies,
    segments), names, contacts, identifiers and free text go. Set-based."""
    if not customer_ids:
        return 0
    now = timezone.now()
    with transaction.atomic():
        updated = Customer.objects.filter(pk__in=customer_ids, anonymised_at__isnull=True).update(
            civility="",
            first_name=_("Anonyme"),
            last_name="",
            preferred_name="",
            birth_date=None,
            postal_address="",
            needs="",
            tags=[],
            usual_contact=None,
            anonymised_at=now,
        )
        ContactPoint.objects.filter(customer_id__in=customer_ids).delete()
        Identifier.objects.filter(customer_id__in=customer_ids).delete()
        # a walk-in exchange attached later keeps the number it left: erased with the rest
        Touchpoint.objects.filter(customer_id__in=customer_ids).update(
            summary=ERASED, contact_left=""
        )
        Request.objects.filter(customer_id__in=customer_ids).update(subject=ERASED)
        Gesture.objects.filter(customer_id__in=customer_ids).update(reason=ERASED)
        # the alert's parameters hold the person's name: its text becomes the mark alone
        Alert.objects.filter(customer_id__in=customer_ids).update(
            code=messages.LEGACY, params={}, message=ERASED
        )
        CustomerMerge.objects.filter(survivor_id__in=customer_ids).update(absorbed_snapshot={})
        with connection.cursor() as cursor:
            # the last name becomes the record number, so that lists stay readable
            cursor.execute(
                "UPDATE customers_customer SET last_name = '#' || id WHERE id = ANY(%s)",
                [list(customer_ids)],
            )
        for eraser in registry.ERASERS:
            eraser(list(customer_ids))
    return updated


def customer_erase(*, customer: Customer, user, reason: str) -> None:
    """Right to erasure, asked by the person and carried out by the DPO."""
    if not user.has_perm(USE_PRIVACY_TOOLS):
        raise DomainError("forbidden", _("Réservé au délégué à la protection des données."))
    if customer.anonymised_at:
        raise DomainError("already_erased", _("Cette fiche est déjà anonymisée."))
    if not reason.strip():
        raise DomainError(
            "required", _("Indiquez la demande à l'origine de l'effacement."), field="reason"
        )
    with transaction.atomic():
        customers_anonymise(customer_ids=[customer.pk])
        audit_record(
            user=user,
            action=AuditAction.ERASE,
            customer_ids=[customer.pk],
            channel="page",
            code="audit.erase",
            params={"reason": reason[:200]},
        )
