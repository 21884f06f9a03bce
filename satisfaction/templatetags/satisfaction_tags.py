"""Display helpers for satisfaction figures: points, signs, periods, and why a gap is hidden."""

import datetime

from django import template
from django.utils.translation import gettext as _

from satisfaction.models import PULSE_MIN_GROUP, PeriodKind
from socle.dates import date_text
from socle.numbers import number_text, signed_text

register = template.Library()


@register.filter
def points(value, digits: int = 1) -> str:
    """A figure with one decimal, rounded, in the active language's format; a dash when
    missing."""
    if value is None or value == "":
        return "—"
    return number_text(value, int(digits))


@register.filter
def signed(value) -> str:
    """A gap with its sign, rounded: +13,7 or −4,2."""
    if value is None:
        return "—"
    return signed_text(value, 1)


@register.filter
def period_label(value: datetime.date, kind: str = PeriodKind.MONTH) -> str:
    if kind == PeriodKind.YEAR:
        return str(value.year)
    if kind == PeriodKind.QUARTER:
        return _("T%(quarter)s %(year)s") % {
            "quarter": (value.month - 1) // 3 + 1,
            "year": value.year,
        }
    return date_text(value, "F Y")


@register.simple_tag
def gap_reason(row, min_sample: int) -> str:
    """Why no gap is shown for this snapshot row, in a sentence."""
    if row is None or not row.answers_n:
        return _("Aucune réponse de client sur cette période.")
    if row.gap is None:
        return _(
            "Écart non affiché : %(count)s réponse(s) avec une estimation du personnel, "
            "il en faut au moins %(min)s pour que l'écart soit fiable."
        ) % {"count": row.paired_n, "min": min_sample}
    return ""


@register.simple_tag
def barometer_reason(row, min_sample: int) -> str:
    if row is None or not row.barometer_n:
        return _("Aucune estimation au baromètre d'équipe sur cette période.")
    if row.barometer_gap is None:
        return _(
            "Écart non affiché : %(count)s réponse(s) de clients, il en faut au moins %(min)s."
        ) % {"count": row.answers_n, "min": min_sample}
    return ""


@register.simple_tag
def pulse_hidden_reason() -> str:
    return _(
        "Résultats masqués : moins de %(min)s réponses, pour que personne ne puisse être reconnu."
    ) % {"min": PULSE_MIN_GROUP}
