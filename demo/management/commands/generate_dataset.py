import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.dataset.services import DatasetRefused, dataset_generate
from demo.dataset.sizes import SIZES


class Command(BaseCommand):
    help = (
        "Génère un réseau de transport crédible (clients, contacts, fréquentation, enquêtes) "
        "et le charge par COPY, pour les tests de charge. Refuse une base qui contient déjà "
        "des clients (sauf --replace) et une base de production (DEBUG faux, sauf --force)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=list(SIZES), default="small")
        parser.add_argument("--seed", type=int, default=2026, help="Même graine, mêmes données.")
        parser.add_argument(
            "--as-of",
            help="Jour de référence AAAA-MM-JJ (aujourd'hui par défaut) : les 24 "
            "mois précédents sont générés.",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Vide les tables générées (TRUNCATE … CASCADE) avant de charger.",
        )
        parser.add_argument(
            "--force", action="store_true", help="Autorise le chargement quand DEBUG est faux."
        )
        parser.add_argument(
            "--with-indicators",
            action="store_true",
            help="Puis détecte les clients perdus et recalcule les indicateurs (chronométré).",
        )

    def handle(self, *args, size, seed, as_of, replace, force, with_indicators, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG est faux : cette base ressemble à une production. Relancez avec --force "
                "si vous êtes sûr·e de vouloir y générer des données."
            )
        try:
            day = datetime.date.fromisoformat(as_of) if as_of else None
        except ValueError:
            raise CommandError(f"Date invalide : {as_of} (attendu AAAA-MM-JJ).") from None
        self.stdout.write(f"Jeu « {size} », graine {seed} :")
        try:
            report = dataset_generate(
                size=size,
                seed=seed,
                as_of=day,
                replace=replace,
                with_indicators=with_indicators,
                log=self.stdout.write,
            )
        except DatasetRefused as refused:
            raise CommandError(refused.message) from None
        self._summary(report)

    def _summary(self, report) -> None:
        write = self.stdout.write
        write(f"\n{'table':<32} {'lignes':>11} {'COPY (s)':>9} {'index (s)':>10}")
        for timing in report.tables.values():
            write(
                f"{timing.table:<32} {timing.rows:>11,} {timing.copy_seconds:>9.1f} "
                f"{timing.index_seconds:>10.1f}"
            )
        for name, seconds in {**report.steps, **report.indicators}.items():
            write(f"{name:<44} {seconds:>9.1f} s")
        for name, value in report.details.items():
            write(f"{name} : {value}")
        write(
            f"Terminé en {report.total_seconds:.1f} s ; mémoire max du générateur "
            f"(ru_maxrss) : {report.peak_rss_mib:,.0f} Mio."
        )
