from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from relation_client.network.gtfs import gtfs_import
from socle.errors import DomainError


class Command(BaseCommand):
    help = (
        "Importe les lignes et les arrêts du réseau depuis un GTFS (zip ou dossier). "
        "Idempotent : une nouvelle importation met à jour, sans doublon."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="le GTFS : un fichier .zip ou un dossier")

    def handle(self, *args, path: str, **options):
        try:
            report = gtfs_import(path=Path(path))
        except DomainError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"GTFS importé : {report.lines} ligne(s), {report.stops} arrêt(s), "
            f"{report.links} desserte(s)."
        )
