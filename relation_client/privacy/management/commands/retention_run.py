from django.core.management.base import BaseCommand

from relation_client.privacy.retention import (
    retention_candidates,
    retention_cutoff,
    retention_preview,
    retention_run,
)


class Command(BaseCommand):
    help = (
        "Anonymise les fiches dont la relation s'est terminée il y a plus que la durée de "
        "conservation (ce que fait la tâche de nuit). Avec --dry-run : dit qui le serait, et "
        "pourquoi, sans rien changer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Lister les fiches concernées, sans rien changer.",
        )
        parser.add_argument(
            "--limit", type=int, default=100, help="Nombre de fiches listées (--dry-run)."
        )

    def handle(self, *args, dry_run: bool, limit: int, **options):
        if not dry_run:
            run = retention_run()
            self.stdout.write(
                f"Purge de conservation : {run.anonymised} fiche(s) sans contact ni activité "
                f"depuis le {run.cutoff:%d/%m/%Y} anonymisée(s) ; message brut et pièces "
                f"jointes supprimés pour {run.messages_purged} message(s) reçu(s) avant."
            )
            return
        cutoff = retention_cutoff()
        candidates = retention_candidates(cutoff=cutoff)
        total = candidates.count()
        self.stdout.write(
            f"Simulation : {total} fiche(s) sans contact ni activité depuis le "
            f"{cutoff:%d/%m/%Y} seraient anonymisées."
        )
        for candidate in retention_preview(cutoff=cutoff, customers=candidates[: max(limit, 0)]):
            self.stdout.write(f"n° {candidate.customer.pk} : {candidate.reason}")
        if total > limit:
            self.stdout.write(f"… et {total - limit} autre(s).")
