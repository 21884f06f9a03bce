"""The demo network: a few agencies, staff of every role, a few hundred customers and two
years of their touchpoints.

Idempotent: every row is keyed on a natural key (agency name, username, customer name and
birth date) and created only when missing, so a second run neither duplicates nor fails.
The other apps' stories (demo.seed) are laid on top of it.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from agences import roles
from agences.models import Agency, Agent
from demo.seed.customers import contact_points_add, customers_wanted
from demo.seed.history import history_add
from relation_client.customers.models import Customer
from relation_client.touchpoints.models import Touchpoint
from relation_client.touchpoints.services import requests_mark_breaches

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


@dataclass
class SeedReport:
    agencies: int = 0
    agents: int = 0
    customers: int = 0
    touchpoints: int = 0
    requests: int = 0


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
        counter_staff = [
            agent for agent, row in zip(agents, STAFF, strict=True) if row[2] == roles.AGENT
        ]
        wanted = customers_wanted(agencies=agencies, counter_staff=counter_staff, count=customers)
        existing = set(Customer.objects.values_list("first_name", "last_name", "birth_date"))
        missing = []
        for person in wanted:
            key = (person.first_name, person.last_name, person.birth_date)
            if key not in existing:
                existing.add(key)
                missing.append(person)
        Customer.objects.bulk_create(missing)
        report.customers = len(missing)
        contact_points_add()
        if not Touchpoint.objects.exists():
            # supervisors take the counter and the phone too
            front_line = [
                agent
                for agent, row in zip(agents, STAFF, strict=True)
                if row[2] in (roles.AGENT, roles.SUPERVISOR)
            ]
            report.touchpoints, report.requests = history_add(front_line=front_line)
            requests_mark_breaches()  # what the beat job would have found overnight
    return report
