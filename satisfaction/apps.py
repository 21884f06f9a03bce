"""The satisfaction app; from ready(), it makes two of its indicators available to the
loyalty cycle's controls (relation_client.cycle.indicators), read from the gap snapshot
rows the dashboard reads too — never aggregated live. Satisfaction has no segment
dimension: both indicators are the whole network's, whatever the segment."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

PARIS = ZoneInfo("Europe/Paris")


def _network_months(now: datetime.datetime):
    """The network's monthly rows, every channel, of the complete months (the current
    Paris month is left out), newest first."""
    from satisfaction.models import GapSnapshot, PeriodKind

    current = now.astimezone(PARIS).date().replace(day=1)
    return GapSnapshot.objects.filter(
        period_kind=PeriodKind.MONTH, agency__isnull=True, channel="", period__lt=current
    ).order_by("-period")


def satisfaction_score(*, segment, now: datetime.datetime) -> Decimal | None:
    """The network's real satisfaction (0–100) of the latest complete month."""
    row = _network_months(now).filter(real_score__isnull=False).first()
    return row.real_score if row else None


def satisfaction_gap(*, segment, now: datetime.datetime) -> Decimal | None:
    """How far the staff's estimate is from the network's real satisfaction, in points
    either way (the size of the gap: lower is better), for the latest complete month that
    has a gap (it needs MIN_SAMPLE answers with an estimate)."""
    row = _network_months(now).filter(gap__isnull=False).first()
    return abs(row.gap) if row else None


class SatisfactionConfig(AppConfig):
    name = "satisfaction"
    verbose_name = _("Satisfaction")

    def ready(self):
        from relation_client.cycle.indicators import register
        from relation_client.privacy import registry
        from satisfaction.privacy import incivility_export, satisfaction_erase, satisfaction_export

        registry.register_exporter("enquêtes", satisfaction_export)
        registry.register_exporter("incivilités", incivility_export)
        registry.register_eraser(satisfaction_erase)

        register(
            "satisfaction_score",
            _("Satisfaction réelle du réseau entier (0–100, dernier mois complet)"),
            satisfaction_score,
            unit="/100",
        )
        register(
            "satisfaction_gap",
            _(
                "Écart entre l'estimation du personnel et la satisfaction réelle, réseau "
                "entier (points, dans un sens ou dans l'autre, dernier mois complet)"
            ),
            satisfaction_gap,
            unit="pts",
            higher_is_better=False,
        )
