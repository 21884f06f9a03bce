from reconquete.management.commands._importing import ImportCommand
from reconquete.services import ridership_import
from reconquete.services.imports import RIDERSHIP_COLUMNS, RIDERSHIP_REQUIRED


class Command(ImportCommand):
    help = (
        "Importe la fréquentation mensuelle de la billettique : colonnes card (ou carte), "
        "contract (ou contrat), month (AAAA-MM), trips. Idempotent ; un fichier avec une "
        "seule ligne en erreur est refusé en entier."
    )
    columns = RIDERSHIP_COLUMNS
    required = RIDERSHIP_REQUIRED
    label = "Fréquentation"

    def import_records(self, records):
        return ridership_import(records=records)
