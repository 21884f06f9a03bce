"""The demo network: a few agencies, staff of every role, a few hundred customers.

Idempotent: every row is keyed on a natural key (agency name, username,
customer name and birth date) and created only when missing, so a second run
neither duplicates nor fails. Later features extend it.
"""

import datetime
import random
import unicodedata
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from agences import roles
from agences.models import Agency, Agent
from reconquete.demo import demo_seed_reconquest
from relation_client.customers.models import (
    Civility,
    ContactKind,
    ContactPoint,
    Customer,
    Identifier,
    IdentifierKind,
    Segment,
)
from relation_client.cycle.demo import demo_seed_cycle
from relation_client.touchpoints.models import Reason, Touchpoint
from relation_client.touchpoints.services import requests_mark_breaches, touchpoint_log
from satisfaction.demo import demo_seed_satisfaction

DEMO_PASSWORD = "demo-relation-2026"

AGENCIES = [
    ("Lyon Part-Dieu", "Lyon", "Place Charles-Béraudier, 69003 Lyon", "04 72 00 10 01"),
    ("Lyon Bellecour", "Lyon", "19 place Bellecour, 69002 Lyon", "04 72 00 10 02"),
    (
        "Villeurbanne Gratte-Ciel",
        "Villeurbanne",
        "4 avenue Henri-Barbusse, 69100 Villeurbanne",
        "04 72 00 10 03",
    ),
    (
        "Vénissieux Gare",
        "Vénissieux",
        "Boulevard Irène-Joliot-Curie, 69200 Vénissieux",
        "04 72 00 10 04",
    ),
]

# username, display name, role, agency index, extension, languages
STAFF = [
    ("agent.lyon", "Camille Rousseau", roles.AGENT, 0, "2101", ["fr", "en"]),
    ("agent2.lyon", "Karim Benali", roles.AGENT, 0, "2102", ["fr", "ar"]),
    ("agent.bellecour", "Lucía Fernández", roles.AGENT, 1, "2201", ["fr", "es"]),
    ("agent.villeurbanne", "Théo Marchand", roles.AGENT, 2, "2301", ["fr"]),
    ("agent.venissieux", "Aïcha Diallo", roles.AGENT, 3, "2401", ["fr", "en", "wo"]),
    ("superviseur.lyon", "Nathalie Girard", roles.SUPERVISOR, 0, "2110", ["fr"]),
    ("manager.lyon", "François Lemaire", roles.MANAGER, 0, "2100", ["fr", "de"]),
    ("manager.villeurbanne", "Sophie Nguyen", roles.MANAGER, 2, "2300", ["fr", "vi"]),
    ("direction", "Isabelle Morel", roles.NETWORK_DIRECTOR, 0, "2000", ["fr", "en"]),
    ("dpo", "Bertrand Lefort", roles.DPO, 0, "2050", ["fr"]),
    ("admin", "Émilie Chauvin", roles.ADMINISTRATOR, 0, "2099", ["fr", "en"]),
]

FIRST_NAMES_F = [
    "Hélène",
    "Chloé",
    "Léa",
    "Françoise",
    "Zoé",
    "Maëlle",
    "Inès",
    "Noémie",
    "Agnès",
    "Céline",
    "Josiane",
    "Anaïs",
    "Mélanie",
    "Béatrice",
    "Solène",
    "Fatoumata",
    "Yasmine",
    "Émilie",
    "Gaëlle",
    "Marie-Thérèse",
]
FIRST_NAMES_M = [
    "Jean",
    "François",
    "Loïc",
    "Jérôme",
    "Noël",
    "Benoît",
    "Hervé",
    "Gaëtan",
    "Raphaël",
    "Stéphane",
    "Mathéo",
    "Jean-Baptiste",
    "Rémi",
    "Aurélien",
    "Cédric",
    "Mamadou",
    "Yanis",
    "Éric",
    "Joël",
    "Pierre-Étienne",
]
LAST_NAMES = [
    "Dupont-Lefèvre",
    "de La Fontaine",
    "Lefèvre",
    "Béranger",
    "Mercier",
    "Faure",
    "Gauthier",
    "Chevalier",
    "Lemaître",
    "d'Arcy",
    "Boucher",
    "Régnier",
    "Le Gall",
    "Fournier",
    "Bénard",
    "Da Silva",
    "Nguyễn",
    "Ben Saïd",
    "Joly",
    "Caillé",
    "Perrin",
    "Dubois-Mérignac",
    "Lacroix",
    "Aubert",
    "Poirier",
    "Duchêne",
    "Marchal",
    "Le Bihan",
    "Hoarau",
    "Ménard",
]
STREETS = [
    "rue de la République",
    "cours Lafayette",
    "avenue Jean-Jaurès",
    "rue Paul-Bert",
    "rue Garibaldi",
    "boulevard des Brotteaux",
    "rue Mercière",
    "quai Saint-Antoine",
]
NEEDS = [
    ("", []),
    ("Se déplace en fauteuil roulant.", ["mobilité réduite"]),
    ("Préfère les documents en gros caractères.", ["gros caractères"]),
    ("Malentendante : privilégier l'écrit.", ["malentendant"]),
    ("", []),
    ("", []),
]


@dataclass
class SeedReport:
    agencies: int = 0
    agents: int = 0
    customers: int = 0
    touchpoints: int = 0
    requests: int = 0


def _customers(agencies: list[Agency], agents: list[Agent], count: int) -> list[Customer]:
    rng = random.Random(20261123)  # a fixed seed: the same demo every time
    people = [
        Customer(
            civility=Civility.MADAME,
            first_name="Hélène",
            last_name="Dupont-Lefèvre",
            birth_date=datetime.date(1968, 4, 12),
            home_agency=agencies[0],
            usual_contact=agents[0],
            postal_address="12 rue de la République, 69002 Lyon",
        ),
        Customer(
            civility=Civility.MONSIEUR,
            first_name="Jean",
            last_name="de La Fontaine",
            birth_date=datetime.date(1951, 7, 8),
            home_agency=agencies[1],
            preferred_name="Monsieur de La Fontaine",
        ),
    ]
    counter_agents = [
        agent for agent, row in zip(agents, STAFF, strict=True) if row[2] == roles.AGENT
    ]
    while len(people) < count:
        female = rng.random() < 0.52
        first = rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M)
        agency = rng.choice(agencies)
        need, tags = rng.choice(NEEDS)
        people.append(
            Customer(
                civility=Civility.MADAME if female else Civility.MONSIEUR,
                first_name=first,
                last_name=rng.choice(LAST_NAMES),
                birth_date=datetime.date(1940, 1, 1)
                + datetime.timedelta(days=rng.randrange(0, 24000)),
                preferred_language="en" if rng.random() < 0.05 else "fr",
                postal_address=f"{rng.randint(1, 140)} {rng.choice(STREETS)}, 690{rng.randint(1, 9):02d} Lyon",
                needs=need,
                tags=tags,
                home_agency=agency,
                usual_contact=rng.choice(counter_agents) if rng.random() < 0.7 else None,
            )
        )
    return people


def demo_seed(*, customers: int = 300) -> SeedReport:
    report = SeedReport()
    User = get_user_model()
    with transaction.atomic():
        roles.roles_sync()
        agencies = []
        for name, city, address, phone in AGENCIES:
            agency, created = Agency.objects.get_or_create(
                name=name, defaults={"city": city, "address": address, "phone": phone}
            )
            agencies.append(agency)
            report.agencies += created
        agents = []
        for username, display, role, agency_index, extension, languages in STAFF:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": display.split(" ", 1)[0],
                    "last_name": display.split(" ", 1)[1],
                    "email": f"{username}@demo.relation-client.fr",
                    "is_staff": role in roles.STAFF_ROLES,
                    "is_superuser": role == roles.ADMINISTRATOR,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=role))
            agent, created = Agent.objects.get_or_create(
                user=user,
                defaults={
                    "agency": agencies[agency_index],
                    "display_name": display,
                    "phone_extension": extension,
                    "languages": languages,
                },
            )
            agents.append(agent)
            report.agents += created
        wanted = _customers(agencies, agents, customers)
        existing = set(Customer.objects.values_list("first_name", "last_name", "birth_date"))
        missing = []
        for person in wanted:
            key = (person.first_name, person.last_name, person.birth_date)
            if key not in existing:
                existing.add(key)
                missing.append(person)
        Customer.objects.bulk_create(missing)
        report.customers = len(missing)
        _contact_points(agencies)
        if not Touchpoint.objects.exists():
            report.touchpoints, report.requests = _history(agents)
            requests_mark_breaches()  # what the beat job would have found overnight
    return report


def demo_seed_network(*, customers: int = 300) -> SeedReport:
    """The whole demo: the workspace, then each app's story (each skips itself when its
    data exist, so a second run adds nothing)."""
    report = demo_seed(customers=customers)
    demo_seed_reconquest()
    demo_seed_satisfaction()
    demo_seed_cycle()
    return report


SUMMARIES = {
    "information": [
        "Horaires de la ligne C3 le dimanche",
        "Itinéraire pour l'hôpital Édouard-Herriot",
        "Accès au parc relais de Vaulx-en-Velin",
    ],
    "subscription": [
        "Renouvellement de l'abonnement annuel",
        "Changement de coordonnées bancaires",
        "Attestation d'abonnement pour l'employeur",
    ],
    "fare": [
        "Tarif solidaire : pièces justificatives",
        "Tarif réduit étudiant",
        "Prix du ticket 24 h",
    ],
    "complaint": [
        "Bus passé sans s'arrêter à l'arrêt Gratte-Ciel",
        "Prélèvement en double ce mois-ci",
        "Valideur hors service, contrôle malgré tout",
    ],
    "lost_property": ["Parapluie oublié dans le tram T1", "Portefeuille perdu ligne C13"],
    "disruption": [
        "Retards répétés sur le métro B le matin",
        "Travaux rue Garibaldi : arrêt déplacé ?",
    ],
    "accessibility": ["Ascenseur en panne station Bellecour", "Rampe d'accès du bus 37 bloquée"],
    "incivility": ["Altercation signalée à bord du bus 9"],
    "compliment": [
        "Remercie le conducteur de la ligne 38 pour son aide",
        "Très satisfaite de l'accueil",
    ],
    "other": ["Demande de rendez-vous en agence", "Question sur l'application mobile"],
}
CHANNEL_WEIGHTS = [
    ("counter", 30),
    ("phone", 30),
    ("email", 12),
    ("web_form", 8),
    ("mobile_app", 6),
    ("social_media", 7),
    ("on_board", 5),
    ("letter", 2),
]


def _phone(rng: random.Random) -> str:
    return "+336" + "".join(str(rng.randint(0, 9)) for _ in range(8))


def _contact_points(agencies: list[Agency]) -> None:
    """Phones, e-mails and card numbers for customers that have none yet."""
    rng = random.Random(77)
    helene = Customer.objects.get(
        first_name="Hélène", last_name="Dupont-Lefèvre", birth_date=datetime.date(1968, 4, 12)
    )
    fontaine = Customer.objects.get(
        last_name="de La Fontaine", first_name="Jean", birth_date=datetime.date(1951, 7, 8)
    )
    shared_landline = "+33478123456"  # a household's landline, shared by two customers
    fixed = {helene.pk: ["+33612345678"], fontaine.pk: [shared_landline]}
    points, identifiers = [], []
    customers = Customer.objects.filter(contact_points__isnull=True).order_by("id")
    for customer in customers:
        for phone in fixed.get(customer.pk) or [_phone(rng)]:
            points.append(
                ContactPoint(
                    customer=customer,
                    kind=ContactKind.PHONE,
                    value=phone,
                    label="mobile" if phone.startswith("+336") else "domicile",
                )
            )
        if rng.random() < 0.6 or customer.pk == helene.pk:
            local = unicodedata.normalize("NFKD", f"{customer.first_name}.{customer.last_name}")
            local = "".join(c for c in local if c.isalnum() or c == ".").lower()
            points.append(
                ContactPoint(
                    customer=customer,
                    kind=ContactKind.EMAIL,
                    value=f"{local}{customer.pk}@exemple.fr",
                )
            )
        identifiers.append(
            Identifier(customer=customer, kind=IdentifierKind.CARD, number=f"TCL{customer.pk:08d}")
        )
    ContactPoint.objects.bulk_create(points, ignore_conflicts=True)
    Identifier.objects.bulk_create(identifiers, ignore_conflicts=True)
    if fontaine.home_agency_id:
        marie, _ = Customer.objects.get_or_create(
            first_name="Marie",
            last_name="de La Fontaine",
            birth_date=datetime.date(1953, 2, 3),
            defaults={"civility": Civility.MADAME, "home_agency_id": fontaine.home_agency_id},
        )
        ContactPoint.objects.get_or_create(
            customer=marie,
            kind=ContactKind.PHONE,
            value=shared_landline,
            defaults={"label": "domicile"},
        )
    segments = list(Segment.objects.order_by("id"))
    if segments:
        unsegmented = list(
            Customer.objects.filter(segment__isnull=True).values_list("id", flat=True)
        )
        for index, pk in enumerate(unsegmented):
            Customer.objects.filter(pk=pk).update(
                segment=segments[(pk * 7 + index) % len(segments)]
            )


def _history(agents: list[Agent]) -> tuple[int, int]:
    """Two years of touchpoints on every channel; recent questions still open as requests."""
    rng = random.Random(2024)
    now = timezone.now()
    reasons = {r.code: r for r in Reason.objects.all()}
    customers = list(Customer.objects.select_related("home_agency", "segment").order_by("id"))
    counter_agents = [
        a for a, row in zip(agents, STAFF, strict=True) if row[2] in (roles.AGENT, roles.SUPERVISOR)
    ]
    channels = [c for c, w in CHANNEL_WEIGHTS for _ in range(w)]
    rows = []
    for _ in range(3000):
        customer = rng.choice(customers) if rng.random() > 0.12 else None
        agent = rng.choice(counter_agents)
        code = rng.choice(list(SUMMARIES))
        day = timezone.localtime(now).date() - datetime.timedelta(days=rng.randint(12, 730))
        # during opening hours, in Paris time
        occurred = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(rng.randint(8, 17), rng.randint(0, 59)))
        )
        rows.append(
            Touchpoint(
                customer=customer,
                channel=rng.choice(channels),
                direction="outbound" if rng.random() < 0.15 else "inbound",
                reason=reasons[code],
                summary=rng.choice(SUMMARIES[code]),
                agent=agent,
                agency_id=agent.agency_id,
                occurred_at=occurred,
                outcome=rng.choice(["answered", "informed", "answered"]),
                mood=rng.choice(["happy", "neutral", "neutral", "unhappy", ""]),
            )
        )
    Touchpoint.objects.bulk_create(rows, batch_size=1000)
    # the last ten days through the real service: requests with their deadlines, alerts
    opened = 0
    helene = next(
        c for c in customers if c.first_name == "Hélène" and c.last_name == "Dupont-Lefèvre"
    )
    recent = [(helene, "email", "fare", 3)] + [
        (
            rng.choice(customers),
            rng.choice(channels),
            rng.choice(list(SUMMARIES)),
            rng.uniform(0.05, 10),
        )
        for _ in range(60)
    ]
    for customer, channel, code, days_ago in recent:
        agent = customer.usual_contact or rng.choice(counter_agents)
        touchpoint = touchpoint_log(
            agent=agent,
            customer=customer,
            channel=channel,
            reason=reasons[code],
            summary=rng.choice(SUMMARIES[code]),
            occurred_at=now - datetime.timedelta(days=days_ago),
            outcome="follow_up",
            mood=rng.choice(["neutral", "unhappy", ""]),
        )
        opened += touchpoint.request_id is not None
    return len(rows) + len(recent), opened
