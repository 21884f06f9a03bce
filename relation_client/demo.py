"""The demo network: a few agencies, staff of every role, a few hundred customers.

Idempotent: every row is keyed on a natural key (agency name, username,
customer name and birth date) and created only when missing, so a second run
neither duplicates nor fails. Later features extend it.
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from agences import roles
from agences.models import Agency, Agent
from relation_client.customers.models import Civility, Customer

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
                    "is_staff": role == roles.ADMINISTRATOR,
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
    return report
