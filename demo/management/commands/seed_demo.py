from django.core.management.base import BaseCommand

from demo.seed import demo_seed_network
from demo.seed.network import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Crée (ou complète) le réseau de démonstration. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=300)

    def handle(self, *args, customers: int, **options):
        report = demo_seed_network(customers=customers)
        self.stdout.write(
            f"Démo : {report.agencies} agence(s), {report.agents} agent(s), "
            f"{report.customers} client(s), {report.touchpoints} contact(s), "
            f"{report.requests} demande(s) créés. Mot de passe des comptes : {DEMO_PASSWORD}"
        )
