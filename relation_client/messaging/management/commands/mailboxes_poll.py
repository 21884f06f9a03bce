from django.core.management.base import BaseCommand

from relation_client.messaging.fetch import mailboxes_poll


class Command(BaseCommand):
    help = (
        "Relève les boîtes de réception actives (ce que fait la tâche de chaque minute) : "
        "chaque nouveau message est enregistré une fois, classé, puis marqué comme lu."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "names", nargs="*", help="Les boîtes à relever, par leur nom (par défaut : toutes)."
        )

    def handle(self, *args, names: list[str], **options):
        failed = False
        for result in mailboxes_poll(names or None):
            if result.busy:
                line = f"{result.mailbox} : relève déjà en cours ailleurs."
            else:
                line = (
                    f"{result.mailbox} : {result.stored} message(s) enregistré(s), "
                    f"{result.already} déjà connu(s), {result.failed} en échec."
                )
            if result.error:
                failed = True
                line += f" Erreur : {result.error}"
            self.stdout.write(line)
        if failed:
            raise SystemExit(1)
