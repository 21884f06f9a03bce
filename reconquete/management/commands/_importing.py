"""What the two import commands share: open the file, run the import, print a summary,
exit non-zero on a refused file."""

from django.core.management.base import BaseCommand, CommandError

from reconquete.services import ImportRejected, csv_records


class ImportCommand(BaseCommand):
    columns: dict = {}
    required: set = set()
    label = ""

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="Fichier CSV (UTF-8, séparateur virgule ou point-virgule)."
        )

    def import_records(self, records):
        raise NotImplementedError

    def handle(self, *args, file: str, **options):
        try:
            with open(file, encoding="utf-8-sig", newline="") as stream:
                report = self.import_records(
                    csv_records(stream=stream, columns=self.columns, required=self.required)
                )
        except OSError as error:
            raise CommandError(f"Lecture impossible de {file} : {error.strerror}.") from None
        except UnicodeDecodeError:
            raise CommandError(
                f"{file} n'est pas un fichier UTF-8 : rien n'a été importé."
            ) from None
        except ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(f"ligne {error.row} : {error.detail}")
            if rejected.total > len(rejected.errors):
                self.stderr.write(
                    f"… et {rejected.total - len(rejected.errors)} autre(s) erreur(s)."
                )
            raise CommandError(
                f"Fichier refusé : {rejected.total} erreur(s), rien n'a été importé."
            ) from None
        self.stdout.write(
            f"{self.label} : {report.received} ligne(s) lue(s), {report.created} créée(s), "
            f"{report.updated} mise(s) à jour, {report.unchanged} inchangée(s)."
        )
