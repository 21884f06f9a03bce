import datetime

from django.core.management.base import BaseCommand, CommandError

from reconquete.services import lapse_detect


class Command(BaseCommand):
    help = (
        "Détecte les clients perdus et clôt les dossiers des clients revenus (ce que fait la "
        "tâche de nuit). Relancer ne crée aucun doublon."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Rejouer la détection de ce jour (AAAA-MM-JJ) ; aujourd'hui sinon."
        )

    def handle(self, *args, date: str | None, **options):
        try:
            as_of = datetime.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"Date invalide : {date} (attendu AAAA-MM-JJ).") from None
        report = lapse_detect(as_of=as_of)
        opened = ", ".join(f"{reason} {count}" for reason, count in report.opened.items())
        self.stdout.write(
            f"Détection du {report.as_of:%d/%m/%Y} : {report.opened_total} dossier(s) ouvert(s) "
            f"({opened}), {report.won_back} client(s) reconquis dont {report.attributed} "
            "attribué(s) à un contact."
        )
