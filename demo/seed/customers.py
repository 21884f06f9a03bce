"""The demo's customers: two well-known ones the guided tour relies on (Hélène
Dupont-Lefèvre, Jean de La Fontaine and his wife Marie, who share a landline), the rest
drawn from demo.people with a fixed seed, so that every run wants the same people."""

import datetime
import random

from agences.models import Agency, Agent
from demo import people
from demo.people.names import FIRST_NAMES, LAST_NAMES, PLACES
from relation_client.customers.models import (
    Civility,
    ContactKind,
    ContactPoint,
    Customer,
    Identifier,
    IdentifierKind,
    Segment,
)

# birth dates are drawn against a fixed day: drawn against today, tomorrow's run would
# want other people and add them
BIRTHS_AS_OF = datetime.date(2026, 1, 1)
AGES = (18, 86)
NEEDS_SHARE = 0.15  # more than in life: the demo shows how needs are kept
USUAL_CONTACT_SHARE = 0.7
# a few hundred people drawn from the whole name lists would hardly share a name; the
# demo shows how the search and the caller card tell namesakes apart
NAMESAKE_SHARE = 0.08
HELENE = {
    "first_name": "Hélène",
    "last_name": "Dupont-Lefèvre",
    "birth_date": datetime.date(1968, 4, 12),
}
JEAN = {
    "first_name": "Jean",
    "last_name": "de La Fontaine",
    "birth_date": datetime.date(1951, 7, 8),
}
HELENE_MOBILE = "+33612345678"
SHARED_LANDLINE = "+33478123456"  # a household's landline, shared by two customers


def customers_wanted(
    *, agencies: list[Agency], counter_staff: list[Agent], count: int
) -> list[Customer]:
    """The first `count` demo customers, unsaved: the same list on every run."""
    rng = random.Random(20261123)
    wanted = [
        Customer(
            civility=Civility.MADAME,
            home_agency=agencies[0],
            usual_contact=counter_staff[0],
            postal_address="12 rue de la République, 69002 Lyon",
            **HELENE,
        ),
        Customer(
            civility=Civility.MONSIEUR,
            home_agency=agencies[1],
            preferred_name="Monsieur de La Fontaine",
            **JEAN,
        ),
    ]
    names: list[tuple[bool, int, int]] = []
    while len(wanted) < count:
        female, first, last = people.name_draw(rng, earlier=names, namesake_share=NAMESAKE_SHARE)
        last_name = LAST_NAMES[last]
        agency = rng.choice(agencies)
        civility, preferred = people.salutation_draw(rng, female=female, last_name=last_name)
        needs, tags = people.needs_draw(rng, reduced_mobility=False, share=NEEDS_SHARE)
        nearby = [place for place in PLACES if place[1] == agency.city] or PLACES[:1]
        _place, town, postcode = rng.choice(nearby)
        wanted.append(
            Customer(
                civility=civility,
                first_name=FIRST_NAMES[first],
                last_name=last_name,
                preferred_name=preferred,
                birth_date=people.birth_date_draw(rng, today=BIRTHS_AS_OF, ages=AGES),
                preferred_language=people.LANGUAGES(rng),
                postal_address=people.address_draw(rng, postcode=postcode, town=town),
                needs=needs,
                tags=tags,
                home_agency=agency,
                usual_contact=(
                    rng.choice(counter_staff) if rng.random() < USUAL_CONTACT_SHARE else None
                ),
            )
        )
    return wanted


def contact_points_add() -> None:
    """Phones, e-mails and card numbers for customers that have none yet, then a segment
    for those without one."""
    rng = random.Random(77)
    # keyed on the customer's id: a later run never hands out a number again
    phones = people.Phones(random.Random("demo:phones"))
    helene = Customer.objects.get(**HELENE)
    jean = Customer.objects.get(**JEAN)
    fixed = {helene.pk: [HELENE_MOBILE], jean.pk: [SHARED_LANDLINE]}
    points, identifiers = [], []
    for customer in Customer.objects.filter(contact_points__isnull=True).order_by("id"):
        numbers = fixed.get(customer.pk) or [phones.mobile(customer.pk)]
        if customer.pk not in fixed and rng.random() < people.LANDLINE_SHARE:
            numbers.append(phones.landline(customer.pk))
        for number in numbers:
            points.append(
                ContactPoint(
                    customer=customer,
                    kind=ContactKind.PHONE,
                    value=number,
                    label="domicile" if number.startswith("+334") else "mobile",
                )
            )
        if rng.random() < people.EMAIL_SHARE or customer.pk == helene.pk:
            email = people.email_draw(
                rng, first_name=customer.first_name, last_name=customer.last_name, index=customer.pk
            )
            points.append(ContactPoint(customer=customer, kind=ContactKind.EMAIL, value=email))
        identifiers.append(
            Identifier(customer=customer, kind=IdentifierKind.CARD, number=f"TCL{customer.pk:08d}")
        )
    ContactPoint.objects.bulk_create(points, ignore_conflicts=True)
    Identifier.objects.bulk_create(identifiers, ignore_conflicts=True)
    if jean.home_agency_id:
        marie, _ = Customer.objects.get_or_create(
            first_name="Marie",
            last_name="de La Fontaine",
            birth_date=datetime.date(1953, 2, 3),
            defaults={"civility": Civility.MADAME, "home_agency_id": jean.home_agency_id},
        )
        ContactPoint.objects.get_or_create(
            customer=marie,
            kind=ContactKind.PHONE,
            value=SHARED_LANDLINE,
            defaults={"label": "domicile"},
        )
    _segments_assign()


def _segments_assign() -> None:
    segments = list(Segment.objects.order_by("id"))
    if not segments:
        return
    unsegmented = Customer.objects.filter(segment__isnull=True).order_by("id")
    unsegmented = list(unsegmented.values_list("id", flat=True))
    for index, pk in enumerate(unsegmented):
        Customer.objects.filter(pk=pk).update(segment=segments[(pk * 7 + index) % len(segments)])
