from reconquete.management.commands._importing import ImportCommand
from reconquete.services import subscriptions_import
from reconquete.services.imports import SUBSCRIPTION_COLUMNS, SUBSCRIPTION_REQUIRED


class Command(ImportCommand):
    help = (
        "Importe les abonnements de la billettique : contract, card, product, start_date, "
        "end_date, status, sales_channel (ou leurs noms français). Mise à jour sur le numéro "
        "de contrat ; un fichier avec une seule ligne en erreur est refusé en entier."
    )
    columns = SUBSCRIPTION_COLUMNS
    required = SUBSCRIPTION_REQUIRED
    label = "Abonnements"

    def import_records(self, records):
        return subscriptions_import(records=records)
