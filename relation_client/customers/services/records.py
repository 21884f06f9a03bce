"""Writes about customers: create, update, hand over to the usual contact."""

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agences.models import Agency, Agent
from relation_client.customers.guards import customer_ensure_writable
from relation_client.customers.models import (
    ContactKind,
    ContactPoint,
    Customer,
    Identifier,
    IdentifierKind,
    Segment,
)
from relation_client.customers.normalize import email_normalize, phone_normalize
from relation_client.customers.selectors import duplicates_find
from relation_client.messages import salutation_params
from relation_client.touchpoints.services import alert_raise, handover_log
from socle.errors import DomainError


class DuplicateSuspected(DomainError):
    """The new customer looks like people already known: show them and ask."""

    def __init__(self, matches: list[Customer]):
        super().__init__(
            "possible_duplicate",
            _("Cette personne existe peut-être déjà. Vérifiez les fiches proposées."),
        )
        self.matches = matches


class EditConflict(DomainError):
    """Someone changed the record since the editing agent opened it: nothing was saved."""

    def __init__(self, current: Customer):
        super().__init__(
            "edit_conflict",
            _(
                "Cette fiche a été modifiée par quelqu'un d'autre pendant que vous la "
                "modifiiez : rien n'a été enregistré."
            ),
        )
        self.current = current


@dataclass
class CustomerData:
    first_name: str
    last_name: str
    civility: str = ""
    preferred_name: str = ""
    preferred_language: str = "fr"
    birth_date: datetime.date | None = None
    postal_address: str = ""
    needs: str = ""
    tags: list[str] = field(default_factory=list)
    segment: Segment | None = None
    home_agency: Agency | None = None
    usual_contact: Agent | None = None
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    cards: list[str] = field(default_factory=list)
    contracts: list[str] = field(default_factory=list)


def _normalized_contacts(data: CustomerData) -> tuple[list[str], list[str]]:
    phones = list(dict.fromkeys(phone_normalize(p) for p in data.phones if p.strip()))
    emails = list(dict.fromkeys(email_normalize(e) for e in data.emails if e.strip()))
    return phones, emails


def _clean_number(raw: str) -> str:
    return raw.replace(" ", "").upper()


def _check_identifiers_free(numbers: list[tuple[str, str]], customer_id: int | None) -> None:
    for kind, number in numbers:
        taken = Identifier.objects.filter(kind=kind, number=number).exclude(customer_id=customer_id)
        if taken.exists():
            field_name = "cards" if kind == IdentifierKind.CARD else "contracts"
            raise DomainError(
                "identifier_taken",
                _("Le numéro %(number)s appartient déjà à un autre client.") % {"number": number},
                field=field_name,
            )


def customer_create(*, data: CustomerData, confirm_duplicate: bool = False) -> Customer:
    """Create a named customer with their contact points and identifiers, all or nothing."""
    if not data.first_name.strip() or not data.last_name.strip():
        raise DomainError(
            "required",
            _("Le prénom et le nom sont obligatoires."),
            field="last_name" if data.first_name.strip() else "first_name",
        )
    phones, emails = _normalized_contacts(data)
    identifiers = [(IdentifierKind.CARD, _clean_number(n)) for n in data.cards if n.strip()]
    identifiers += [
        (IdentifierKind.CONTRACT, _clean_number(n)) for n in data.contracts if n.strip()
    ]
    _check_identifiers_free(identifiers, None)
    if not confirm_duplicate:
        matches = duplicates_find(
            first_name=data.first_name,
            last_name=data.last_name,
            birth_date=data.birth_date,
            phones=phones,
            emails=emails,
        )
        if matches:
            raise DuplicateSuspected(matches)
    with transaction.atomic():
        customer = Customer(
            civility=data.civility,
            first_name=data.first_name.strip(),
            last_name=data.last_name.strip(),
            preferred_name=data.preferred_name.strip(),
            preferred_language=data.preferred_language,
            birth_date=data.birth_date,
            postal_address=data.postal_address,
            needs=data.needs,
            tags=data.tags,
            segment=data.segment,
            home_agency=data.home_agency,
            usual_contact=data.usual_contact,
        )
        customer.full_clean(exclude=["search_name"])
        customer.save()
        ContactPoint.objects.bulk_create(
            [ContactPoint(customer=customer, kind=ContactKind.PHONE, value=p) for p in phones]
            + [ContactPoint(customer=customer, kind=ContactKind.EMAIL, value=e) for e in emails]
        )
        try:
            with transaction.atomic():
                Identifier.objects.bulk_create(
                    [Identifier(customer=customer, kind=k, number=n) for k, n in identifiers]
                )
        except IntegrityError:
            # race: another agent registered the same card between the check and here
            raise DomainError(
                "identifier_taken", _("Ce numéro appartient déjà à un autre client."), field="cards"
            ) from None
    return customer


UPDATABLE = [
    "civility",
    "first_name",
    "last_name",
    "preferred_name",
    "preferred_language",
    "birth_date",
    "postal_address",
    "needs",
    "tags",
    "segment",
    "home_agency",
    "usual_contact",
]


def _audit_value(value):
    """A field's value as the audit trail keeps it: JSON, foreign keys by id."""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def customer_update(
    *,
    customer: Customer,
    changes: dict,
    phones: list[str] | None = None,
    emails: list[str] | None = None,
    check_duplicates: bool = False,
    expected_updated_at: datetime.datetime | None = None,
) -> tuple[Customer, dict]:
    """Change a customer's fields; phones/emails, when given, replace the current ones.

    Returns the customer and what changed, `{field: {"old": …, "new": …}}` (fields whose
    value did not change are left out), for the audit row: a list emptied by mistake can
    be read back from the trail.

    `check_duplicates`: the creation's check (duplicates_find), on what the change adds —
    a phone or e-mail the record did not have, a name or birth date that changed; raises
    DuplicateSuspected, nothing saved. `expected_updated_at`: optimistic concurrency, the
    `updated_at` the editor read; EditConflict, nothing saved, when the record moved since.
    An erased (anonymised) record is read-only."""
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise DomainError("unknown_field", _("Champ inconnu."), field=sorted(unknown)[0])
    new_phones = [phone_normalize(p) for p in phones if p.strip()] if phones is not None else None
    new_emails = [email_normalize(e) for e in emails if e.strip()] if emails is not None else None
    diff: dict[str, dict] = {}
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        customer_ensure_writable(customer)
        if expected_updated_at is not None and customer.updated_at != expected_updated_at:
            raise EditConflict(customer)
        if check_duplicates:
            _check_duplicates_on_change(customer, changes, new_phones, new_emails)
        for name, value in changes.items():
            old = _audit_value(getattr(customer, name))
            setattr(customer, name, value)
            if old != _audit_value(value):
                diff[name] = {"old": old, "new": _audit_value(value)}
        customer.full_clean(exclude=["search_name"])
        customer.save()
        for name, kind, values in (
            ("phones", ContactKind.PHONE, new_phones),
            ("emails", ContactKind.EMAIL, new_emails),
        ):
            if values is None:
                continue
            values = list(dict.fromkeys(values))
            current = list(
                customer.contact_points.filter(kind=kind)
                .order_by("id")
                .values_list("value", flat=True)
            )
            if sorted(current) != sorted(values):
                diff[name] = {"old": current, "new": values}
            customer.contact_points.filter(kind=kind).exclude(value__in=values).delete()
            ContactPoint.objects.bulk_create(
                [ContactPoint(customer=customer, kind=kind, value=v) for v in values],
                ignore_conflicts=True,
            )
    customer.refresh_from_db()
    return customer, diff


def _check_duplicates_on_change(
    customer: Customer, changes: dict, phones: list[str] | None, emails: list[str] | None
) -> None:
    """The creation's duplicate check, on what the change brings: the contact points the
    record does not have yet (a landline it already shares was accepted before), and the
    name with the birth date when one of them changes."""
    current = set(customer.contact_points.values_list("kind", "value"))
    added_phones = [p for p in phones or [] if (ContactKind.PHONE, p) not in current]
    added_emails = [e for e in emails or [] if (ContactKind.EMAIL, e) not in current]
    identity = ("first_name", "last_name", "birth_date")
    identity_changed = any(
        name in changes and changes[name] != getattr(customer, name) for name in identity
    )
    values = {name: changes.get(name, getattr(customer, name)) for name in identity}
    if not (added_phones or added_emails or identity_changed):
        return
    matches = duplicates_find(
        first_name=values["first_name"],
        last_name=values["last_name"],
        birth_date=values["birth_date"] if identity_changed else None,
        phones=added_phones,
        emails=added_emails,
        exclude_id=customer.pk,
    )
    if matches:
        raise DuplicateSuspected(matches)


def customer_handover(*, customer: Customer, by: Agent, channel: str, note: str = ""):
    """Hand the customer over to their usual contact: a timeline entry and an alert."""

    contact = customer.usual_contact
    if contact is None:
        raise DomainError("no_usual_contact", _("Ce client n'a pas d'interlocuteur habituel."))
    if contact.pk == by.pk:
        raise DomainError("already_usual_contact", _("Vous êtes déjà son interlocuteur habituel."))
    with transaction.atomic():
        touchpoint = handover_log(customer=customer, by=by, to=contact, channel=channel, note=note)
        alert_raise(
            kind="handover",
            recipient=contact,
            customer=customer,
            cause=f"handover:touchpoint:{touchpoint.pk}",
            params={
                "agent": by.display_name,
                "customer": salutation_params(customer),
                "note": note,
            },
        )
    return touchpoint
